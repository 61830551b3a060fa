"""The layout of our export, its manifest and times, and how one is read
safely: a folder as it is, a zip unpacked into a scratch folder of the
instance by blog/moving/archives.py (as a backup is).

    manifest.json       {"format": "blog-export", "version": 1, ...}
    articles/<slug>.md  every article and page: front matter + Markdown
    comments/<slug>.json  an article's comments, threaded by export ids
    users.json          accounts (no password hashes) and author profiles
    categories.json, tags.json, uploads.json, redirects.json, settings.json
    uploads/<filename>  each upload's original file
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from blog.errors import InvalidInput
from blog.moving.archives import MANIFEST, UnsafeArchive, unpack

FORMAT = "blog-export"
VERSION = 1
ARTICLES = "articles"
COMMENTS = "comments"
# A stored upload's name: what save_upload() makes (32 hex digits), or an
# importer's; never a path.
UPLOAD_NAME = re.compile(r"[A-Za-z0-9_-]{1,59}\.(png|jpg|gif|webp)")
SLUG_NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,199}")
# Files that are already compressed are stored as they are in a zip.
STORED_SUFFIXES = {".png", ".jpg", ".gif", ".webp"}


class NotAnExport(InvalidInput):
    """The folder or zip is not an export of ours, or holds a member that
    would be written outside the folder it is unpacked into."""


def iso(moment: datetime | None) -> str | None:
    """ISO 8601 in UTC with its offset, microseconds kept."""
    return None if moment is None else moment.astimezone(UTC).isoformat()


def parse_time(text: object, what: str) -> datetime:
    """An exported time, which is always aware."""
    try:
        moment = datetime.fromisoformat(str(text))
    except ValueError:
        raise NotAnExport(f"{what}: {text!r} is not an ISO 8601 time") from None
    if moment.tzinfo is None:
        raise NotAnExport(f"{what}: {text!r} has no UTC offset")
    return moment.astimezone(UTC)


def optional_time(text: object, what: str) -> datetime | None:
    return None if text is None else parse_time(text, what)


def write_json(path: Path, data: object) -> None:
    with path.open("w", encoding="utf-8") as file:
        json.dump(data, file, ensure_ascii=False, indent=1)
        file.write("\n")


def write_json_list(path: Path, items: Iterable[object]) -> int:
    """A JSON array written an item at a time, so a long one is never held
    whole; how many items it holds."""
    count = 0
    with path.open("w", encoding="utf-8") as file:
        file.write("[")
        for item in items:
            file.write(",\n" if count else "\n")
            file.write(json.dumps(item, ensure_ascii=False))
            count += 1
        file.write("\n]\n")
    return count


def read_json(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8") as file:
            return json.load(file)
    except FileNotFoundError:
        raise NotAnExport(f"the export has no {path.name}") from None
    except (ValueError, UnicodeDecodeError) as error:
        raise NotAnExport(f"{path.name} is not JSON: {error}") from None


def read_export_manifest(folder: Path) -> dict[str, Any]:
    """The manifest, if the folder is an export of ours in a version we read."""
    if not (folder / MANIFEST).is_file():
        raise NotAnExport(f"{folder} has no {MANIFEST}: it is not an export of ours")
    manifest = read_json(folder / MANIFEST)
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise NotAnExport(f"{MANIFEST} is not a {FORMAT} manifest")
    if manifest.get("version") != VERSION:
        raise NotAnExport(
            f"this is a version {manifest.get('version')!r} export; "
            f"this blog reads version {VERSION}"
        )
    return manifest


@contextmanager
def opened_export(source: Path, scratch: Path) -> Iterator[Path]:
    """The export's folder: `source` itself, or a zip unpacked into a
    temporary folder under `scratch` (removed afterwards) by the checks of
    blog/moving/archives.py."""
    if source.is_dir():
        yield source
        return
    if not zipfile.is_zipfile(source):
        raise NotAnExport(f"{source} is neither a folder nor a zip file")
    scratch.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=scratch, prefix="import-") as folder:
        try:
            unpack(source, Path(folder))
        except UnsafeArchive as error:
            raise NotAnExport(error.message) from None
        yield Path(folder)


def zip_folder(folder: Path, target: Path) -> None:
    """Zip the folder's files (paths relative to it) into `target`, a new
    file only its owner may read: it holds e-mails and drafts (a backup is
    0600 for the same reason)."""
    descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with (
        os.fdopen(descriptor, "wb") as handle,
        zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as archive,
    ):
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                kind = (
                    zipfile.ZIP_STORED
                    if path.suffix in STORED_SUFFIXES
                    else zipfile.ZIP_DEFLATED
                )
                archive.write(path, path.relative_to(folder).as_posix(), kind)


def replace_atomically(built: Path, target: Path) -> None:
    """Put a finished file in place: readers of `target` never see half."""
    os.replace(built, target)
