"""`flask --app blog import-wordpress FILE.wxr`."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import click
from flask import current_app
from flask.cli import with_appcontext

from blog.cli import needs_current_schema


@click.command("import-wordpress")
@with_appcontext
@needs_current_schema
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option(
    "--media-dir",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    help="A copy of the site's wp-content/uploads folder.",
)
@click.option(
    "--site-url",
    help="Fetch images over HTTP from this site (the export's own site only).",
)
@click.option("--dry-run", is_flag=True, help="Show what would happen; write nothing.")
def import_wordpress_command(
    file: Path, media_dir: Path | None, site_url: str | None, dry_run: bool
) -> None:
    """Import posts, pages, comments, authors, categories, tags and images
    from a WordPress export (Tools › Export); old addresses answer 301."""
    from blog.moving.images import (
        Fetch,
        FirstFound,
        MediaFolder,
        SiteFetcher,
        same_site,
    )
    from blog.moving.terminal import run_import
    from blog.moving.wordpress import NotWordPressExport, read_wxr

    try:
        bundle = read_wxr(file)
    except NotWordPressExport as error:
        raise click.ClickException(f"{file} cannot be imported: {error}") from None
    limit = current_app.config["UPLOAD_MAX_BYTES"]
    fetchers: list[Fetch] = []
    if media_dir is not None:
        # WordPress in a folder (https://example.com/blog) keeps its uploads
        # under it: /blog/wp-content/uploads/.
        uploads = urlsplit(bundle.site_url).path.rstrip("/") + "/wp-content/uploads/"
        fetchers.append(MediaFolder(media_dir, bundle.site_url, uploads, limit))
    if site_url:
        if not same_site(bundle.site_url, site_url):
            raise click.ClickException(
                f"--site-url {site_url} is not the export's site ({bundle.site_url})"
            )
        fetchers.append(SiteFetcher(bundle.site_url, limit))
    click.echo(
        f"{file}: {len(bundle.posts)} posts and pages, {len(bundle.comments)} "
        f"comments, {len(bundle.images)} images from {bundle.site_url}"
    )
    run_import(bundle, fetch=FirstFound(fetchers), dry_run=dry_run)
