"""E-mail followers: who asked for mail, which mailings went out, and what
became of each delivery (so a restarted sender never mails anyone twice)."""

from __future__ import annotations

import enum
import secrets
from datetime import datetime

from sqlalchemy import (
    JSON,
    ForeignKey,
    Index,
    Select,
    String,
    Text,
    UniqueConstraint,
    select,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from blog.models.article import Article
from blog.models.base import Base, utcnow
from blog.models.user import EMAIL_MAX, User, enum_column

LINK_SECRET_BYTES = 16
MAILING_KEY_MAX = 100


class SubscriberState(enum.StrEnum):
    # Asked, not confirmed: nothing but the one confirmation mail is sent.
    PENDING = "pending"
    CONFIRMED = "confirmed"
    UNSUBSCRIBED = "unsubscribed"
    # The receiving server refused the address for good (SMTP 5xx).
    BOUNCED = "bounced"


class Frequency(enum.StrEnum):
    EACH_POST = "each_post"
    WEEKLY = "weekly"


class Subscriber(Base):
    __tablename__ = "subscribers"
    __table_args__ = (Index("ix_subscribers_state_frequency", "state", "frequency"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stored lower-case, like users' addresses.
    email: Mapped[str] = mapped_column(String(EMAIL_MAX), unique=True)
    state: Mapped[SubscriberState] = mapped_column(
        enum_column(SubscriberState, "subscriber_state"),
        default=SubscriberState.PENDING,
    )
    frequency: Mapped[Frequency] = mapped_column(
        enum_column(Frequency, "subscriber_frequency"), default=Frequency.EACH_POST
    )
    # A registered reader who subscribed from their account page.
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    # Part of every signed link; a new one makes every earlier link useless.
    link_secret: Mapped[str] = mapped_column(
        String(32), default=lambda: secrets.token_hex(LINK_SECRET_BYTES)
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # When the last confirmation mail was asked for: at most one an hour.
    confirmation_sent_at: Mapped[datetime | None]
    confirmed_at: Mapped[datetime | None]
    unsubscribed_at: Mapped[datetime | None]
    bounced_at: Mapped[datetime | None]
    # The receiving server's answer when it refused the address.
    bounce_reason: Mapped[str] = mapped_column(Text, default="")

    user: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<Subscriber {self.id} {self.state}>"

    @classmethod
    def select_by_email(cls, email: str) -> Select[Subscriber]:
        return select(cls).where(cls.email == email.strip().lower())


class MailingKind(enum.StrEnum):
    ARTICLE = "article"
    DIGEST = "digest"


class Mailing(Base):
    """One article mailed to its per-post subscribers, or one week's digest.
    The key ("article:12", "digest:2026-12-07") makes a second one impossible."""

    __tablename__ = "mailings"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(MAILING_KEY_MAX), unique=True)
    kind: Mapped[MailingKind] = mapped_column(enum_column(MailingKind, "mailing_kind"))
    article_id: Mapped[int | None] = mapped_column(
        ForeignKey("articles.id", ondelete="SET NULL"), index=True
    )
    # A digest's articles: those published in [period_start, period_end).
    period_start: Mapped[datetime | None]
    period_end: Mapped[datetime | None]
    # A digest's articles, fixed when it starts: an article published again
    # later is never in a second digest.
    article_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # When its recipients were fixed (the deliveries rows written).
    prepared_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    # Kept here too, so removing a subscriber (erasure) leaves the counts.
    sent_count: Mapped[int] = mapped_column(default=0)
    failed_count: Mapped[int] = mapped_column(default=0)

    article: Mapped[Article | None] = relationship()

    def __repr__(self) -> str:
        return f"<Mailing {self.key}>"


class DeliveryState(enum.StrEnum):
    PENDING = "pending"
    SENT = "sent"
    # Refused for good by the receiving server; the subscriber is bounced.
    BOUNCED = "bounced"
    # Given up after every retry.
    FAILED = "failed"
    # The subscriber left (or was removed) before their turn: not sent.
    SKIPPED = "skipped"


class Delivery(Base):
    """One mailing to one subscriber: written pending when the mailing's
    recipients are fixed, marked sent the moment the server took it."""

    __tablename__ = "deliveries"
    __table_args__ = (
        UniqueConstraint("mailing_id", "subscriber_id"),
        Index("ix_deliveries_mailing_state", "mailing_id", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    mailing_id: Mapped[int] = mapped_column(
        ForeignKey("mailings.id", ondelete="CASCADE")
    )
    subscriber_id: Mapped[int] = mapped_column(
        ForeignKey("subscribers.id", ondelete="CASCADE"), index=True
    )
    state: Mapped[DeliveryState] = mapped_column(
        enum_column(DeliveryState, "delivery_state"), default=DeliveryState.PENDING
    )
    error: Mapped[str] = mapped_column(Text, default="")
    sent_at: Mapped[datetime | None]

    subscriber: Mapped[Subscriber] = relationship()
