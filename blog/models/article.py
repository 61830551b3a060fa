"""Articles: what a listing, a page and a feed ask of them.

Categories and tags are in taxonomy.py, revisions and old slugs in history.py."""

from __future__ import annotations

import enum
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    ForeignKey,
    Index,
    Select,
    String,
    Text,
    Update,
    func,
    select,
)
from sqlalchemy.orm import (
    Mapped,
    WriteOnlyMapped,
    joinedload,
    mapped_column,
    relationship,
    selectinload,
)

if TYPE_CHECKING:
    from blog.models.history import Revision

from blog.models.base import Base, TimestampMixin, utcnow
from blog.models.public import PublicContent
from blog.models.search import listen_for_create_all
from blog.models.taxonomy import Category, Tag, article_tags
from blog.models.upload import ALT_MAX, Upload
from blog.models.user import User, enum_column

TITLE_MAX = 200
SLUG_MAX = 200
SUMMARY_MAX = 1000


class ArticleStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"


class ArticleKind(enum.StrEnum):
    """An article is dated and listed; a page (About, Contact) stands alone
    at /<slug>, outside listings, feeds and the archive."""

    ARTICLE = "article"
    PAGE = "page"


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
    kind: Mapped[ArticleKind] = mapped_column(
        enum_column(ArticleKind, "article_kind"),
        default=ArticleKind.ARTICLE,
        server_default=ArticleKind.ARTICLE.value,
    )
    # A time in the future means scheduled: the article appears when it passes.
    published_at: Mapped[datetime | None]
    comments_open: Mapped[bool] = mapped_column(default=True)
    # Visible comments, kept by the comment services so listings need no count.
    comment_count: Mapped[int] = mapped_column(default=0, server_default="0")
    # The image at the top of the article, in listings, link previews and feeds.
    cover_id: Mapped[int | None] = mapped_column(
        ForeignKey("uploads.id", ondelete="SET NULL")
    )
    cover_alt: Mapped[str] = mapped_column(
        String(ALT_MAX), default="", server_default=""
    )

    author: Mapped[User] = relationship()
    category: Mapped[Category | None] = relationship()
    tags: Mapped[list[Tag]] = relationship(secondary=article_tags, order_by=Tag.name)
    cover: Mapped[Upload | None] = relationship()
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
    def is_page(self) -> bool:
        return self.kind is ArticleKind.PAGE

    @property
    def cover_description(self) -> str:
        """The cover's alt text: the article's own, or else the one its image
        was given (and may be given later) in the studio's images."""
        if self.cover is None:
            return ""
        return self.cover_alt or self.cover.alt

    @property
    def was_updated_after_publication(self) -> bool:
        """Edited more than a minute after it went out: pages say "updated"."""
        if self.published_at is None:
            return False
        return self.updated_at - self.published_at > timedelta(minutes=1)

    @classmethod
    def is_public(
        cls, now: datetime | BindParameter[datetime] | None = None
    ) -> ColumnElement[bool]:
        """The SQL condition matching is_published(): drafts and scheduled
        articles are left out by comparing with the time of the query, or
        with `now`, a time or a bind parameter (statements built once)."""
        return (cls.status == ArticleStatus.PUBLISHED) & (
            cls.published_at <= (utcnow() if now is None else now)
        )

    @classmethod
    def is_listed(
        cls, now: datetime | BindParameter[datetime] | None = None
    ) -> ColumnElement[bool]:
        """Public and an article, not a page: what listings, the archive and
        the article feeds hold."""
        return cls.is_public(now) & (cls.kind == ArticleKind.ARTICLE)

    @classmethod
    def select_listing(cls) -> Select[Article]:
        """Articles with what a listing or page shows of them, loaded eagerly."""
        return select(cls).options(
            joinedload(cls.author),
            joinedload(cls.category),
            joinedload(cls.cover),
            selectinload(cls.tags),
        )

    @classmethod
    def select_published(
        cls, now: datetime | None = None, *, with_pages: bool = False
    ) -> Select[Article]:
        """Public articles (and pages, for search), newest first."""
        return (
            cls.select_listing()
            .where(cls.is_public(now) if with_pages else cls.is_listed(now))
            .order_by(cls.published_at.desc(), cls.id.desc())
        )

    @classmethod
    def select_by_slug(cls, slug: str) -> Select[Article]:
        from blog.models.article_statements import article_by_slug_statement

        return article_by_slug_statement().params(slug=slug)

    @classmethod
    def select_next_scheduled(cls) -> Select[datetime | None]:
        """When the next scheduled article appears."""
        return (
            select(cls.published_at)
            .where(cls.status == ArticleStatus.PUBLISHED, cls.published_at > utcnow())
            .order_by(cls.published_at)
            .limit(1)
        )

    @classmethod
    def select_for_studio(cls, author_id: int | None) -> Select[Article]:
        """Every article (author_id None: editors) or one author's, most
        recently changed first, drafts included."""
        statement = select(cls).options(
            joinedload(cls.author), joinedload(cls.category)
        )
        if author_id is not None:
            statement = statement.where(cls.author_id == author_id)
        return statement.order_by(cls.updated_at.desc(), cls.id.desc())

    @classmethod
    def select_neighbours(
        cls, article: Article
    ) -> tuple[Select[str, str], Select[str, str]]:
        """The public articles just older and just newer than this one (their
        titles and slugs). Built afresh: a page asks once per content version."""
        at, article_id = article.published_at, article.id
        public = select(cls.title, cls.slug).where(cls.is_listed()).limit(1)
        older = public.where(
            (cls.published_at < at) | ((cls.published_at == at) & (cls.id < article_id))
        ).order_by(cls.published_at.desc(), cls.id.desc())
        newer = public.where(
            (cls.published_at > at) | ((cls.published_at == at) & (cls.id > article_id))
        ).order_by(cls.published_at, cls.id)
        return older, newer

    @classmethod
    def select_taking_comments(cls) -> Select[int, bool]:
        """Lock the articles with ids `article_ids` until the commit, in id
        order so that two writers never wait for each other; with whether
        each takes comments (open, and public at `now`)."""
        from blog.models.article_statements import taking_comments_statement

        return taking_comments_statement()

    @classmethod
    def count_one_more_comment(cls) -> Update:
        """Add one to the comment count of the article `article_id`."""
        from blog.models.article_statements import count_one_more_statement

        return count_one_more_statement()

    @classmethod
    def select_categories_in_use(cls) -> Select[Category]:
        """Categories that hold at least one public article, by name."""
        has_public_article = (
            select(cls.id)
            .where(cls.category_id == Category.id, cls.is_listed())
            .exists()
        )
        return select(Category).where(has_public_article).order_by(Category.name)

    @classmethod
    def select_pages(cls) -> Select[Article]:
        """Every page, drafts included, by title: what a menu may link."""
        return select(cls).where(cls.kind == ArticleKind.PAGE).order_by(cls.title)

    @classmethod
    def select_id_by_slug(cls, slug: str) -> Select[int]:
        return select(cls.id).where(cls.slug == slug)

    @classmethod
    def select_count_by_author(cls, author_id: int) -> Select[int]:
        return select(func.count(cls.id)).where(cls.author_id == author_id)

    @classmethod
    def select_publication_times(cls) -> Select[datetime | None]:
        """When each public article appeared, for the archive's index."""
        return select(cls.published_at).where(cls.is_listed())

    @classmethod
    def select_published_between(
        cls, start: datetime, end: datetime
    ) -> Select[Article]:
        return cls.select_published().where(
            cls.published_at >= start, cls.published_at < end
        )


listen_for_create_all(Article.__table__)
