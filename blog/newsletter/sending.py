"""Sending one mailing: each pending delivery in turn, paced, on one SMTP
connection, and recorded sent the moment the server took it (its own small
commit), so a worker killed half-way leaves exactly the rest to send.

The one window left is between the server's "250 OK" and that commit: a
kill inside it sends that one mail again. SMTP offers no way to ask a server
what it took, so at-least-once with a window of one statement is the best
any sender can do; a bounce or a deferral of one address never stops the
others.
"""

from __future__ import annotations

import logging
from datetime import datetime

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select, update

from blog.database import write_transaction
from blog.extensions import db
from blog.jobs import PermanentFailure, RunningJob, TemporaryFailure, job_handler
from blog.models import (
    Article,
    Delivery,
    DeliveryState,
    Mailing,
    MailingKind,
    Subscriber,
    SubscriberState,
    utcnow,
)
from blog.newsletter.compose import MailTemplate, article_template, digest_template
from blog.postman import MailDeferred, MailRefused, Postman
from blog.subscriptions.services import mark_bounced

log = logging.getLogger(__name__)

BATCH = 100
ERROR_MAX = 500


@job_handler("mailing")
def send_mailing_job(job: RunningJob) -> None:
    mailing = db.session.get(Mailing, job.payload["mailing_id"])
    if mailing is None:
        raise PermanentFailure("the mailing is gone")
    if mailing.finished_at is not None:
        return
    template = template_for(mailing)
    if template is None:
        finish(mailing.id, skipped=True)
        return
    try:
        send_pending(mailing.id, template, job)
    except TemporaryFailure as error:
        last_try = job.attempts >= current_app.config["JOB_MAX_ATTEMPTS"]
        if last_try and not error.made_progress:
            give_up(mailing.id, str(error))
        raise


def give_up(mailing_id: int, reason: str) -> None:
    """The job's last attempt failed: the addresses still waiting count as
    failed, and the mailing is over (the studio shows it so)."""
    with write_transaction() as session:
        failed = session.execute(
            update(Delivery)
            .where(
                Delivery.mailing_id == mailing_id,
                Delivery.state == DeliveryState.PENDING,
            )
            .values(state=DeliveryState.FAILED, error=reason[:ERROR_MAX])
            .execution_options(synchronize_session=False)
        ).rowcount  # type: ignore[attr-defined]
        session.execute(
            update(Mailing)
            .where(Mailing.id == mailing_id)
            .values(failed_count=Mailing.failed_count + failed, finished_at=utcnow())
            .execution_options(synchronize_session=False)
        )


def template_for(mailing: Mailing) -> MailTemplate | None:
    """The mail as it will go out; None when there is nothing left to send
    (the article was deleted or unpublished after the mailing started)."""
    if mailing.kind is MailingKind.ARTICLE:
        article = mailing.article
        if article is None or not article.is_published():
            return None
        return article_template(article)
    articles = list(
        db.session.scalars(
            Article.select_published().where(Article.id.in_(mailing.article_ids))
        )
    )
    if not articles:
        return None
    articles.reverse()  # oldest first, as the week went
    return digest_template(articles, digest_subject())


def digest_subject() -> str:
    from blog.site_settings import current_site

    return _("This week on %(site)s", site=current_site().title)


def send_pending(mailing_id: int, template: MailTemplate, job: RunningJob) -> None:
    deferred: list[str] = []
    sent_any = False
    after_id = 0
    with Postman() as postman:
        while batch := pending_deliveries(mailing_id, after_id):
            if not job.renew_lease():
                log.warning("mailing %s was taken over by another consumer", mailing_id)
                return
            for delivery_id, subscriber in batch:
                after_id = delivery_id
                if subscriber.state is not SubscriberState.CONFIRMED:
                    record(delivery_id, mailing_id, DeliveryState.SKIPPED, "left")
                    continue
                outcome = send_one(
                    postman, template, delivery_id, mailing_id, subscriber
                )
                if outcome == "sent":
                    sent_any = True
                elif outcome == "not pending":
                    continue
                elif outcome == "deferred":
                    deferred.append(subscriber.email)
                elif outcome not in ("bounced", "failed"):  # the server or us: stop
                    raise TemporaryFailure(outcome, made_progress=sent_any)
    if deferred:
        raise TemporaryFailure(
            f"{len(deferred)} address(es) deferred", made_progress=sent_any
        )
    finish(mailing_id, skipped=False)


def send_one(
    postman: Postman,
    template: MailTemplate,
    delivery_id: int,
    mailing_id: int,
    subscriber: Subscriber,
) -> str:
    """Send to one subscriber, recording it sent at the checkpoint (just
    before SMTP's final "."); "sent", "bounced", "deferred" (this address
    only), or the reason the whole run must wait."""
    recorded = False

    def mark_sent() -> None:
        nonlocal recorded
        if not record(delivery_id, mailing_id, DeliveryState.SENT, ""):
            # No longer pending: another consumer that took the job over
            # (this one's lease ran out) sent it, or the subscriber was
            # removed. Not sent from here.
            raise NotPending
        recorded = True

    try:
        postman.send(template.for_subscriber(subscriber), checkpoint=mark_sent)
    except NotPending:
        return "not pending"
    except (MailRefused, MailDeferred) as error:
        if recorded:
            undo_sent(delivery_id, mailing_id)
        if isinstance(error, MailRefused) and error.bounce:
            mark_bounced(subscriber.id, str(error))
            record(delivery_id, mailing_id, DeliveryState.BOUNCED, str(error))
            return "bounced"
        if isinstance(error, MailRefused) and error.message_only:
            record(delivery_id, mailing_id, DeliveryState.FAILED, str(error))
            return "failed"
        if isinstance(error, MailDeferred) and error.recipient:
            return "deferred"
        return str(error)
    return "sent"


def undo_sent(delivery_id: int, mailing_id: int) -> None:
    """The server refused the message after it was recorded sent."""
    with write_transaction() as session:
        session.execute(
            update(Delivery)
            .where(Delivery.id == delivery_id)
            .values(state=DeliveryState.PENDING, sent_at=None)
            .execution_options(synchronize_session=False)
        )
        session.execute(
            update(Mailing)
            .where(Mailing.id == mailing_id)
            .values(sent_count=Mailing.sent_count - 1)
            .execution_options(synchronize_session=False)
        )


def pending_deliveries(mailing_id: int, after_id: int) -> list[tuple[int, Subscriber]]:
    rows = db.session.execute(
        select(Delivery.id, Subscriber)
        .join(Subscriber, Delivery.subscriber_id == Subscriber.id)
        .where(
            Delivery.mailing_id == mailing_id,
            Delivery.state == DeliveryState.PENDING,
            Delivery.id > after_id,
        )
        .order_by(Delivery.id)
        .limit(BATCH)
        .execution_options(populate_existing=True)
    ).all()
    return [(row[0], row[1]) for row in rows]


class NotPending(Exception):
    """The delivery was recorded by someone else: it must not be sent."""


def record(delivery_id: int, mailing_id: int, state: DeliveryState, error: str) -> bool:
    """One delivery's outcome, committed at once; False (nothing changed)
    when it was no longer pending."""
    now = utcnow()
    counter = {
        DeliveryState.SENT: {"sent_count": Mailing.sent_count + 1},
        DeliveryState.BOUNCED: {"failed_count": Mailing.failed_count + 1},
        DeliveryState.FAILED: {"failed_count": Mailing.failed_count + 1},
    }.get(state)
    with write_transaction() as session:
        changed = session.execute(
            update(Delivery)
            .where(Delivery.id == delivery_id, Delivery.state == DeliveryState.PENDING)
            .values(
                state=state,
                error=error[:ERROR_MAX],
                sent_at=now if state is DeliveryState.SENT else None,
            )
            .execution_options(synchronize_session=False)
        ).rowcount  # type: ignore[attr-defined]
        if not changed:
            return False
        if counter:
            session.execute(
                update(Mailing)
                .where(Mailing.id == mailing_id)
                .values(**counter)
                .execution_options(synchronize_session=False)
            )
    return True


def finish(mailing_id: int, *, skipped: bool) -> None:
    now: datetime = utcnow()
    with write_transaction() as session:
        if skipped:
            session.execute(
                update(Delivery)
                .where(
                    Delivery.mailing_id == mailing_id,
                    Delivery.state == DeliveryState.PENDING,
                )
                .values(state=DeliveryState.SKIPPED)
                .execution_options(synchronize_session=False)
            )
        session.execute(
            update(Mailing)
            .where(Mailing.id == mailing_id)
            .values(finished_at=now)
            .execution_options(synchronize_session=False)
        )
