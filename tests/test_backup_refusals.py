"""`flask restore` changes nothing unless told to and given a sound backup
of ours: each refusal says why and exits with status 1, and a restore that
fails half-way leaves the database and the uploads as they were."""

from __future__ import annotations

import os
import sqlite3
import stat
import zipfile
from contextlib import closing
from pathlib import Path

import pytest

from blog.models import Role
from blog.moving import backup_database, restoring
from tests.backup_helpers import (
    add_upload,
    database_file,
    database_in,
    members,
    needs_sqlite,
    rewritten,
    state_of,
    write_zip,
)
from tests.factories import make_article, make_comment, make_user

pytestmark = needs_sqlite


@pytest.fixture
def backed_up(app, runner, tmp_path) -> Path:
    """A backup of a blog whose content then changed."""
    with app.app_context():
        author = make_user(role=Role.AUTHOR)
        make_comment(make_article(author=author), make_user())
        add_upload(app, author)
    backup = tmp_path / "blog.zip"
    result = runner.invoke(args=["backup", str(backup)])
    assert result.exit_code == 0, result.output
    with app.app_context():
        make_article(slug="after-the-backup")
        add_upload(app, make_user(role=Role.AUTHOR))
    return backup


def corrupted(database: bytes) -> bytes:
    """The database with its second page (a table's b-tree) overwritten."""
    page = int.from_bytes(database[16:18], "big")
    return database[:page] + b"\xa5" * page + database[2 * page :]


def test_declining_or_not_answering_changes_nothing(app, runner, backed_up) -> None:
    before = state_of(app)

    declined = runner.invoke(args=["restore", str(backed_up)], input="n\n")
    silent = runner.invoke(args=["restore", str(backed_up)], input="")

    for result in (declined, silent):
        assert result.exit_code == 1
        assert "now   backup" in result.output
        assert "Replace them with the backup? [y/N]" in result.output
        assert result.output.rstrip().endswith("Nothing was changed.")
    assert state_of(app) == before
    assert not list(Path(app.instance_path).glob(".restore-*"))


def test_the_confirmation_says_what_is_replaced(app, runner, backed_up) -> None:
    result = runner.invoke(args=["restore", str(backed_up)], input="n\n")

    lines = result.output.splitlines()
    assert "  articles         2        1" in lines
    assert "  uploads          2        1" in lines
    assert f"It replaces the database {database_file(app).resolve()}" in lines


def unsafe_member(backup: Path, folder: Path) -> Path:
    return write_zip(folder / "bad.zip", {**members(backup), "../escaped.txt": b"!"})


def without_manifest(backup: Path, folder: Path) -> Path:
    files = members(backup)
    del files["manifest.json"]
    return write_zip(folder / "bad.zip", files)


def tampered_upload(backup: Path, folder: Path) -> Path:
    files = members(backup)
    name = next(name for name in files if name.startswith("uploads/"))
    files[name] = files[name][:-1] + b"\0"
    return write_zip(folder / "bad.zip", files)


def corrupt_database(backup: Path, folder: Path) -> Path:
    database = corrupted(members(backup)["database.sqlite"])
    return rewritten(backup, folder / "bad.zip", {"database.sqlite": database})


def newer_schema(backup: Path, folder: Path) -> Path:
    database = database_in(backup, folder)
    with closing(sqlite3.connect(database, isolation_level=None)) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999_future'")
    return rewritten(
        backup,
        folder / "bad.zip",
        {"database.sqlite": database.read_bytes()},
        {"schema_revision": "9999_future"},
    )


def newer_format(backup: Path, folder: Path) -> Path:
    return rewritten(backup, folder / "bad.zip", {}, {"format_version": 2})


def unlisted_file(backup: Path, folder: Path) -> Path:
    files = {**members(backup), "uploads/extra.png": b"not in the manifest"}
    return write_zip(folder / "bad.zip", files)


def a_link(backup: Path, folder: Path) -> Path:
    path = write_zip(folder / "bad.zip", members(backup))
    with zipfile.ZipFile(path, "a") as archive:
        link = zipfile.ZipInfo("uploads/passwd")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(link, "/etc/passwd")
    return path


def random_bytes(_backup: Path, folder: Path) -> Path:
    path = folder / "holiday.jpg"
    path.write_bytes(os.urandom(5000))
    return path


REFUSALS = {
    "a file that is not a zip": (random_bytes, "is not a backup of this blog"),
    "a zip without our manifest": (without_manifest, "holds no manifest.json"),
    "an upload that does not match its checksum": (
        tampered_upload,
        "does not match its checksum in the manifest",
    ),
    "a member whose path climbs out": (unsafe_member, "unsafe path ('../escaped"),
    "a database that fails the integrity check": (
        corrupt_database,
        "The database in the backup",
    ),
    "a database of a newer schema": (newer_schema, "is newer than this version"),
    "a backup of a newer format": (newer_format, "backup format 2; this one reads 1"),
    "a file the manifest does not list": (unlisted_file, "extra.png is not in the"),
    "a symbolic link": (a_link, "'uploads/passwd', which is not a plain file"),
}


@pytest.mark.parametrize("case", REFUSALS, ids=list(REFUSALS))
def test_what_is_not_a_sound_backup_of_ours_is_refused(
    app, runner, backed_up, tmp_path, case
) -> None:
    make, message = REFUSALS[case]
    folder = tmp_path / "made"
    folder.mkdir()
    bad = make(backed_up, folder)
    before = state_of(app)

    result = runner.invoke(args=["restore", str(bad), "--yes"])

    assert result.exit_code == 1, result.output
    assert message in result.output
    assert "Nothing was changed." in result.output
    assert state_of(app) == before
    assert not (tmp_path / "escaped.txt").exists()
    assert not list(Path(app.instance_path).rglob("escaped.txt"))
    assert not list(Path(app.instance_path).glob(".restore-*"))


def test_a_copy_that_fails_half_way_leaves_everything_as_it_was(
    app, runner, backed_up, monkeypatch
) -> None:
    watched = backup_database.PageCopy.progress
    steps = []

    def failing_half_way(self, status, remaining, total):
        watched(self, status, remaining, total)
        steps.append(remaining)
        if remaining < total // 2:
            raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(backup_database.PageCopy, "progress", failing_half_way)
    before = state_of(app)

    result = runner.invoke(args=["restore", str(backed_up), "--yes"])

    assert result.exit_code == 1, result.output
    assert "The restore failed (disk I/O error). Nothing was changed." in result.output
    assert len(steps) > 2  # pages had been written before it failed
    assert state_of(app) == before
    assert app.test_client().get("/articles/after-the-backup").status_code == 200


def test_an_uploads_swap_that_fails_leaves_everything_as_it_was(
    app, runner, backed_up, monkeypatch
) -> None:
    renames = []

    def second_rename_fails(source, target):
        renames.append((source, target))
        if len(renames) == 2:
            raise OSError(18, "Invalid cross-device link")
        os.replace(source, target)

    monkeypatch.setattr(restoring.os, "rename", second_rename_fails)
    before = state_of(app)

    result = runner.invoke(args=["restore", str(backed_up), "--yes"])

    assert result.exit_code == 1, result.output
    assert "Invalid cross-device link" in result.output
    assert state_of(app) == before
