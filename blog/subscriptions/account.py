"""What a reader's account page shows of their e-mail subscription."""

from __future__ import annotations

from blog.models import Frequency, User
from blog.subscriptions.forms import AccountSubscribeForm
from blog.subscriptions.links import manage_path
from blog.subscriptions.services import ACTIVE, subscription_of


def account_panel(user: User) -> dict[str, object]:
    """The template's values: their subscription (None until they ask on
    this page), its manage link while it is active, and the one-click form."""
    subscriber = subscription_of(user)
    frequency = Frequency.EACH_POST
    link = None
    if subscriber is not None:
        frequency = subscriber.frequency
        link = manage_path(subscriber) if subscriber.state in ACTIVE else None
    return {
        "subscription": subscriber,
        "subscription_manage_url": link,
        "subscription_form": AccountSubscribeForm(
            formdata=None, frequency=frequency.value
        ),
    }
