"""Changing subscribers: the one place their state moves."""

from __future__ import annotations

from sqlalchemy import update

from blog.database import write_transaction
from blog.models import Subscriber, SubscriberState, utcnow

REASON_MAX = 500


def mark_bounced(subscriber_id: int, reason: str) -> None:
    """The receiving server refused the address for good: mail it no more."""
    with write_transaction() as session:
        session.execute(
            update(Subscriber)
            .where(Subscriber.id == subscriber_id)
            .values(
                state=SubscriberState.BOUNCED,
                bounced_at=utcnow(),
                bounce_reason=reason[:REASON_MAX],
            )
            .execution_options(synchronize_session=False)
        )
