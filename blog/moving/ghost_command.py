"""`flask --app blog import-ghost FILE.json`: Ghost's JSON export into the
blog. Light at import (blog/cli.py loads it at every start): the reader,
the converter and the writer are imported when the command runs."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

import click
from flask import current_app
from flask.cli import with_appcontext

from blog.cli import needs_current_schema

if TYPE_CHECKING:
    from blog.moving.images import Fetch

# What a relative image address (/content/images/…) is read against when no
# --site-url is given: a name that is nobody's, so nothing is ever fetched.
NO_SITE = "http://ghost.invalid"


@click.command("import-ghost")
@with_appcontext
@needs_current_schema
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option(
    "--media-dir",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    help="A copy of the Ghost site's content/images folder.",
)
@click.option(
    "--site-url",
    default="",
    help="The Ghost site's address, to fetch images the media folder lacks.",
)
@click.option(
    "--first-tag-is-category/--no-first-tag-is-category",
    default=True,
    show_default=True,
    help="Whether a post's first public tag becomes its category.",
)
@click.option(
    "--dry-run", is_flag=True, help="Print what would happen; change nothing."
)
def import_ghost_command(
    file: Path,
    media_dir: Path | None,
    site_url: str,
    first_tag_is_category: bool,
    dry_run: bool,
) -> None:
    """Import posts, pages, tags, authors and images from Ghost's JSON export."""
    from blog.moving.ghost import NO_COMMENTS, GhostOptions, read_ghost_export
    from blog.moving.ghost_export import NotGhostExport
    from blog.moving.terminal import run_import

    site_url = checked_site_url(site_url)
    options = GhostOptions(site_url, first_tag_is_category)
    try:
        bundle = read_ghost_export(file, options)
    except NotGhostExport as error:
        raise click.ClickException(str(error)) from None
    try:
        run_import(bundle, fetch=ghost_fetcher(media_dir, site_url), dry_run=dry_run)
    finally:
        click.echo(NO_COMMENTS)


def checked_site_url(site_url: str) -> str:
    if not site_url:
        return ""
    parts = urlsplit(site_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise click.BadParameter(
            f"{site_url!r} is not an http or https address.", param_hint="--site-url"
        )
    return site_url.rstrip("/")


def ghost_fetcher(media_dir: Path | None, site_url: str) -> Fetch:
    """Finds an image in the media folder (Ghost's content/images), then on
    the Ghost site itself; never anywhere else."""
    from blog.moving.images import FirstFound, MediaFolder, SiteFetcher

    base = site_url or NO_SITE
    limit = current_app.config["UPLOAD_MAX_BYTES"]
    fetchers: list[Fetch] = []
    if media_dir is not None:
        fetchers.append(MediaFolder(media_dir, base, "/content/images/", limit))
    if site_url:
        fetchers.append(SiteFetcher(site_url, limit))
    first_found = FirstFound(fetchers)

    def fetch(url: str) -> bytes:
        return first_found(urljoin(base + "/", url))

    return fetch
