"""The two mails a subscription request sends: the confirmation link (to an
address not confirmed yet), or, to one that is, its manage link. Plain text
in the site's language (the transport adds the HTML alternative); each is
queued in the caller's write transaction, with the subscriber's row."""

from __future__ import annotations

from flask_babel import gettext as _

from blog.mail import send_mail
from blog.models import Frequency, Subscriber
from blog.site_settings import current_site
from blog.subscriptions.links import (
    CONFIRM_MAX_AGE_SECONDS,
    confirm_url,
    manage_url,
)

SECONDS_A_DAY = 24 * 3600


def what_they_get(frequency: Frequency) -> str:
    if frequency is Frequency.WEEKLY:
        return _("one mail a week, with the week's new articles")
    return _("one mail for each new article, when it is published")


def list_headers(subscriber: Subscriber) -> tuple[tuple[str, str], ...]:
    # Imported here: the newsletter imports this package's links.
    from blog.newsletter.compose import list_headers as headers_of

    return headers_of(subscriber)


def send_confirmation(subscriber: Subscriber) -> None:
    site = current_site().title
    body = _(
        "Hello,\n\n"
        "Someone (we hope you) asked to receive the articles of %(site)s by "
        "e-mail at this address: %(what)s.\n\n"
        "To confirm, open this link within %(days)d days:\n\n"
        "%(link)s\n\n"
        "If you did not ask for it, ignore this mail: nothing more will be "
        "sent to you.\n",
        site=site,
        what=what_they_get(subscriber.frequency),
        days=CONFIRM_MAX_AGE_SECONDS // SECONDS_A_DAY,
        link=confirm_url(subscriber),
    )
    # The list headers too: a mail client's "unsubscribe" on this mail is
    # the clearest "never write again" the owner of the address can give. A
    # refusal for good (5xx) marks the address bounced, so it is not tried
    # again.
    send_mail(
        subscriber.email,
        _("Confirm your subscription to %(site)s", site=site),
        body,
        headers=list_headers(subscriber),
        subscriber_id=subscriber.id,
    )


def send_already_subscribed(subscriber: Subscriber) -> None:
    site = current_site().title
    body = _(
        "Hello,\n\n"
        "Someone (we hope you) asked to subscribe this address to %(site)s. "
        "It is subscribed already: you receive %(what)s.\n\n"
        "To choose how often, or to unsubscribe, open this link:\n\n"
        "%(link)s\n\n"
        "If you did not ask, ignore this mail: nothing has changed.\n",
        site=site,
        what=what_they_get(subscriber.frequency),
        link=manage_url(subscriber),
    )
    send_mail(
        subscriber.email,
        _("Your subscription to %(site)s", site=site),
        body,
        headers=list_headers(subscriber),
        subscriber_id=subscriber.id,
    )
