"""What a reader's account page shows of e-mail subscriptions: only the
one-click form. Never the state of a subscription at the account's address:
this blog does not verify that address, so an account registered at someone
else's would learn whether they follow the blog, or hold their subscription
(its manage link comes in the mails, to the address's owner only)."""

from __future__ import annotations

from blog.models import User
from blog.subscriptions.forms import AccountSubscribeForm


def account_panel(user: User) -> dict[str, object]:
    """The template's values: the one-click form."""
    return {"subscription_form": AccountSubscribeForm(formdata=None)}
