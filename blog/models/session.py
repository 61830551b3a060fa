"""Sessions kept on the server, so that logging out ends them everywhere.

The browser holds a random token (in Flask's signed session cookie and, for
"remember me", in the remember cookie); the database holds only its SHA-256.
A copied cookie is worth nothing once its row is gone: at logout, password
change or reset, deactivation, "log out other sessions", or expiry.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from sqlalchemy import ForeignKey, Select, String, select
from sqlalchemy.orm import Mapped, mapped_column

from blog.models.base import Base, utcnow
from blog.models.user import User

USER_AGENT_MAX = 200


def token_digest(token: str) -> str:
    """What the database keeps of a token: enough to find it, not to use it.
    A token has 256 random bits, so a fast hash is as good as a slow one."""
    return hashlib.sha256(token.encode()).hexdigest()


class UserSession(Base):
    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    token_digest: Mapped[str] = mapped_column(String(64), unique=True)
    remembered: Mapped[bool] = mapped_column(default=False)
    user_agent: Mapped[str] = mapped_column(String(USER_AGENT_MAX), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]

    @classmethod
    def select_user(cls, token: str, now: datetime) -> Select[User]:
        """The active account a live session token belongs to: one query."""
        return (
            select(User)
            .join(cls, cls.user_id == User.id)
            .where(cls.token_digest == token_digest(token), cls.expires_at > now)
            .where(User.active.is_(True))
        )

    @classmethod
    def select_live(cls, user_id: int, now: datetime) -> Select[UserSession]:
        return (
            select(cls)
            .where(cls.user_id == user_id, cls.expires_at > now)
            .order_by(cls.created_at.desc(), cls.id.desc())
        )
