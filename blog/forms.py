"""Forms every blueprint shares, and two helpers for reading them in views."""

import functools

from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import Field, Form, StringField, SubmitField
from wtforms.i18n import get_translations

from blog.site_settings import current_site


@functools.cache
def wtforms_messages(language: str) -> object:
    """WTForms' own messages ("This field is required.") in a language, read
    once a process: Flask-WTF reads and parses their catalogue again on every
    request that makes a form (0.1 ms of a logged-in article page)."""
    return get_translations([language])


class BlogForm(FlaskForm):
    """Every form of the blog: Flask-WTF's, with WTForms' messages in the
    site's language from a catalogue read once."""

    class Meta:
        def get_translations(self, form: Form) -> object:
            return wtforms_messages(current_site().language)


class ButtonForm(BlogForm):
    """A form that is only a button: it carries the CSRF token of a POST action
    (log out, unpublish, delete, restore)."""

    submit = SubmitField()


def text_of(field: StringField) -> str:
    """The text of a validated field. WTForms types it `str | None` (None before
    any input is processed); a submitted field always holds a string."""
    return field.data or ""


def add_error(field: Field, message: str) -> None:
    """Show a service's refusal beside the field, like WTForms' own messages."""
    field.errors = [*field.errors, message]


def first_error(form: Form) -> str:
    """The first of a refused form's messages, with its field's label, for an
    answer that has no page to show them beside the fields."""
    for field in form:
        if field.errors and field.name == "csrf_token":
            return _("This page has expired. Reload it and try again.")
        if field.errors:
            return _(
                "%(label)s: %(error)s", label=field.label.text, error=field.errors[0]
            )
    return _("The form could not be read. Reload the page and try again.")
