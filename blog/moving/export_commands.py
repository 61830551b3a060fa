"""`flask --app blog export` and `flask --app blog import-export`."""

from __future__ import annotations

import time
from pathlib import Path

import click
from flask.cli import with_appcontext

from blog.cli import needs_current_schema
from blog.errors import BlogError


@click.command("export")
@with_appcontext
@needs_current_schema
@click.argument("target", type=click.Path(path_type=Path))
def export_command(target: Path) -> None:
    """Write everything the blog holds to TARGET: a new folder, or a .zip.

    Articles and pages as Markdown with front matter, comments as JSON per
    article, accounts (without passwords) and profiles, categories, tags,
    uploads, old addresses, settings and menus. `import-export` brings it
    back into an empty blog."""
    from blog.moving.export_writer import ExportRefused, export_site

    started = time.perf_counter()
    try:
        manifest = export_site(target)
    except ExportRefused as error:
        raise click.ClickException(str(error)) from error
    counts = ", ".join(f"{n} {kind}" for kind, n in manifest["counts"].items())
    click.echo(f"Exported {counts} to {target}")
    for filename in manifest["missing_uploads"]:
        click.echo(f"missing upload file {filename} (its row is exported)", err=True)
    click.echo(f"in {time.perf_counter() - started:.1f} s")


@click.command("import-export")
@with_appcontext
@needs_current_schema
@click.argument("source", type=click.Path(exists=True, path_type=Path))
def import_export_command(source: Path) -> None:
    """Bring an export (a folder or a .zip from `export`) into this blog.

    Runs every step in order: accounts, categories and tags, uploads,
    profiles, the Markdown files (as import-markdown does, so running that
    first is fine), comments with their threads, old addresses, settings and
    menus. Running it again changes nothing. Accounts come with their roles
    but without passwords: their owners set one with "forgot password". An
    account that has a password here is left as it is. Import only exports
    you trust (your own)."""
    from blog.moving.import_export import import_export

    try:
        summary = import_export(
            source, progress=lambda step: click.echo(f"Importing {step}…")
        )
    except BlogError as error:
        raise click.ClickException(error.message) from error
    for line in summary.lines():
        click.echo(line)
    for note in summary.notes:
        click.echo(f"note: {note}", err=True)
    for failure in summary.failures:
        click.echo(f"failed: {failure}", err=True)
    if summary.failures:
        raise click.ClickException(f"{len(summary.failures)} items failed to import")
