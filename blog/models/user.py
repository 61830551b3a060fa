"""Accounts and roles."""

from __future__ import annotations

import enum
import hashlib
from datetime import datetime
from typing import TYPE_CHECKING

from flask_babel import gettext
from flask_login import AnonymousUserMixin, UserMixin
from sqlalchemy import Enum, Select, String, false, func, select
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates
from werkzeug.security import check_password_hash, generate_password_hash

from blog.models.base import Base, utcnow
from blog.models.public import PUBLIC

if TYPE_CHECKING:
    from blog.models.profile import AuthorProfile

EMAIL_MAX = 254
DISPLAY_NAME_MAX = 80
SLUG_MAX = 100
# Shown in place of an author whose account is gone (in English: see
# deleted_user_name() for the site's language).
DELETED_USER_NAME = "deleted user"


def deleted_user_name() -> str:
    """DELETED_USER_NAME in the site's language (the feeds, the studio)."""
    return str(gettext("deleted user"))


class Role(enum.StrEnum):
    READER = "reader"
    AUTHOR = "author"
    EDITOR = "editor"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        return list(Role).index(self)

    def at_least(self, other: Role) -> bool:
        return self.rank >= other.rank


def enum_column(enum_class: type[enum.StrEnum], name: str) -> Enum:
    """A string column limited to the enum's values by a CHECK constraint, so
    SQLite and PostgreSQL store and migrate it alike."""
    return Enum(
        enum_class,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=16,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )


class User(UserMixin, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(EMAIL_MAX), unique=True)
    # Bylines and author pages show these two: changing them moves the
    # content version (blog/models/public.py); nothing else of a user does.
    display_name: Mapped[str] = mapped_column(String(DISPLAY_NAME_MAX), info=PUBLIC)
    slug: Mapped[str] = mapped_column(String(SLUG_MAX), unique=True, info=PUBLIC)
    # None means the account has no usable password (an imported author).
    password_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(enum_column(Role, "role"), default=Role.READER)
    active: Mapped[bool] = mapped_column(default=True)
    # Opt-in: mail me when someone replies to my comment or comments on my article.
    notify_replies: Mapped[bool] = mapped_column(default=False)
    # One of their comments has been shown (approved, or let through): under
    # BLOG_COMMENT_MODERATION=first the rest are shown at once. Kept here so
    # the comment form can say so with no query; never set back.
    has_approved_comment: Mapped[bool] = mapped_column(
        default=False, server_default=false()
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]

    # Their photo, bio and links, once they have saved them (authors).
    profile: Mapped[AuthorProfile | None] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"

    @validates("email")
    def normalise_email(self, _key: str, email: str) -> str:
        return email.strip().lower()

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    @property
    def password_fingerprint(self) -> str:
        """Changes whenever the password does: reset links carry it, so they
        stop working once used or after a password change."""
        digest = hashlib.sha256((self.password_hash or "no password").encode())
        return digest.hexdigest()[:16]

    def get_id(self) -> str:
        """Never what a session carries: blog/auth/sessions.py log_in() puts a
        session token there, and a bare id loads no one."""
        return f"user-{self.id}"

    @property
    def account_id(self) -> int:
        """As every viewer answers it (blog/permissions.py)."""
        return self.id

    @property
    def has_password(self) -> bool:
        return self.password_hash is not None

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        if self.password_hash is None:
            return False
        return check_password_hash(self.password_hash, password)

    def has_role(self, role: Role) -> bool:
        return self.role.at_least(role)

    @classmethod
    def select_all(cls) -> Select[User]:
        return select(cls).order_by(cls.created_at.desc(), cls.id.desc())

    @classmethod
    def select_by_email(cls, email: str) -> Select[User]:
        return select(cls).where(cls.email == email.strip().lower())

    @classmethod
    def select_by_slug(cls, slug: str) -> Select[User]:
        return select(cls).where(cls.slug == slug)

    @classmethod
    def select_authors_named(cls, name: str, slug: str) -> Select[User]:
        """Accounts holding the author role (or higher) whose slug or display
        name (in any case) is this one, oldest first."""
        name_matches = (cls.slug == slug) | (
            func.lower(cls.display_name) == name.lower()
        )
        return (
            select(cls)
            .where(name_matches, cls.role.in_([Role.AUTHOR, Role.EDITOR, Role.ADMIN]))
            .order_by(cls.id)
        )


class AnonymousReader(AnonymousUserMixin):
    """The visitor who is not logged in: holds no role and may do nothing."""

    role = None
    account_id = None

    def has_role(self, role: Role) -> bool:
        return False
