"""What an author shows readers of themselves: a photo, a bio and links."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from blog.models.base import Base, utcnow
from blog.models.public import PublicContent
from blog.models.upload import Upload

BIO_MAX = 2000  # characters of Markdown: a paragraph or three
URL_MAX = 300
LINKS_MAX = 6  # besides the website
# The avatar's square copies: 64 and 128 px under an article (1x, 2x), 96 and
# 192 on the author's page, and 128 in the author feed's image (RSS allows
# 144 at most).
AVATAR_SIZES = (64, 96, 128, 192)


class AuthorProfile(PublicContent, Base):
    """At most one per account, made by their first save in the studio. Kept
    apart from `users` so that the row every request loads (the logged-in
    user) stays small, and an account's bio never rides along with a login.
    Every column shows on public pages: a change moves the content version."""

    __tablename__ = "author_profiles"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    bio_markdown: Mapped[str] = mapped_column(Text, default="", server_default="")
    # Rendered and sanitised on save (the comment profile: no images, no
    # headings), like an article's body.
    bio_html: Mapped[str] = mapped_column(Text, default="", server_default="")
    bio_text: Mapped[str] = mapped_column(Text, default="", server_default="")
    website: Mapped[str] = mapped_column(String(URL_MAX), default="", server_default="")
    # Other profiles of theirs (Mastodon, GitHub…), linked with rel="me".
    links: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    avatar_id: Mapped[int | None] = mapped_column(
        ForeignKey("uploads.id", ondelete="SET NULL")
    )
    # Feeds naming this author are modified then (their validators read it).
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    # Always wanted with the profile: one query for both.
    avatar: Mapped[Upload | None] = relationship(lazy="joined")

    @property
    def has_avatar(self) -> bool:
        return self.avatar is not None and bool(self.avatar.square_sizes)
