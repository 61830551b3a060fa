"""Images authors upload for their articles."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Select, String, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from blog.models.base import Base, utcnow
from blog.models.user import User


class Upload(Base):
    __tablename__ = "uploads"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Random, so names say nothing and cannot collide or climb out of the folder.
    filename: Mapped[str] = mapped_column(String(64), unique=True)
    original_name: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(32))
    size: Mapped[int]
    width: Mapped[int]
    height: Mapped[int]
    uploader_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    uploader: Mapped[User | None] = relationship()

    @classmethod
    def select_newest(cls, uploader_id: int | None = None) -> Select[Upload]:
        """Newest first: everyone's, or one uploader's."""
        statement = select(cls).order_by(cls.created_at.desc(), cls.id.desc())
        if uploader_id is not None:
            statement = statement.where(cls.uploader_id == uploader_id)
        return statement
