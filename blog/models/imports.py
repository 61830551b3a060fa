"""What imports from other blogs leave behind: the addresses the old blog
had (each answers 301 to what it became) and which of our rows each item of
an export became (so importing the same file again updates, never doubles)."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Select, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column

from blog.models.base import Base, utcnow
from blog.models.public import PublicContent
from blog.models.user import enum_column

PATH_MAX = 500
SOURCE_MAX = 200


class LegacyTarget(enum.StrEnum):
    """What an old address now leads to. Rows point at ids, not paths, so
    an article renamed after the import is still found."""

    ARTICLE = "article"
    CATEGORY = "category"
    TAG = "tag"
    AUTHOR = "author"
    # A fixed address of ours (the old /feed/ is /feed.xml).
    ADDRESS = "address"


class LegacyAddress(PublicContent, Base):
    """An address readers and search engines knew on the old blog. Public:
    adding one changes what a URL answers, so it moves the content version."""

    __tablename__ = "legacy_addresses"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Decoded, without a trailing slash; a query form keeps its query
    # ("/?p=12"). See blog/articles/legacy.py normal_path().
    path: Mapped[str] = mapped_column(String(PATH_MAX), unique=True)
    target: Mapped[LegacyTarget] = mapped_column(
        enum_column(LegacyTarget, "legacy_target")
    )
    target_id: Mapped[int | None]
    target_path: Mapped[str] = mapped_column(String(PATH_MAX), default="")
    source: Mapped[str] = mapped_column(String(SOURCE_MAX))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @classmethod
    def select_by_path(cls, path: str) -> Select[LegacyAddress]:
        return select(cls).where(cls.path == path)


class ImportedItem(Base):
    """One item of another blog's export (a post, a comment, a user, an
    image, a term) and the id of the row it became here."""

    __tablename__ = "imported_items"
    __table_args__ = (UniqueConstraint("source", "kind", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Which blog: "wordpress:https://old.example.com", "ghost:<site>".
    source: Mapped[str] = mapped_column(String(SOURCE_MAX))
    kind: Mapped[str] = mapped_column(String(16))
    external_id: Mapped[str] = mapped_column(String(100))
    local_id: Mapped[int]
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)

    @classmethod
    def select_from(cls, source: str, kind: str) -> Select[ImportedItem]:
        return select(cls).where(cls.source == source, cls.kind == kind)
