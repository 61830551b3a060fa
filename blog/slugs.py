"""URL slugs that are readable and unique."""

from __future__ import annotations

from slugify import slugify
from sqlalchemy.orm import InstrumentedAttribute

from blog.extensions import db

SLUG_FALLBACK = "untitled"


def escape_like(text: str) -> str:
    """Make LIKE wildcards in user text match themselves."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def make_slug(text: str, max_length: int = 80) -> str:
    return slugify(text, max_length=max_length, word_boundary=True) or SLUG_FALLBACK


def unique_slug(
    text: str, column: InstrumentedAttribute[str], max_length: int = 80
) -> str:
    """A slug for text that no row has in this column yet: "title", then
    "title-2", "title-3"… The unique constraint stays the final arbiter."""
    base = make_slug(text, max_length=max_length - 4)
    taken = set(
        db.session.scalars(
            db.select(column).where(
                (column == base) | column.like(escape_like(base) + "-%", escape="\\")
            )
        )
    )
    candidate, number = base, 2
    while candidate in taken:
        candidate, number = f"{base}-{number}", number + 1
    return candidate
