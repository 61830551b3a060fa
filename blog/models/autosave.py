"""What an author typed in the editor and has not saved yet.

The editor sends its fields a few seconds after the author stops typing.
They are kept beside the article, never in it: a published article does not
change until its author presses Save, and a draft does not gain a revision
per pause. Opening the editor again brings them back; saving drops them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Select, UniqueConstraint, delete, select
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.sql.dml import Delete

from blog.models.base import Base, utcnow


class Autosave(Base):
    __tablename__ = "autosaves"
    __table_args__ = (UniqueConstraint("user_id", "article_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # The unique pair's index serves lookups by user.
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), index=True
    )
    # The editor's fields by name, as typed: title, body, slug, category,
    # tags, summary, comments_open, publish_at.
    fields: Mapped[dict[str, Any]] = mapped_column(JSON)
    saved_at: Mapped[datetime] = mapped_column(default=utcnow)

    @classmethod
    def select_for(cls, user_id: int, article_id: int) -> Select[Autosave]:
        return select(cls).where(cls.user_id == user_id, cls.article_id == article_id)

    @classmethod
    def delete_for(cls, user_id: int, article_id: int) -> Delete:
        return delete(cls).where(cls.user_id == user_id, cls.article_id == article_id)
