"""Reading Ghost's JSON export as data: the size check, the JSON, the
shape (db[0].data, each table a list of records) and each field's type.
A file that fails any check is refused before anything is read from it."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

MAX_BYTES = 256 * 1024 * 1024  # a 1,000-post export is about 30 MB
Row = dict[str, Any]


class NotGhostExport(Exception):
    """The file cannot be read as Ghost's export; nothing was written."""


def load_export(path: Path) -> Row:
    """The `data` object of Ghost's export, every table a list of records."""
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise NotGhostExport(
            f"{path} is {size:,} bytes; an export over {MAX_BYTES:,} bytes is not read."
        )
    try:
        document = json.loads(path.read_bytes())
    except UnicodeDecodeError:
        raise NotGhostExport(f"{path} is not UTF-8 text.") from None
    except json.JSONDecodeError as error:
        raise NotGhostExport(
            f"{path} is not complete JSON ({error.msg} at line {error.lineno}, "
            f"column {error.colno}): is the file cut short?"
        ) from None
    data = ghost_data(document)
    if data is None:
        raise NotGhostExport(
            f"{path} is not Ghost's export: it has no db[0].data.posts. Export "
            "the site in Ghost's Settings › Advanced › Import/Export."
        )
    for name, rows in data.items():
        if isinstance(rows, list) and not all(isinstance(r, dict) for r in rows):
            raise NotGhostExport(f"{path}: the {name} table holds non-records.")
    return data


def ghost_data(document: object) -> Row | None:
    if not isinstance(document, dict) or not isinstance(document.get("db"), list):
        return None
    first = document["db"][0] if document["db"] else None
    data = first.get("data") if isinstance(first, dict) else None
    if not isinstance(data, dict) or not isinstance(data.get("posts"), list):
        return None
    return data


def text(row: Row, key: str) -> str:
    """A text field; missing or null is empty, any other type is refused."""
    value = row.get(key)
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    raise NotGhostExport(
        f"The field {key} of record {str(row.get('id'))[:40]!r} is "
        f"{type(value).__name__}, not text: this is not Ghost's export."
    )


def moment(row: Row, key: str) -> datetime | None:
    """A time as Ghost writes it: ISO 8601 in UTC ("…T…Z", or SQLite's
    "2024-05-01 10:00:00"), or milliseconds since 1970 (Ghost 1)."""
    value = row.get(key)
    if value is None:
        return None
    try:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return datetime.fromtimestamp(value / 1000, UTC)
        found = datetime.fromisoformat(text(row, key).replace("Z", "+00:00"))
    except (ValueError, OverflowError, OSError):
        raise NotGhostExport(
            f"The field {key} holds {str(value)[:40]!r}, not a time."
        ) from None
    return found if found.tzinfo else found.replace(tzinfo=UTC)


def table(data: Row, name: str) -> list[Row]:
    rows = data.get(name) or []
    if not isinstance(rows, list):
        raise NotGhostExport(f"The {name} table of the export is not a list.")
    return rows


def links(data: Row, name: str, other: str) -> dict[str, list[str]]:
    """posts_tags or posts_authors: each post's tags or authors in order."""
    found: dict[str, list[str]] = {}
    for row in sorted(table(data, name), key=sort_order):
        found.setdefault(text(row, "post_id"), []).append(text(row, other))
    return found


def sort_order(row: Row) -> int:
    value = row.get("sort_order") or 0
    if not isinstance(value, int):
        raise NotGhostExport("A sort_order in the export is not a number.")
    return value
