"""An article's past: the slugs it had (their URLs answer 301) and its
earlier titles and texts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Select, String, Text, select
from sqlalchemy.orm import Mapped, joinedload, mapped_column, relationship

from blog.models.article import SLUG_MAX, TITLE_MAX, Article
from blog.models.base import Base, utcnow
from blog.models.user import User


class ArticleRedirect(Base):
    """A slug an article had before: its URL answers 301 to the current one."""

    __tablename__ = "article_redirects"

    id: Mapped[int] = mapped_column(primary_key=True)
    old_slug: Mapped[str] = mapped_column(String(SLUG_MAX), unique=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    article: Mapped[Article] = relationship()

    @classmethod
    def select_by_slug(cls, slug: str) -> Select[ArticleRedirect]:
        return select(cls).where(cls.old_slug == slug)


class Revision(Base):
    """The title and body of an article as they were before a save."""

    __tablename__ = "revisions"
    __table_args__ = (
        Index("ix_revisions_article_created", "article_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE")
    )
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    body_markdown: Mapped[str] = mapped_column(Text)
    editor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    article: Mapped[Article] = relationship(back_populates="revisions")
    editor: Mapped[User | None] = relationship()

    @classmethod
    def select_for(cls, article: Article) -> Select[Revision]:
        """An article's revisions, newest first, with who made them."""
        return (
            select(cls)
            .where(cls.article_id == article.id)
            .options(joinedload(cls.editor))
            .order_by(cls.created_at.desc(), cls.id.desc())
        )
