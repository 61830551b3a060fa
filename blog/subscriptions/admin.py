"""The owner's view of followers: counts, a search, the CSV, erasure."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import datetime

from sqlalchemy import Select, delete, func, select

from blog.database import write_transaction
from blog.extensions import db
from blog.models import Frequency, Subscriber, SubscriberState
from blog.slugs import escape_like

CSV_COLUMNS = (
    "email",
    "state",
    "frequency",
    "created_at",
    "confirmed_at",
    "unsubscribed_at",
    "bounced_at",
)
# A spreadsheet runs a cell that starts so as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def counts() -> dict[str, int]:
    """Subscribers by state, and the confirmed ones by frequency."""
    by_state = dict(
        db.session.execute(
            select(Subscriber.state, func.count()).group_by(Subscriber.state)
        ).all()
    )
    by_frequency = dict(
        db.session.execute(
            select(Subscriber.frequency, func.count())
            .where(Subscriber.state == SubscriberState.CONFIRMED)
            .group_by(Subscriber.frequency)
        ).all()
    )
    result = {state.value: by_state.get(state, 0) for state in SubscriberState}
    result |= {freq.value: by_frequency.get(freq, 0) for freq in Frequency}
    return result


def search(text: str = "", state: SubscriberState | None = None) -> Select[Subscriber]:
    """Newest first; `text` anywhere in the address, wildcards as typed."""
    query = select(Subscriber).order_by(Subscriber.id.desc())
    if text:
        pattern = "%" + escape_like(text.strip().lower()) + "%"
        query = query.where(Subscriber.email.like(pattern, escape="\\"))
    if state is not None:
        query = query.where(Subscriber.state == state)
    return query


def state_since(subscriber: Subscriber) -> datetime | None:
    """When the subscriber came to their present state (None while pending:
    their sign-up date says it)."""
    return {
        SubscriberState.CONFIRMED: subscriber.confirmed_at,
        SubscriberState.UNSUBSCRIBED: subscriber.unsubscribed_at,
        SubscriberState.BOUNCED: subscriber.bounced_at,
    }.get(subscriber.state)


def csv_lines() -> Iterator[str]:
    """The whole list as CSV, a line at a time (streamed, however long)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    yield take(buffer)
    rows = db.session.execute(
        select(Subscriber).order_by(Subscriber.id).execution_options(yield_per=500)
    ).scalars()
    for subscriber in rows:
        writer.writerow([cell(getattr(subscriber, name)) for name in CSV_COLUMNS])
        yield take(buffer)


def take(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat()
    text = str(getattr(value, "value", value))
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def remove(subscriber_id: int) -> bool:
    """Erase a follower: their row, their address with it, and their
    deliveries (the mailings' counts stay). False when already gone."""
    with write_transaction() as session:
        return bool(
            session.execute(
                delete(Subscriber)
                .where(Subscriber.id == subscriber_id)
                .execution_options(synchronize_session=False)
            ).rowcount  # type: ignore[attr-defined]
        )
