"""Subscription forms: shape rules only; the services check facts.

The frequency choices are shown by subscriptions/_form.html (the public
form has no form object on cached pages); here they are only checked."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, RadioField, StringField
from wtforms.validators import InputRequired, ValidationError

from blog.errors import InvalidInput
from blog.forms import BlogForm
from blog.models import Frequency
from blog.subscriptions.services import normalised_address

# WTForms 3.3's shorthand (value: label; tuples are deprecated there). The
# labels shown are the template's.
FREQUENCIES = {frequency.value: frequency.value for frequency in Frequency}
CHOOSE_MESSAGE = _l("Choose every new article or the weekly digest.")


def frequency_field(*, default: str | None) -> RadioField:
    """Without a default the choice must be posted: a button that acts on
    any post would let a stray one subscribe someone."""
    return RadioField(
        _l("How often"),
        choices=FREQUENCIES,
        default=default,
        validators=[] if default else [InputRequired(message=CHOOSE_MESSAGE)],
    )


class FrequencyChoice(BlogForm):
    frequency = frequency_field(default=None)

    @property
    def chosen_frequency(self) -> Frequency:
        return Frequency(self.frequency.data)


class SubscribeForm(FrequencyChoice):
    """The public form, on every article, the home page and /subscribe.

    Without CSRF: those pages are cached and give anonymous readers no
    cookie, so no token can be in them. Nothing here acts on a session or
    an account; what a forged cross-site post could do, anyone can do by
    posting directly, and double opt-in, the hourly mail limit per address
    and the rate limits stand against that."""

    class Meta:
        csrf = False

    email = EmailField(
        _l("Your e-mail address"),
        validators=[InputRequired(message=_l("Type your e-mail address."))],
    )
    # Left out of the post (an old page, a client without radio buttons):
    # every new article, the form's own default.
    frequency = frequency_field(default=Frequency.EACH_POST.value)

    def validate_email(self, field: StringField) -> None:
        try:
            field.data = normalised_address(field.data or "")
        except InvalidInput as error:
            raise ValidationError(error.message) from error


class AccountSubscribeForm(FrequencyChoice):
    """A logged-in reader's one click: their account's address, this choice."""


class ManageForm(FrequencyChoice):
    """A subscriber's choice, from the link in their mail."""
