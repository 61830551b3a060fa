"""Restoring a backup in two halves. plan_restore() checks everything in a
temporary folder inside the instance folder and changes nothing live.
carry_out() brings an older schema up to date on the copy, swaps the new
uploads folder in (built beside the old one, so the swap is two renames),
then replaces the database in one transaction, and swaps the uploads back
if that fails: the database is the last step, the one that cannot half
happen."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from flask import current_app

from blog.cli import MIGRATIONS_DIRECTORY
from blog.extensions import db
from blog.moving.archives import UPLOADS
from blog.moving.backup_database import (
    Contents,
    check_integrity,
    describe,
    describe_if_any,
    prepare_copy,
    replace_live,
)
from blog.moving.backup_file import (
    DATABASE,
    BackupError,
    Manifest,
    unpack_backup,
)


class UploadsNotPutBack(BackupError):
    """The one failure that leaves something changed: its message says what
    to move back, and the temporary folder holding it is kept."""


@dataclass(frozen=True)
class Plan:
    """A checked backup, unpacked in work, and what it will replace."""

    manifest: Manifest
    backup: Contents
    now: Contents | None
    work: Path
    head: str

    @property
    def database(self) -> Path:
        return self.work / "unpacked" / DATABASE

    @property
    def uploads(self) -> Path:
        return self.work / "unpacked" / UPLOADS

    @property
    def is_older(self) -> bool:
        return self.backup.schema_revision != self.head


def plan_restore(archive: Path, work: Path, live: Path) -> Plan:
    """Unpack and check the backup; BackupError, with nothing live changed,
    for anything that is not a sound backup this code can restore."""
    manifest = unpack_backup(archive, work / "unpacked")
    database = work / "unpacked" / DATABASE
    check_integrity(database)
    contents = describe(database)
    if contents.schema_revision != manifest.schema_revision:
        raise BackupError(
            "The database in the backup is not the one its manifest describes "
            f"(schema {contents.schema_revision}, manifest "
            f"{manifest.schema_revision})."
        )
    head, known = schema_revisions()
    if contents.schema_revision not in known:
        raise BackupError(
            f"The backup's database schema ({contents.schema_revision}) is newer "
            f"than this version of the blog knows (up to {head}). Upgrade the "
            "blog's code to the version that made the backup, then restore."
        )
    return Plan(manifest, contents, describe_if_any(live), work, head)


def schema_revisions() -> tuple[str, set[str]]:
    """This code's newest schema revision, and every one it can upgrade."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory(MIGRATIONS_DIRECTORY)
    head = script.get_current_head() or ""
    return head, {revision.revision for revision in script.walk_revisions()}


def carry_out(plan: Plan, live: Path, uploads: Path) -> int:
    """Put the backup in place of the live database and uploads folder;
    returns the new content version. On any failure both are as before."""
    if plan.is_older:
        upgrade_copy(plan.database)
    prepare_copy(plan.database, live)
    replaced = plan.work / "uploads-replaced"
    swap_folders(plan.uploads, uploads, replaced)
    try:
        return replace_live(live, plan.database)
    except BaseException:
        swap_back(uploads, replaced, plan.work / "uploads-not-restored")
        raise


def upgrade_copy(database: Path) -> None:
    """Migrate an older backup's database to this code's schema, on the
    unpacked copy, with the same migrations as `flask db upgrade`: a
    migration that fails leaves the live database untouched."""
    from alembic import command

    from blog import create_app

    app = create_app(
        {
            "DATABASE_URL": f"sqlite:///{database}",
            "SECRET_KEY": current_app.config["SECRET_KEY"],
        }
    )
    with app.app_context():
        try:
            migrate = app.extensions["migrate"].migrate
            command.upgrade(migrate.get_config(MIGRATIONS_DIRECTORY), "head")
        finally:
            db.session.remove()
            db.engine.dispose()


def swap_folders(new: Path, live: Path, replaced: Path) -> None:
    """The new folder where the live one was, the live one at replaced. A
    worker saving an upload meanwhile writes into one or the other."""
    had_folder = live.is_dir()
    if had_folder:
        os.rename(live, replaced)
    try:
        os.rename(new, live)
    except BaseException:
        if had_folder:
            os.rename(replaced, live)
        raise


def swap_back(live: Path, replaced: Path, aside: Path) -> None:
    """Undo swap_folders(): the restored folder aside, the old one back."""
    try:
        os.rename(live, aside)
        if replaced.is_dir():
            os.rename(replaced, live)
    except OSError as error:
        raise UploadsNotPutBack(
            f"The database was left as it was, but the uploads folder could not "
            f"be put back ({error}): the previous uploads are in {replaced}; "
            f"move them to {live} by hand before anything else."
        ) from error
