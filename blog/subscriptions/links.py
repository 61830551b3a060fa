"""The signed links in subscribers' mail. Each carries the subscriber's id and
their link secret, signed with the site's key: it cannot be guessed or made
for another address, and erasing a subscriber (or a new secret) voids every
link they were sent. Confirmation links expire; the links in every mailing
(manage, unsubscribe) keep working, as old mails are opened late."""

from __future__ import annotations

from flask import current_app, url_for
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from blog.extensions import db
from blog.http import absolute_url
from blog.models import Subscriber

CONFIRM_PURPOSE = "confirm"
MANAGE_PURPOSE = "manage"
CONFIRM_MAX_AGE_SECONDS = 7 * 24 * 3600


def serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(
        current_app.config["SECRET_KEY"], salt=f"blog-subscriber-{purpose}"
    )


def token_for(subscriber: Subscriber, purpose: str) -> str:
    return serializer(purpose).dumps([subscriber.id, subscriber.link_secret])


def subscriber_from(token: str, purpose: str) -> Subscriber | None:
    """The subscriber a valid link names; None for a forged, expired or voided
    one (the caller says so, in the same words whichever it was)."""
    max_age = CONFIRM_MAX_AGE_SECONDS if purpose == CONFIRM_PURPOSE else None
    try:
        value = serializer(purpose).loads(token, max_age=max_age)
    except (BadSignature, SignatureExpired):
        return None
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not isinstance(value[0], int)
        or not isinstance(value[1], str)
    ):
        return None
    subscriber = db.session.get(Subscriber, value[0])
    if subscriber is None or subscriber.link_secret != value[1]:
        return None
    return subscriber


def confirm_url(subscriber: Subscriber) -> str:
    return absolute_url(
        "subscriptions.confirm", token=token_for(subscriber, CONFIRM_PURPOSE)
    )


def manage_url(subscriber: Subscriber) -> str:
    return absolute_url(
        "subscriptions.manage", token=token_for(subscriber, MANAGE_PURPOSE)
    )


def unsubscribe_url(subscriber: Subscriber) -> str:
    """The List-Unsubscribe https address: a POST there unsubscribes at once
    (RFC 8058); a GET shows a page asking to confirm."""
    return absolute_url(
        "subscriptions.unsubscribe", token=token_for(subscriber, MANAGE_PURPOSE)
    )


def manage_path(subscriber: Subscriber) -> str:
    """The manage page, for a link on a page of this site."""
    return url_for("subscriptions.manage", token=token_for(subscriber, MANAGE_PURPOSE))
