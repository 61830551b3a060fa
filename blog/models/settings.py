"""The site's identity and policies as its owner set them in the studio."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from blog.models.base import Base, utcnow
from blog.models.public import PublicContent
from blog.models.upload import Upload

SETTINGS_ROW_ID = 1
TITLE_MAX = 80
TAGLINE_MAX = 160
DESCRIPTION_MAX = 300


class SiteSettings(PublicContent, Base):
    """At most one row, made by the first save. A NULL column means "not set
    here": the configuration's value (blog/config.py, instance/config.py or a
    BLOG_ variable) applies. Every column shows on public pages, so any change
    moves the content version."""

    __tablename__ = "site_settings"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    title: Mapped[str | None] = mapped_column(String(TITLE_MAX))
    tagline: Mapped[str | None] = mapped_column(String(TAGLINE_MAX))
    description: Mapped[str | None] = mapped_column(String(DESCRIPTION_MAX))
    accent_color: Mapped[str | None] = mapped_column(String(7))
    language: Mapped[str | None] = mapped_column(String(16))
    timezone: Mapped[str | None] = mapped_column(String(64))
    comment_moderation: Mapped[str | None] = mapped_column(String(8))
    registration_open: Mapped[bool | None]
    # Shown in the header instead of the title's text (with it as alt text).
    logo_id: Mapped[int | None] = mapped_column(
        ForeignKey("uploads.id", ondelete="SET NULL")
    )
    # Square copies and a favicon.ico were made from it (Upload.square_files).
    icon_id: Mapped[int | None] = mapped_column(
        ForeignKey("uploads.id", ondelete="SET NULL")
    )
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    logo: Mapped[Upload | None] = relationship(foreign_keys=[logo_id])
    icon: Mapped[Upload | None] = relationship(foreign_keys=[icon_id])
