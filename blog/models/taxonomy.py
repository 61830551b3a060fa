"""How articles are sorted: categories (one an article) and tags (many)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Column, ForeignKey, Index, Select, String, Table, select
from sqlalchemy.orm import Mapped, mapped_column

from blog.models.base import Base
from blog.models.public import PublicContent

NAME_MAX = 80


article_tags = Table(
    "article_tags",
    Base.metadata,
    Column(
        "article_id",
        ForeignKey("articles.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("tag_id", ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True),
    # The primary key serves lookups by article; listings by tag need this one.
    Index("ix_article_tags_tag_id", "tag_id"),
)


class Category(PublicContent, Base):
    __tablename__ = "categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME_MAX))
    slug: Mapped[str] = mapped_column(String(NAME_MAX), unique=True)

    @classmethod
    def select_by_slug(cls, slug: str) -> Select[Category]:
        return select(cls).where(cls.slug == slug)

    @classmethod
    def select_all(cls) -> Select[Category]:
        return select(cls).order_by(cls.name)

    @classmethod
    def select_names(cls) -> Select[str]:
        return select(cls.name).order_by(cls.name)


class Tag(PublicContent, Base):
    __tablename__ = "tags"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME_MAX))
    slug: Mapped[str] = mapped_column(String(NAME_MAX), unique=True)

    @classmethod
    def select_by_slug(cls, slug: str) -> Select[Tag]:
        return select(cls).where(cls.slug == slug)

    @classmethod
    def select_all(cls) -> Select[Tag]:
        return select(cls).order_by(cls.name)

    @classmethod
    def select_by_slugs(cls, slugs: Iterable[str]) -> Select[Tag]:
        return select(cls).where(cls.slug.in_(list(slugs)))
