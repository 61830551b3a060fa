"""What is due to be mailed, decided by the minute's sweep (no cron, no
request): articles that became public with a mailing planned, and the
weekly digest at its hour in BLOG_TIMEZONE."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import delete, insert, literal, select, update

from blog.config_mail import WEEKDAYS
from blog.database import after_commit, write_transaction
from blog.extensions import db
from blog.jobs import enqueue, every_minute
from blog.models import (
    Article,
    ArticleKind,
    Delivery,
    DeliveryState,
    Frequency,
    Mailing,
    MailingKind,
    Subscriber,
    SubscriberState,
    utcnow,
)

log = logging.getLogger(__name__)

WEEK = timedelta(days=7)
# A digest whose hour passed while no consumer ran goes out late, within this.
DIGEST_LATE_LIMIT = timedelta(hours=24)


def article_mailing_key(article_id: int) -> str:
    return f"article:{article_id}"


def plan_article_mailing(article: Article, wanted: bool) -> None:
    """Inside the article's write transaction: mail it to per-post subscribers
    when it becomes public (now or at its set time), or no longer. Once its
    mailing has started, nothing here changes it: an article is mailed once,
    whatever is edited, unpublished or published again later."""
    if article.kind is not ArticleKind.ARTICLE or article.id is None:
        return
    key = article_mailing_key(article.id)
    existing = db.session.scalar(select(Mailing).where(Mailing.key == key))
    if existing is not None and existing.prepared_at is not None:
        return
    if not wanted:
        if existing is not None:
            db.session.delete(existing)
        return
    if existing is None:
        db.session.add(
            Mailing(key=key, kind=MailingKind.ARTICLE, article_id=article.id)
        )
    when = article.published_at or utcnow()
    after_commit(lambda: wake_sweep_at(when))


def article_mailing(article_id: int) -> Mailing | None:
    return db.session.scalar(
        select(Mailing).where(Mailing.key == article_mailing_key(article_id))
    )


def wake_sweep_at(when: datetime) -> None:
    from blog.jobs.queue import wake_sweep

    wake_sweep(when)


@every_minute
def start_due_article_mailings(now: datetime) -> None:
    """Fix the recipients of each planned mailing whose article is public
    now, and hand it to the sender."""
    due = db.session.scalars(
        select(Mailing.id)
        .join(Article, Mailing.article_id == Article.id)
        .where(
            Mailing.kind == MailingKind.ARTICLE,
            Mailing.prepared_at.is_(None),
            Article.is_public(now),
        )
    ).all()
    for mailing_id in due:
        start_mailing(mailing_id, Frequency.EACH_POST, now)


def start_mailing(mailing_id: int, frequency: Frequency, now: datetime) -> None:
    """One transaction: the recipients are every confirmed subscriber of
    this frequency at this moment, and the job that mails them is queued."""
    with write_transaction() as session:
        claimed = session.execute(
            update(Mailing)
            .where(Mailing.id == mailing_id, Mailing.prepared_at.is_(None))
            .values(prepared_at=now)
            .execution_options(synchronize_session=False)
        ).rowcount  # type: ignore[attr-defined]
        if not claimed:
            return
        recipients = select(
            Subscriber.id.label("subscriber_id"),
        ).where(
            Subscriber.state == SubscriberState.CONFIRMED,
            Subscriber.frequency == frequency,
        )
        session.execute(
            insert(Delivery).from_select(
                ["subscriber_id", "mailing_id", "state", "error"],
                recipients.add_columns(
                    literal(mailing_id),
                    literal(DeliveryState.PENDING.value),
                    literal(""),
                ),
            )
        )
        enqueue("mailing", f"mailing:{mailing_id}", {"mailing_id": mailing_id})


def last_digest_time(now: datetime) -> datetime:
    """The most recent digest hour at or before `now`, in the site's zone."""
    config = current_app.config
    zone = ZoneInfo(config["TIMEZONE"])
    local = now.astimezone(zone)
    weekday = WEEKDAYS.index(config["DIGEST_WEEKDAY"])
    day = local.date() - timedelta(days=(local.weekday() - weekday) % 7)
    slot = datetime(day.year, day.month, day.day, config["DIGEST_HOUR"], tzinfo=zone)
    if slot > local:
        slot -= WEEK
    return slot


@every_minute
def start_due_digest(now: datetime) -> None:
    """Once a week at the set hour: the articles of the week before it, to
    weekly subscribers. A week without articles sends nothing."""
    slot = last_digest_time(now)
    if now - slot > DIGEST_LATE_LIMIT:
        return
    key = f"digest:{slot.date().isoformat()}"
    if db.session.scalar(select(Mailing.id).where(Mailing.key == key)) is not None:
        return
    start = (slot - WEEK).astimezone(now.tzinfo)
    end = slot.astimezone(now.tzinfo)
    article_ids = digest_articles(start, end)
    with write_transaction() as session:
        if session.scalar(select(Mailing.id).where(Mailing.key == key)) is not None:
            return
        mailing = Mailing(
            key=key,
            kind=MailingKind.DIGEST,
            period_start=start,
            period_end=end,
            article_ids=article_ids,
        )
        if not article_ids:
            mailing.prepared_at = mailing.finished_at = now
        session.add(mailing)
        session.flush()
        mailing_id = mailing.id
    if article_ids:
        start_mailing(mailing_id, Frequency.WEEKLY, now)


def digest_articles(start: datetime, end: datetime) -> list[int]:
    """The ids of the articles published in [start, end) that no earlier
    digest held (one unpublished and published again is news only once)."""
    published = db.session.scalars(
        Article.select_published_between(start, end).with_only_columns(Article.id)
    ).all()
    earlier = db.session.scalars(
        select(Mailing.article_ids).where(
            Mailing.kind == MailingKind.DIGEST, Mailing.period_end <= end
        )
    ).all()
    sent_before = {article_id for ids in earlier for article_id in ids}
    return [article_id for article_id in published if article_id not in sent_before]


def forget_unsent_mailing(article_id: int) -> None:
    """The article is deleted: a mailing that has not started never will."""
    db.session.execute(
        delete(Mailing).where(
            Mailing.key == article_mailing_key(article_id),
            Mailing.prepared_at.is_(None),
        )
    )
