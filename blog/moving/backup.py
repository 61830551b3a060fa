"""`flask --app blog backup FILE` and `flask --app blog restore FILE`.

A backup is the SQLite database, copied while the blog serves, and the
uploads folder, in one zip with a manifest (blog/moving/backup_file.py).
Restoring checks all of it before changing anything, then replaces the
uploads folder and the database (blog/moving/restoring.py). On PostgreSQL
both refuse and give the pg_dump / pg_restore command lines instead.
Messages are plain English: command-line output is not translated.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.exc import SQLAlchemyError

from blog.articles.uploads import uploads_folder
from blog.cache.stale import LastCopies
from blog.moving.backup_database import (
    COUNTED_TABLES,
    Contents,
    ServerDatabase,
    check_integrity,
    describe,
    live_database,
    snapshot,
)
from blog.moving.backup_file import DATABASE, BackupError, write_backup
from blog.moving.restoring import Plan, UploadsNotPutBack, carry_out, plan_restore

# What a restore that fails part-way may raise; each leaves both as before.
RESTORE_FAILURES = (OSError, sqlite3.Error, SQLAlchemyError)


@click.command("backup")
@with_appcontext
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
def backup_command(file: Path) -> None:
    """Copy the database and the uploads into FILE (a zip) while the blog runs."""
    began = time.monotonic()
    live = database_or_refuse("backup")
    target, uploads = file.resolve(), uploads_folder().resolve()
    if target.is_relative_to(uploads):
        raise click.ClickException("Write the backup outside the uploads folder.")
    if not target.parent.is_dir():
        raise click.ClickException(f"There is no folder {target.parent}.")
    if not live.is_file():
        raise click.ClickException(f"There is no database at {live} to back up.")
    try:
        manifest = make_backup(live, uploads, target)
    except BackupError as error:
        raise click.ClickException(error.message) from None
    except (OSError, sqlite3.Error) as error:
        raise click.ClickException(
            f"The backup failed ({error}); {target} was not written."
        ) from None
    report_backup(target, manifest, time.monotonic() - began)


def make_backup(live: Path, uploads: Path, target: Path) -> dict[str, Any]:
    """Write the backup beside target and rename it into place at the end:
    whatever fails, no half-written file is left at target."""
    with tempfile.TemporaryDirectory(
        prefix=f".{target.name}.", dir=target.parent
    ) as work:
        copy = Path(work) / DATABASE
        snapshot(live, copy)
        check_integrity(copy, "The blog's database")
        contents = describe(copy)
        partial = Path(work) / "backup.zip"
        manifest = write_backup(partial, copy, uploads, about(contents))
        os.replace(partial, target)
    return manifest


def about(contents: Contents) -> dict[str, Any]:
    return {
        "made_by": "flask --app blog backup",
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "schema_revision": contents.schema_revision,
        "content_version": contents.content_version,
        "counts": contents.counts,
    }


def report_backup(target: Path, manifest: dict[str, Any], seconds: float) -> None:
    database, uploads = manifest["database"], manifest["uploads"]
    upload_bytes = sum(entry["size"] for entry in uploads)
    click.echo(
        f"Backed up the blog to {target} "
        f"({megabytes(target.stat().st_size)}, in {seconds:.2f} s):"
    )
    click.echo(
        f"  database  {megabytes(database['size'])}, schema "
        f"{manifest['schema_revision']}, sha256 {database['sha256'][:16]}…"
    )
    for table in COUNTED_TABLES:
        click.echo(f"  {table:<9} {manifest['counts'][table]}")
    click.echo(f"  files     {len(uploads)} in uploads/ ({megabytes(upload_bytes)})")


@click.command("restore")
@with_appcontext
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--yes", is_flag=True, help="Replace without asking first.")
def restore_command(file: Path, yes: bool) -> None:
    """Replace the database and the uploads with those of the backup FILE."""
    live = database_or_refuse("restore")
    if not file.is_file():
        raise click.ClickException(f"There is no file {file}.")
    instance = Path(current_app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    # Inside the instance folder: the new uploads folder is renamed from it.
    work = Path(tempfile.mkdtemp(prefix=".restore-", dir=instance))
    keep_work = False
    try:
        version, plan = restore_from(file, work, live, yes)
    except UploadsNotPutBack as error:
        keep_work = True  # it holds the previous uploads: the message says so
        raise click.ClickException(error.message) from None
    except BackupError as error:
        raise click.ClickException(f"{error.message} Nothing was changed.") from None
    except RESTORE_FAILURES as error:
        raise click.ClickException(
            f"The restore failed ({error}). Nothing was changed."
        ) from None
    finally:
        if not keep_work:
            shutil.rmtree(work, ignore_errors=True)
    report_restore(plan, version)


def restore_from(file: Path, work: Path, live: Path, yes: bool) -> tuple[int, Plan]:
    uploads = uploads_folder()
    plan = plan_restore(file, work, live)
    show_plan(plan, live, uploads)
    if not yes and not confirmed("Replace them with the backup?"):
        click.echo("Nothing was changed.")
        raise click.exceptions.Exit(1)
    version = carry_out(plan, live, uploads)
    # The copies shown while the database is down are of the replaced content.
    LastCopies(current_app.instance_path).forget_all()
    return version, plan


def confirmed(question: str) -> bool:
    try:
        return click.confirm(question, default=False)
    except click.Abort:  # no answer at all (end of input)
        click.echo()
        return False


def show_plan(plan: Plan, live: Path, uploads: Path) -> None:
    backup, now = plan.backup, plan.now
    click.echo(
        f"Backup of {plan.manifest.created_at}, schema {backup.schema_revision}."
    )
    if now is None:
        click.echo(f"There is no blog database at {live} yet: the backup becomes it.")
    click.echo(f"  {'':<9} {'now':>8} {'backup':>8}")
    for table in COUNTED_TABLES:
        current = str(now.counts[table]) if now else "-"
        click.echo(f"  {table:<9} {current:>8} {backup.counts[table]:>8}")
    click.echo(f"It replaces the database {live}")
    click.echo(f"and the uploads folder {uploads}.")
    if plan.is_older:
        click.echo(
            f"The backup's schema ({backup.schema_revision}) is older than this "
            f"code's ({plan.head}): it is upgraded first, on the unpacked copy."
        )


def report_restore(plan: Plan, version: int) -> None:
    counts = plan.backup.counts
    click.echo(
        f"Restored {counts['articles']} articles, {counts['comments']} comments, "
        f"{counts['users']} users and {counts['uploads']} uploads from the backup "
        f"of {plan.manifest.created_at}."
    )
    click.echo(
        f"The content version is now {version}, past the replaced and the "
        "restored one: no cache serves pages of the replaced content."
    )


# --- PostgreSQL --------------------------------------------------------------


def database_or_refuse(action: str) -> Path:
    """The SQLite file, or a refusal that says which tool to use instead."""
    try:
        return live_database()
    except ServerDatabase as server:
        raise click.ClickException(server_advice(action, server)) from None
    except BackupError as error:
        raise click.ClickException(error.message) from None


def server_advice(action: str, server: ServerDatabase) -> str:
    uploads = Path(current_app.instance_path) / "uploads"
    if server.backend != "postgresql":
        return (
            f"`flask {action}` works on SQLite databases only; use the {action} "
            f"tools of your {server.backend} server, and copy {uploads} too."
        )
    url = server.url
    password = "\n(the password from PGPASSWORD or ~/.pgpass)" if "***" in url else ""
    if action == "backup":
        return (
            "This blog's database is PostgreSQL: `flask backup` copies SQLite "
            "files only. Back it up with PostgreSQL's own tool:\n\n"
            f"    pg_dump -Fc -f blog.dump '{url}'\n\n"
            f"and copy the uploads folder ({uploads}) beside the dump.{password}"
        )
    return (
        "This blog's database is PostgreSQL: `flask restore` restores SQLite "
        "backups only. Restore a dump made by pg_dump -Fc with:\n\n"
        f"    pg_restore --clean --if-exists -d '{url}' blog.dump\n\n"
        f"(a plain SQL dump: psql '{url}' -f blog.sql), then put the uploads "
        f"folder back in {uploads}.{password}"
    )


def megabytes(size: int) -> str:
    if size < 1_000_000:
        return f"{size / 1000:.0f} kB"
    return f"{size / 1_000_000:.1f} MB"
