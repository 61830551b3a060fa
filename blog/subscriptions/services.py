"""Changing subscribers: the one place their state moves.

Double opt-in: a request (the public form, or a reader's account page)
leaves the address PENDING and mails it one confirmation link; only that
link makes it CONFIRMED. Whatever state the address is in, the caller
answers the same, so the form never tells who is subscribed. At most one
mail an hour goes to an address on a request (`confirmation_sent_at`),
whoever asks and however often.
"""

from __future__ import annotations

import enum
import secrets
from datetime import timedelta

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from blog.database import write_transaction
from blog.errors import InvalidInput
from blog.extensions import db
from blog.models import Frequency, Subscriber, SubscriberState, utcnow
from blog.models.subscription import LINK_SECRET_BYTES
from blog.models.user import EMAIL_MAX
from blog.subscriptions import mails

REASON_MAX = 500
# The least time between two mails a request sends to one address.
MAIL_INTERVAL = timedelta(hours=1)
# States in which an address may be mailed, or may confirm.
ACTIVE = (SubscriberState.PENDING, SubscriberState.CONFIRMED)


class Outcome(enum.StrEnum):
    """What a request did; the public form says the same in every case."""

    CONFIRMATION_SENT = "confirmation_sent"
    # Already confirmed: a mail with their manage link instead.
    REMINDER_SENT = "reminder_sent"
    # A mail went to this address less than an hour ago.
    NOTHING_SENT = "nothing_sent"


class LinkNotValid(Exception):
    """The link was good when read, but its subscriber moved on since (a new
    request voided it, or they left): nothing is changed."""


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


def normalised_address(text: str) -> str:
    """The address as stored: checked for shape only (no DNS lookup, which
    would make the form as slow as the slowest name server), lower-case.
    Its ASCII form when the domain is international, and none that needs
    SMTPUTF8 (a local part beyond ASCII), which many servers refuse: every
    address kept here is one the mail transport can hand over."""
    text = text.strip()
    if not text or len(text) > EMAIL_MAX:
        raise InvalidInput(not_an_address())
    try:
        checked = validate_email(text, check_deliverability=False, allow_smtputf8=False)
    except EmailNotValidError as error:
        raise InvalidInput(not_an_address()) from error
    return str(checked.ascii_email or checked.normalized).lower()


def not_an_address() -> str:
    return _(
        "This is not an e-mail address we can write to. Check it for a typo "
        "(it looks like name@example.com)."
    )


def request_subscription(
    email: str, frequency: Frequency, *, user_id: int | None = None
) -> Outcome:
    """Someone asked for mail at this address. New, pending or gone (left,
    bounced): PENDING, and one confirmation mail. Confirmed: nothing changes
    (a stranger must not change someone's choice), and one mail with their
    manage link, as the one who asks is most likely the owner who forgot.
    `user_id`: a logged-in reader asking from their account page; the row
    this request (re)starts is linked to their account."""
    email = normalised_address(email)
    try:
        with write_transaction() as session:
            # Locked (PostgreSQL; SQLite's writers take turns): two requests
            # at the same moment must not both find the hour passed.
            subscriber = session.scalar(
                Subscriber.select_by_email(email)
                .with_for_update()
                .execution_options(populate_existing=True)
            )
            if subscriber is None:
                subscriber = Subscriber(
                    email=email,
                    state=SubscriberState.PENDING,
                    frequency=frequency,
                    user_id=user_id,
                    link_secret=new_link_secret(),
                )
                session.add(subscriber)
                session.flush()  # its id goes into the link
            elif not may_mail(subscriber):
                return Outcome.NOTHING_SENT
            elif subscriber.state is SubscriberState.CONFIRMED:
                subscriber.confirmation_sent_at = utcnow()
                mails.send_already_subscribed(subscriber)
                return Outcome.REMINDER_SENT
            else:
                start_again(subscriber, frequency, user_id)
            subscriber.confirmation_sent_at = utcnow()
            mails.send_confirmation(subscriber)
            return Outcome.CONFIRMATION_SENT
    except IntegrityError:
        # A request for the same new address was added at the same moment
        # (PostgreSQL; SQLite's writers take turns): it sends the one mail.
        return Outcome.NOTHING_SENT


def may_mail(subscriber: Subscriber) -> bool:
    sent = subscriber.confirmation_sent_at
    return sent is None or utcnow() - sent >= MAIL_INTERVAL


def new_link_secret() -> str:
    return secrets.token_hex(LINK_SECRET_BYTES)


def start_again(
    subscriber: Subscriber, frequency: Frequency, user_id: int | None
) -> None:
    if subscriber.state not in ACTIVE:
        # Left or bounced: a fresh start, and every link sent before (the
        # old unsubscribe and confirm links among them) stops working.
        subscriber.state = SubscriberState.PENDING
        subscriber.link_secret = new_link_secret()
    subscriber.frequency = frequency
    # The row belongs to the account whose request it now waits on, and to
    # none after a request from the public form.
    subscriber.user_id = user_id


def confirm(subscriber: Subscriber) -> bool:
    """The confirmation link was followed: True when it confirmed them now,
    False when they were already (a second click, a scanner before them)."""
    with write_transaction():
        fresh = reread(subscriber)
        if fresh.state is SubscriberState.CONFIRMED:
            return False
        if fresh.state is not SubscriberState.PENDING:
            raise LinkNotValid  # they left after this link was sent
        fresh.state = SubscriberState.CONFIRMED
        fresh.confirmed_at = utcnow()
    return True


def change_frequency(subscriber: Subscriber, frequency: Frequency) -> None:
    with write_transaction():
        fresh = reread(subscriber)
        if fresh.state not in ACTIVE:
            raise InvalidInput(
                _("You are not subscribed any more: subscribe again to choose.")
            )
        fresh.frequency = frequency


def unsubscribe(subscriber: Subscriber) -> bool:
    """Stop every mail to them: True when this did it, False when nothing
    was being sent (already unsubscribed, or bounced), which is no error:
    a mail client may POST the one-click link twice."""
    with write_transaction():
        fresh = reread(subscriber)
        if fresh.state not in ACTIVE:
            return False
        fresh.state = SubscriberState.UNSUBSCRIBED
        fresh.unsubscribed_at = utcnow()
    return True


def reread(subscriber: Subscriber) -> Subscriber:
    """The subscriber as the write lock sees them, still named by the link
    that was checked before the lock (a request since gave a new secret)."""
    secret = subscriber.link_secret
    db.session.refresh(subscriber)
    if subscriber.link_secret != secret:
        raise LinkNotValid
    return subscriber
