"""Comments and their moderation states."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import datetime
from functools import cache

from sqlalchemy import (
    ForeignKey,
    Index,
    Select,
    String,
    Text,
    Update,
    bindparam,
    func,
    select,
    update,
)
from sqlalchemy.orm import (
    Mapped,
    aliased,
    contains_eager,
    joinedload,
    mapped_column,
    relationship,
)

from blog.models.article import Article
from blog.models.base import Base, utcnow
from blog.models.public import PublicContent
from blog.models.user import (
    DISPLAY_NAME_MAX,
    EMAIL_MAX,
    User,
    deleted_user_name,
    enum_column,
)

BODY_MAX = 5000


class CommentStatus(enum.StrEnum):
    VISIBLE = "visible"
    PENDING = "pending"
    HIDDEN = "hidden"
    SPAM = "spam"
    DELETED = "deleted"


class Comment(PublicContent, Base):
    __tablename__ = "comments"
    __table_args__ = (
        Index("ix_comments_article_created", "article_id", "created_at"),
        Index("ix_comments_status_created", "status", "created_at"),
        Index("ix_comments_author_created", "author_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE")
    )
    # None once the commenter deletes their account: deleted_user_name() shows.
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("comments.id", ondelete="CASCADE")
    )
    # A comment imported from another blog whose writer has no account here
    # (WordPress lets anyone comment with a name and an unchecked e-mail):
    # the name it was signed with. Never matched to an account by e-mail,
    # which anyone could have typed.
    guest_name: Mapped[str | None] = mapped_column(String(DISPLAY_NAME_MAX))
    guest_email: Mapped[str | None] = mapped_column(String(EMAIL_MAX))
    body_markdown: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    status: Mapped[CommentStatus] = mapped_column(
        enum_column(CommentStatus, "comment_status"), default=CommentStatus.VISIBLE
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    edited_at: Mapped[datetime | None]

    article: Mapped[Article] = relationship()
    author: Mapped[User | None] = relationship()
    parent: Mapped[Comment | None] = relationship(remote_side=[id])

    def __repr__(self) -> str:
        return f"<Comment {self.id} on {self.article_id} {self.status}>"

    @property
    def author_name(self) -> str:
        """Who wrote it, as readers see it: the account is gone once its
        owner deletes it, but the comment keeps its place in the thread. An
        imported guest's comment shows the name it was signed with."""
        if self.author is not None:
            return self.author.display_name
        return self.guest_name or deleted_user_name()

    @classmethod
    def select_thread(
        cls, article_id: int, *, viewer_id: int | None, with_pending: bool
    ) -> Select[Comment]:
        """An article's whole discussion for one reader, in one query: the
        comments they may read (visible ones, their own pending ones, or every
        pending one for a moderator) plus every ancestor of those, whatever
        its status, so a removed comment can hold its thread as a placeholder.
        Oldest first, authors loaded."""
        variant = "moderator" if with_pending else "reader" if viewer_id else "public"
        return thread_statement(variant).params(
            article_id=article_id, viewer_id=viewer_id or 0
        )

    @classmethod
    def recount_articles(cls, article_ids: Iterable[int]) -> Update:
        """Set these articles' comment_count to their visible comments."""
        visible = (
            select(func.count(cls.id))
            .where(cls.article_id == Article.id, cls.status == CommentStatus.VISIBLE)
            .correlate(Article)
            .scalar_subquery()
        )
        return (
            update(Article)
            .where(Article.id.in_(sorted(set(article_ids))))
            .values(comment_count=visible)
            .execution_options(synchronize_session=False)
        )

    @classmethod
    def update_orphan_by(cls, author_id: int) -> Update:
        """Keep an account's comments in their threads once it is deleted."""
        return update(cls).where(cls.author_id == author_id).values(author_id=None)

    @classmethod
    def select_same_text_since(cls) -> Select[int]:
        """The author `author_id`'s comment with the text `body` since
        `since`, if any: a double post."""
        return same_text_statement()

    @classmethod
    def select_article_ids(cls, ids: Iterable[int]) -> Select[int]:
        """The articles these comments are on."""
        return select(cls.article_id).where(cls.id.in_(list(ids))).distinct()

    @classmethod
    def select_with_article(cls, comment_id: int) -> Select[Comment]:
        return (
            select(cls)
            .where(cls.id == comment_id)
            .options(joinedload(cls.article), joinedload(cls.author))
        )

    @classmethod
    def select_for_feed(cls, ids: Iterable[int]) -> Select[Comment]:
        """These comments with their authors and their articles' titles."""
        return (
            select(cls)
            .where(cls.id.in_(list(ids)))
            .options(
                joinedload(cls.author),
                joinedload(cls.article).load_only(
                    Article.id, Article.slug, Article.title
                ),
            )
        )

    @classmethod
    def select_commenter_ids(cls, article_id: int) -> Select[int | None]:
        """Everyone who has a comment on the article, in any state."""
        return select(cls.author_id).where(cls.article_id == article_id).distinct()

    @classmethod
    def select_for_moderation(
        cls, status: CommentStatus, *, article_author_id: int | None
    ) -> Select[Comment]:
        """Comments in one state, newest first, with their article and author:
        on one author's articles, or on every article (None: editors)."""
        statement = (
            select(cls)
            .join(cls.article)
            .where(cls.status == status)
            .options(contains_eager(cls.article), joinedload(cls.author))
            .order_by(cls.created_at.desc(), cls.id.desc())
        )
        if article_author_id is not None:
            statement = statement.where(Article.author_id == article_author_id)
        return statement

    @classmethod
    def select_status_counts(
        cls, *, article_author_id: int | None
    ) -> Select[CommentStatus, int]:
        """How many comments each state holds, in a moderator's scope."""
        statement = (
            select(cls.status, func.count(cls.id))
            .join(cls.article)
            .group_by(cls.status)
        )
        if article_author_id is not None:
            statement = statement.where(Article.author_id == article_author_id)
        return statement

    @classmethod
    def select_pending_by_article(cls, article_ids: Iterable[int]) -> Select[int, int]:
        """How many comments wait for moderation on each of these articles."""
        return (
            select(cls.article_id, func.count(cls.id))
            .where(cls.status == CommentStatus.PENDING)
            .where(cls.article_id.in_(list(article_ids)))
            .group_by(cls.article_id)
        )

    @classmethod
    def select_by_ids(cls, ids: list[int]) -> Select[Comment]:
        """These comments with their articles, for moderation in bulk."""
        return (
            select(cls)
            .where(cls.id.in_(ids))
            .options(joinedload(cls.article))
            .order_by(cls.id)
        )


@cache
def same_text_statement() -> Select[int]:
    """Built once, like Article.select_taking_comments(): 59 µs to build,
    under the write lock of every comment."""
    return (
        select(Comment.id)
        .where(
            Comment.author_id == bindparam("author_id"),
            Comment.created_at >= bindparam("since"),
            Comment.status != CommentStatus.DELETED,
            Comment.body_markdown == bindparam("body"),
        )
        .limit(1)
    )


@cache
def thread_statement(variant: str) -> Select[Comment]:
    """select_thread's query for one kind of viewer, built once: the recursive
    query costs 0.8 ms to build (1 µs cached), on every article page of a
    commenter or moderator (bench: "article, logged-in reader")."""
    readable = Comment.status == CommentStatus.VISIBLE
    if variant == "moderator":
        readable |= Comment.status == CommentStatus.PENDING
    elif variant == "reader":
        readable |= (Comment.status == CommentStatus.PENDING) & (
            Comment.author_id == bindparam("viewer_id")
        )
    shown = (
        select(Comment.id, Comment.parent_id)
        .where(Comment.article_id == bindparam("article_id"), readable)
        .cte("shown", recursive=True)
    )
    ancestor = aliased(Comment)
    shown = shown.union(
        select(ancestor.id, ancestor.parent_id).join(
            shown, ancestor.id == shown.c.parent_id
        )
    )
    return (
        select(Comment)
        .where(Comment.id.in_(select(shown.c.id)))
        # A page shows authors' names only: leave their hashes and emails.
        .options(joinedload(Comment.author).load_only(User.display_name, User.slug))
        .order_by(Comment.created_at, Comment.id)
    )
