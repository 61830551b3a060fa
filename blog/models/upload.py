"""Images authors upload for their articles."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Select, String, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from blog.models.base import Base, utcnow
from blog.models.public import PUBLIC
from blog.models.user import User

ALT_MAX = 200


class Upload(Base):
    """An image; its file and size show on public pages when it is a cover."""

    __tablename__ = "uploads"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Random, so names say nothing and cannot collide or climb out of the folder.
    filename: Mapped[str] = mapped_column(String(64), unique=True, info=PUBLIC)
    original_name: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(32), info=PUBLIC)
    size: Mapped[int] = mapped_column(info=PUBLIC)
    width: Mapped[int] = mapped_column(info=PUBLIC)
    height: Mapped[int] = mapped_column(info=PUBLIC)
    # The widths of the smaller copies made on upload (see image_process.py);
    # empty for an animated image and for images uploaded before them.
    variant_widths: Mapped[list[int]] = mapped_column(
        JSON, default=list, server_default="[]", info=PUBLIC
    )
    # The sizes of the square PNGs cropped from it, for an avatar or the
    # site's icon (which has a favicon.ico too); empty for other images.
    square_sizes: Mapped[list[int]] = mapped_column(
        JSON, default=list, server_default="[]", info=PUBLIC
    )
    # What the image shows, for people who cannot see it: every Markdown
    # snippet for it uses this, and a cover with no alt text of its own.
    alt: Mapped[str] = mapped_column(
        String(ALT_MAX), default="", server_default="", info=PUBLIC
    )
    uploader_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    uploader: Mapped[User | None] = relationship()

    @property
    def stem(self) -> str:
        return self.filename.rsplit(".", 1)[0]

    @property
    def extension(self) -> str:
        return self.filename.rsplit(".", 1)[1]

    def variant_filename(self, width: int, extension: str) -> str:
        """A smaller copy's name; its own-format copy at full width is the
        image itself."""
        if width == self.width and extension == self.extension:
            return self.filename
        return f"{self.stem}-{width}w.{extension}"

    def variant_files(self) -> list[str]:
        """The smaller copies' names, in the order image_process.py writes
        them: by width, WebP then own format."""
        names = []
        for width in self.variant_widths:
            names.append(self.variant_filename(width, "webp"))
            if self.extension != "gif" and width < self.width:
                names.append(self.variant_filename(width, self.extension))
        return names

    def square_filename(self, size: int) -> str:
        return f"{self.stem}-{size}sq.png"

    @property
    def ico_filename(self) -> str | None:
        """The favicon.ico made with its squares when they include 32 px."""
        return f"{self.stem}.ico" if 32 in self.square_sizes else None

    def square_files(self) -> list[str]:
        """The squares' names in the order image_process.py writes them."""
        names = [self.square_filename(size) for size in self.square_sizes]
        return names + ([self.ico_filename] if self.ico_filename else [])

    def variant_height(self, width: int) -> int:
        return max(1, round(self.height * width / self.width))

    @classmethod
    def select_newest(cls, uploader_id: int | None = None) -> Select[Upload]:
        """Newest first: everyone's, or one uploader's."""
        statement = select(cls).order_by(cls.created_at.desc(), cls.id.desc())
        if uploader_id is not None:
            statement = statement.where(cls.uploader_id == uploader_id)
        return statement
