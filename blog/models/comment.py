"""Comments and their moderation states."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, Select, Text, select
from sqlalchemy.orm import Mapped, joinedload, mapped_column, relationship

from blog.models.article import Article
from blog.models.base import Base, utcnow
from blog.models.user import User, enum_column

BODY_MAX = 5000


class CommentStatus(enum.StrEnum):
    VISIBLE = "visible"
    PENDING = "pending"
    HIDDEN = "hidden"
    SPAM = "spam"
    DELETED = "deleted"


class Comment(Base):
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
    # None once the commenter deletes their account: shown as "deleted user".
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("comments.id", ondelete="CASCADE")
    )
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

    @classmethod
    def select_visible_for(cls, article: Article) -> Select[tuple[Comment]]:
        """An article's visible comments, oldest first, with their authors."""
        return (
            select(cls)
            .where(cls.article_id == article.id, cls.status == CommentStatus.VISIBLE)
            .options(joinedload(cls.author))
            .order_by(cls.created_at, cls.id)
        )
