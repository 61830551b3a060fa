"""Forms every blueprint shares, and two helpers for reading them in views."""

from flask_wtf import FlaskForm
from wtforms import Field, StringField, SubmitField


class ButtonForm(FlaskForm):
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
