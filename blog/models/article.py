"""Articles with their categories, tags and revisions."""

from __future__ import annotations

import enum
from datetime import datetime, timedelta
from functools import cache

from sqlalchemy import (
    BindParameter,
    Column,
    ForeignKey,
    Index,
    Select,
    String,
    Table,
    Text,
    bindparam,
    select,
)
from sqlalchemy.orm import (
    Mapped,
    WriteOnlyMapped,
    defer,
    joinedload,
    mapped_column,
    relationship,
    selectinload,
)

from blog.models.base import Base, TimestampMixin, utcnow
from blog.models.public import PublicContent
from blog.models.search import listen_for_create_all
from blog.models.user import User, enum_column

TITLE_MAX = 200
SLUG_MAX = 200
NAME_MAX = 80
SUMMARY_MAX = 1000


class ArticleStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"


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
    def select_in_use(cls) -> Select[tuple[Category]]:
        """Categories that hold at least one public article, by name."""
        has_public_article = (
            select(Article.id)
            .where(Article.category_id == cls.id, Article.is_public())
            .exists()
        )
        return select(cls).where(has_public_article).order_by(cls.name)

    @classmethod
    def select_by_slug(cls, slug: str) -> Select[tuple[Category]]:
        return select(cls).where(cls.slug == slug)


class Tag(PublicContent, Base):
    __tablename__ = "tags"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME_MAX))
    slug: Mapped[str] = mapped_column(String(NAME_MAX), unique=True)

    @classmethod
    def select_by_slug(cls, slug: str) -> Select[tuple[Tag]]:
        return select(cls).where(cls.slug == slug)


class Article(PublicContent, TimestampMixin, Base):
    __tablename__ = "articles"
    __table_args__ = (
        Index("ix_articles_status_published_at", "status", "published_at"),
        Index(
            "ix_articles_category_published",
            "category_id",
            "status",
            "published_at",
        ),
        Index("ix_articles_author_published", "author_id", "status", "published_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(SLUG_MAX), unique=True)
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    summary: Mapped[str] = mapped_column(Text, default="")
    body_markdown: Mapped[str] = mapped_column(Text, default="")
    # Rendered and sanitised on save, never per request.
    body_html: Mapped[str] = mapped_column(Text, default="")
    # The body as plain text, for search and its snippets.
    body_text: Mapped[str] = mapped_column(Text, default="", server_default="")
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    category_id: Mapped[int | None] = mapped_column(
        ForeignKey("categories.id", ondelete="SET NULL")
    )
    status: Mapped[ArticleStatus] = mapped_column(
        enum_column(ArticleStatus, "article_status"), default=ArticleStatus.DRAFT
    )
    # A time in the future means scheduled: the article appears when it passes.
    published_at: Mapped[datetime | None]
    comments_open: Mapped[bool] = mapped_column(default=True)
    # Visible comments, kept by the comment services so listings need no count.
    comment_count: Mapped[int] = mapped_column(default=0, server_default="0")

    author: Mapped[User] = relationship()
    category: Mapped[Category | None] = relationship()
    tags: Mapped[list[Tag]] = relationship(secondary=article_tags, order_by=Tag.name)
    revisions: WriteOnlyMapped[Revision] = relationship(
        back_populates="article",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="Revision.created_at.desc()",
    )

    def __repr__(self) -> str:
        return f"<Article {self.slug} {self.status}>"

    def is_published(self, now: datetime | None = None) -> bool:
        """Published and its time has come: what the public may see."""
        now = now or utcnow()
        return (
            self.status is ArticleStatus.PUBLISHED
            and self.published_at is not None
            and self.published_at <= now
        )

    @property
    def was_updated_after_publication(self) -> bool:
        """Edited more than a minute after it went out: pages say "updated"."""
        if self.published_at is None:
            return False
        return self.updated_at - self.published_at > timedelta(minutes=1)

    @classmethod
    def is_public(cls, now: datetime | BindParameter | None = None):  # noqa: ANN206
        """The SQL condition matching is_published(): drafts and scheduled
        articles are left out by comparing with the time of the query, or
        with `now`, a time or a bind parameter (statements built once)."""
        return (cls.status == ArticleStatus.PUBLISHED) & (
            cls.published_at <= (utcnow() if now is None else now)
        )

    @classmethod
    def select_listing(cls) -> Select[tuple[Article]]:
        """Articles with what a listing or page shows of them, loaded eagerly."""
        return select(cls).options(
            joinedload(cls.author),
            joinedload(cls.category),
            selectinload(cls.tags),
        )

    @classmethod
    def select_published(cls, now: datetime | None = None) -> Select[tuple[Article]]:
        """Public articles, newest first."""
        return (
            cls.select_listing()
            .where(cls.is_public(now))
            .order_by(cls.published_at.desc(), cls.id.desc())
        )

    @classmethod
    def select_by_slug(cls, slug: str) -> Select[tuple[Article]]:
        return article_by_slug_statement().params(slug=slug)

    @classmethod
    def select_next_scheduled(cls) -> Select[tuple[datetime | None]]:
        """When the next scheduled article appears."""
        return (
            select(cls.published_at)
            .where(cls.status == ArticleStatus.PUBLISHED, cls.published_at > utcnow())
            .order_by(cls.published_at)
            .limit(1)
        )

    @classmethod
    def select_for_studio(cls, author_id: int | None) -> Select[tuple[Article]]:
        """Every article (author_id None: editors) or one author's, most
        recently changed first, drafts included."""
        statement = select(cls).options(
            joinedload(cls.author), joinedload(cls.category)
        )
        if author_id is not None:
            statement = statement.where(cls.author_id == author_id)
        return statement.order_by(cls.updated_at.desc(), cls.id.desc())

    @classmethod
    def select_neighbours(cls, article: Article) -> tuple[Select, Select]:
        """The public articles just older and just newer than this one."""
        values = {
            "published_at": article.published_at,
            "article_id": article.id,
            "now": utcnow(),
        }
        return tuple(statement.params(**values) for statement in neighbour_statements())

    @classmethod
    def select_published_between(
        cls, start: datetime, end: datetime
    ) -> Select[tuple[Article]]:
        return cls.select_published().where(
            cls.published_at >= start, cls.published_at < end
        )


listen_for_create_all(Article.__table__)


# Built once: every article page runs these, and building a statement with
# its loader options costs more than running it.
@cache
def article_by_slug_statement() -> Select[tuple[Article]]:
    """An article with its byline and category, built once (building it with
    its loader options costs more than running it). Its tags and its body,
    tens of KB a row, load when first read: most requests for an article
    page, and every comment POST, never read them."""
    return (
        select(Article)
        .options(
            joinedload(Article.author),
            joinedload(Article.category),
            defer(Article.body_markdown),
            defer(Article.body_html),
            defer(Article.body_text),
        )
        .where(Article.slug == bindparam("slug"))
    )


@cache
def neighbour_statements() -> tuple[Select, Select]:
    public = Article.is_public(bindparam("now"))
    at, article_id = bindparam("published_at"), bindparam("article_id")
    older = (
        select(Article.slug, Article.title)
        .where(public)
        .where(
            (Article.published_at < at)
            | ((Article.published_at == at) & (Article.id < article_id))
        )
        .order_by(Article.published_at.desc(), Article.id.desc())
        .limit(1)
    )
    newer = (
        select(Article.slug, Article.title)
        .where(public)
        .where(
            (Article.published_at > at)
            | ((Article.published_at == at) & (Article.id > article_id))
        )
        .order_by(Article.published_at, Article.id)
        .limit(1)
    )
    return older, newer


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
    def select_by_slug(cls, slug: str) -> Select[tuple[ArticleRedirect]]:
        return select(cls).where(cls.old_slug == slug)


def escape_like(text: str) -> str:
    """Make LIKE wildcards in user text match themselves."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


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
    def select_for(cls, article: Article) -> Select[tuple[Revision]]:
        """An article's revisions, newest first, with who made them."""
        return (
            select(cls)
            .where(cls.article_id == article.id)
            .options(joinedload(cls.editor))
            .order_by(cls.created_at.desc(), cls.id.desc())
        )
