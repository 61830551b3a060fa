"""The backup file: one zip holding manifest.json, database.sqlite and
uploads/<file>, checked member by member before anything is restored.

A zip rather than a tarball because its directory sits at the end: the
manifest is written last, after every file was read once and hashed as it
went in (an upload folder that changes meanwhile cannot make the manifest
lie), yet a restore reads it first, without reading the rest. Images are
stored as they are (they are compressed already), the database deflated.

The checksums find damage and careless edits; they are not a signature.
Whoever may write the backup may write a matching manifest too.
"""

from __future__ import annotations

import json
import os
import zipfile
import zlib
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO, Any

from blog.moving.archives import (
    MANIFEST,
    UPLOADS,
    UnsafeArchive,
    check_space,
    checked_members,
    copy_hashing,
    extract_member,
    is_safe_name,
)

FORMAT = "flask-blog-backup"
FORMAT_VERSION = 1
DATABASE = "database.sqlite"
MANIFEST_MAX_BYTES = 64 * 1024 * 1024
ZIP64_FROM = 1024 * 1024 * 1024  # zipfile needs to know before it writes
COMPRESSED_ALREADY = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".ico"}


class BackupError(Exception):
    """A backup that cannot be made, or a file that will not be restored,
    with the reason in plain English."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Entry:
    path: str
    size: int
    sha256: str


@dataclass(frozen=True)
class Manifest:
    created_at: str
    schema_revision: str
    counts: dict[str, int]
    database: Entry
    uploads: list[Entry]


# --- Writing ----------------------------------------------------------------


def write_backup(
    target: Path, database: Path, uploads: Path, about: dict[str, Any]
) -> dict[str, Any]:
    """Write the zip at target: the database copy, every file of the uploads
    folder that still exists when its turn comes, then the manifest (about
    plus the checksums of exactly the bytes written). Returns the manifest."""
    # 0600: the database holds password hashes and session digests.
    descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        manifest = write_members(handle, database, uploads, about)
        handle.flush()
        os.fsync(handle.fileno())  # whole on disk before it is renamed into place
    return manifest


def write_members(
    handle: IO[bytes], database: Path, uploads: Path, about: dict[str, Any]
) -> dict[str, Any]:
    with zipfile.ZipFile(handle, "w") as archive:
        database_entry = add_file(archive, database, DATABASE)
        added = []
        for path in upload_files(uploads):
            name = f"{UPLOADS}/{path.relative_to(uploads).as_posix()}"
            if not is_safe_name(name):
                continue  # no upload of ours is named so; restore would refuse it
            try:
                added.append(add_file(archive, path, name))
            except FileNotFoundError:
                continue  # deleted since the listing: its row is gone too
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            **about,
            "database": asdict(database_entry),
            "uploads": [asdict(entry) for entry in added],
        }
        text = json.dumps(manifest, indent=1, ensure_ascii=False)
        archive.writestr(MANIFEST, text, zipfile.ZIP_DEFLATED)
    return manifest


def upload_files(folder: Path) -> list[Path]:
    """The regular files under the uploads folder; links are not followed."""
    if not folder.is_dir():
        return []
    return sorted(
        path for path in folder.rglob("*") if path.is_file() and not path.is_symlink()
    )


def add_file(archive: zipfile.ZipFile, path: Path, name: str) -> Entry:
    with path.open("rb") as source:
        # Not strict: a file dated before 1980 (zip's epoch) is stored as of 1980.
        info = zipfile.ZipInfo.from_file(path, name, strict_timestamps=False)
        if path.suffix.lower() not in COMPRESSED_ALREADY:
            info.compress_type = zipfile.ZIP_DEFLATED
        big = info.file_size >= ZIP64_FROM
        with archive.open(info, "w", force_zip64=big) as member:
            size, digest = copy_hashing(source, member)
    return Entry(name, size, digest)


# --- Reading -----------------------------------------------------------------


def unpack_backup(path: Path, into: Path) -> Manifest:
    """Check the backup at path and extract its database and uploads under
    into (database.sqlite, uploads/…). Raises BackupError, having written
    nothing outside into, for anything that is not a whole, unaltered backup
    of ours: no zip, no manifest, a member blog/moving/archives.py refuses
    (a path that climbs out, a link), a file the manifest does not list or
    lists with other bytes."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        raise BackupError(not_ours(path, "it is not a zip file")) from error
    with archive:
        try:
            manifest = extract_listed(archive, path, into)
        except UnsafeArchive as error:
            sentence = f"{error.message[:1].upper()}{error.message[1:]}."
            raise BackupError(sentence) from None
    (into / UPLOADS).mkdir(parents=True, exist_ok=True)
    return manifest


def extract_listed(archive: zipfile.ZipFile, path: Path, into: Path) -> Manifest:
    """The manifest, once every file it lists, and nothing else, is under into."""
    members = checked_members(archive, path.stat().st_size)
    manifest = read_backup_manifest(archive, members, path)
    expected = {DATABASE: manifest.database}
    expected.update((entry.path, entry) for entry in manifest.uploads)
    compare_names(set(members) - {MANIFEST}, set(expected))
    check_space(members.values(), into)
    for name, entry in expected.items():
        size, digest = extract_member(archive, members[name], into)
        if size != entry.size or digest != entry.sha256:
            raise BackupError(
                f"{entry.path} in the backup does not match its checksum in the "
                "manifest: the backup is damaged or was changed."
            )
    return manifest


def not_ours(path: Path, reason: str) -> str:
    return (
        f"{path.name} is not a backup of this blog ({reason}). "
        "Backups are the files `flask --app blog backup` writes."
    )


def read_backup_manifest(
    archive: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo], path: Path
) -> Manifest:
    info = members.get(MANIFEST)
    if info is None:
        raise BackupError(not_ours(path, f"it holds no {MANIFEST}"))
    if info.file_size > MANIFEST_MAX_BYTES:
        raise BackupError(not_ours(path, f"its {MANIFEST} is far too large"))
    try:
        data = json.loads(archive.read(info))
    except (ValueError, zipfile.BadZipFile, zlib.error) as error:
        raise BackupError(not_ours(path, f"its {MANIFEST} is unreadable")) from error
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BackupError(not_ours(path, f"its {MANIFEST} is not one of ours"))
    return parse_manifest(data, path)


def parse_manifest(data: dict[str, Any], path: Path) -> Manifest:
    version = data.get("format_version")
    if isinstance(version, int) and version > FORMAT_VERSION:
        raise BackupError(
            f"{path.name} was written by a newer version of the blog (backup "
            f"format {version}; this one reads {FORMAT_VERSION}). Upgrade the "
            "blog's code, then restore."
        )
    try:
        uploads = [entry_from(item) for item in data["uploads"]]
        if version != FORMAT_VERSION or any(
            not entry.path.startswith(f"{UPLOADS}/") for entry in uploads
        ):
            raise ValueError("format version or upload path")
        return Manifest(
            created_at=str(data["created_at"]),
            schema_revision=str(data["schema_revision"]),
            counts={str(key): int(value) for key, value in data["counts"].items()},
            database=entry_from(data["database"]),
            uploads=uploads,
        )
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise BackupError(f"The manifest of {path.name} is damaged.") from error


def entry_from(item: Any) -> Entry:
    return Entry(path=str(item["path"]), size=int(item["size"]), sha256=item["sha256"])


def compare_names(found: set[str], listed: set[str]) -> None:
    if found == listed:
        return
    unlisted, missing = sorted(found - listed), sorted(listed - found)
    problems = [
        *(f"{name} is not in the manifest" for name in unlisted[:3]),
        *(f"{name} is missing" for name in missing[:3]),
    ]
    raise BackupError(
        f"The backup does not hold what its manifest lists ({'; '.join(problems)}): "
        "it is damaged or was changed."
    )
