"""The one way a zip from outside is opened, by import-export and restore
alike: every member checked before any byte is written, then unpacked
member by member, never beyond the folder it is unpacked into.

A member is refused if its name is empty, absolute, has a drive, a `..`,
a backslash, a NUL or another control character, or is not in its normal
form (`a//b`, `./a`); if it is anything but a file or a folder (a link);
or if the zip holds it twice. A zip bomb is refused from what its
directory declares, before anything is written: a member over 1 MB that
unpacks to more than 200 times its compressed size (deflate reaches about
1,000 to 1 on zeros; text and SQLite pages stay far below 200), or members
that add up to more than ten times the zip's size plus 1 GB.
"""

from __future__ import annotations

import hashlib
import shutil
import zipfile
import zlib
from collections.abc import Iterable
from pathlib import Path, PurePosixPath
from typing import IO

MANIFEST = "manifest.json"
UPLOADS = "uploads"
CHUNK = 1024 * 1024
# What a member's mode may be: unset (zips made on Windows), a file, a folder.
PLAIN_MODES = (0, 0o100000, 0o040000)
MAX_RATIO = 200
RATIO_FROM = 1024 * 1024
UNPACKED_PER_BYTE = 10
UNPACKED_MARGIN = 1024 * 1024 * 1024


class UnsafeArchive(Exception):
    """A zip that will not be unpacked, with the reason in plain English
    (lower case, no final stop: each command words its own sentence)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def is_safe_name(name: str) -> bool:
    """A relative path that stays where it is put: no root, no drive, no
    `..`, no backslash, no control character, nothing the normal form
    would change."""
    path = PurePosixPath(name)
    return (
        bool(name)
        and not path.is_absolute()
        and ".." not in path.parts
        and "\\" not in name
        and ":" not in name
        and not any(ord(character) < 32 or ord(character) == 127 for character in name)
        and str(path) == name.rstrip("/")
    )


def checked_members(archive: zipfile.ZipFile, size: int) -> dict[str, zipfile.ZipInfo]:
    """The files of an archive of `size` bytes by name, once every member
    passed the rules above; UnsafeArchive for the first that does not."""
    members: dict[str, zipfile.ZipInfo] = {}
    for info in archive.infolist():
        check_name(info)
        if info.is_dir():
            continue
        if info.filename in members:
            raise UnsafeArchive(f"the zip holds {info.filename!r} twice")
        check_ratio(info)
        members[info.filename] = info
    check_total(members.values(), size)
    return members


def check_name(info: zipfile.ZipInfo) -> None:
    name = info.filename
    if not is_safe_name(name):
        raise UnsafeArchive(
            f"the zip holds a member outside its folder, at an unsafe path ({name!r})"
        )
    if (info.external_attr >> 16) & 0o170000 not in PLAIN_MODES:
        raise UnsafeArchive(
            f"the zip holds a member outside its folder: {name!r}, which is "
            "not a plain file"
        )


def check_ratio(info: zipfile.ZipInfo) -> None:
    if info.file_size > RATIO_FROM and info.file_size > MAX_RATIO * info.compress_size:
        raise UnsafeArchive(
            f"the zip's {info.filename!r} would unpack to {megabytes(info.file_size)}"
            f" from {megabytes(info.compress_size)}, more than {MAX_RATIO} times "
            "its size: it looks like a zip bomb"
        )


def check_total(members: Iterable[zipfile.ZipInfo], size: int) -> None:
    unpacked = sum(info.file_size for info in members)
    limit = UNPACKED_PER_BYTE * size + UNPACKED_MARGIN
    if unpacked > limit:
        raise UnsafeArchive(
            f"the zip would unpack to {megabytes(unpacked)}, more than the "
            f"{megabytes(limit)} a zip of {megabytes(size)} may: it looks like a "
            "zip bomb"
        )


def megabytes(size: int) -> str:
    return f"{size / 1e6:.1f} MB"


def check_space(members: Iterable[zipfile.ZipInfo], into: Path) -> None:
    """Refuse before extracting what the disk cannot hold."""
    needed = sum(info.file_size for info in members)
    into.mkdir(parents=True, exist_ok=True)
    free = shutil.disk_usage(into).free
    if needed > free:
        raise UnsafeArchive(
            f"the zip unpacks to {megabytes(needed)} and {megabytes(free)} are free"
        )


def copy_hashing(
    source: IO[bytes], target: IO[bytes], limit: int | None = None
) -> tuple[int, str]:
    """Copy, returning the size and SHA-256 of what was copied; past
    `limit` bytes, UnsafeArchive."""
    digest, size = hashlib.sha256(), 0
    while chunk := source.read(CHUNK):
        size += len(chunk)
        if limit is not None and size > limit:
            raise UnsafeArchive("a member of the zip is larger than it declares")
        digest.update(chunk)
        target.write(chunk)
    return size, digest.hexdigest()


def extract_member(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, into: Path
) -> tuple[int, str]:
    """Write one checked member under `into` (never over a file already
    there); its size and SHA-256."""
    target = into.joinpath(*PurePosixPath(info.filename).parts)
    if not target.resolve().is_relative_to(into.resolve()):
        raise UnsafeArchive(f"the zip names {info.filename!r}, outside its folder")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with archive.open(info) as member, target.open("xb") as out:
            return copy_hashing(member, out, info.file_size)
    except (FileExistsError, NotADirectoryError):
        # `a` and `a/b`: a file where a folder goes, or a folder where a file does.
        raise UnsafeArchive(
            f"the zip holds {info.filename!r} where it also holds a file or "
            "folder of that name"
        ) from None
    except (zipfile.BadZipFile, zlib.error, EOFError) as error:
        raise UnsafeArchive(
            f"{info.filename} in the zip is damaged ({error})"
        ) from None


def unpack(source: Path, into: Path) -> None:
    """Every member of the zip at `source` under `into`, once all of them
    passed the checks; UnsafeArchive, with nothing written, otherwise."""
    try:
        archive = zipfile.ZipFile(source)
    except zipfile.BadZipFile as error:
        raise UnsafeArchive(f"{source.name} is not a zip file ({error})") from None
    with archive:
        members = checked_members(archive, source.stat().st_size)
        check_space(members.values(), into)
        for info in members.values():
            extract_member(archive, info, into)
