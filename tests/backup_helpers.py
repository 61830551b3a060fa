"""What the backup and restore tests share: the database's rows and the
uploads' bytes to compare before and after, and backups taken apart and
put back together with a change."""

from __future__ import annotations

import hashlib
import json
import secrets
import sqlite3
import zipfile
from contextlib import closing
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy.engine import make_url

from blog.extensions import db
from blog.models import Upload, User
from tests.conftest import TEST_DATABASE_URL

needs_sqlite = pytest.mark.skipif(
    bool(TEST_DATABASE_URL),
    reason="backup and restore copy SQLite files; on PostgreSQL they refuse "
    "(test_both_commands_refuse_postgresql_and_name_its_tools)",
)


def database_file(app: Flask) -> Path:
    return Path(make_url(app.config["SQLALCHEMY_DATABASE_URI"]).database or "")


def dump(path: Path) -> list[str]:
    """Every table, index, trigger and row of the database, as SQL."""
    with closing(sqlite3.connect(path)) as connection:
        return list(connection.iterdump())


def without_version(lines: list[str]) -> list[str]:
    """The dump, less the content version (a restore moves it on)."""
    return [line for line in lines if not line.startswith('INSERT INTO "site_state"')]


def content_version(path: Path) -> int:
    with closing(sqlite3.connect(path)) as connection:
        return connection.execute("SELECT content_version FROM site_state").fetchone()[
            0
        ]


def uploads_of(app: Flask) -> dict[str, bytes]:
    folder = Path(app.instance_path) / "uploads"
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def state_of(app: Flask) -> tuple[list[str], dict[str, bytes]]:
    """All a restore may change: the database's content and the uploads."""
    return dump(database_file(app)), uploads_of(app)


def add_upload(app: Flask, uploader: User, data: bytes | None = None) -> str:
    """An image row and its file with a smaller copy, as an upload leaves them."""
    data = data or secrets.token_bytes(3000)
    stem = secrets.token_hex(16)
    folder = Path(app.instance_path) / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{stem}.png").write_bytes(data)
    (folder / f"{stem}-320w.webp").write_bytes(data[::-1])
    db.session.add(
        Upload(
            filename=f"{stem}.png",
            original_name="photo.png",
            content_type="image/png",
            size=len(data),
            width=640,
            height=480,
            variant_widths=[320],
            uploader=db.session.get(User, uploader.id),
        )
    )
    db.session.commit()
    return f"{stem}.png"


def members(backup: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(backup) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def manifest_of(backup: Path) -> dict:
    return json.loads(members(backup)["manifest.json"])


def write_zip(path: Path, files: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return path


def rewritten(
    backup: Path,
    target: Path,
    changed: dict[str, bytes],
    manifest_changes: dict | None = None,
) -> Path:
    """The backup with some files replaced and the manifest's checksums made
    to match them, as a careful forger would."""
    files = members(backup)
    manifest = json.loads(files["manifest.json"]) | (manifest_changes or {})
    entries = [manifest["database"], *manifest["uploads"]]
    for name, data in changed.items():
        files[name] = data
        for entry in entries:
            if entry["path"] == name:
                entry.update(size=len(data), sha256=hashlib.sha256(data).hexdigest())
    files["manifest.json"] = json.dumps(manifest).encode()
    return write_zip(target, files)


def database_in(backup: Path, folder: Path) -> Path:
    """The backup's database, written out to be opened."""
    path = folder / "from-backup.sqlite"
    path.write_bytes(members(backup)["database.sqlite"])
    return path
