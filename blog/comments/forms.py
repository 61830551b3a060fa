"""Comment and moderation forms: shape rules only; the services check facts."""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import (
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import (
    AnyOf,
    DataRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)
from wtforms.widgets import HiddenInput

from blog.forms import BlogForm
from blog.i18n import format_count
from blog.inputs import MAX_ROW_ID, row_ids
from blog.models.comment import BODY_MAX

EMPTY_MESSAGE = _l("Write something before posting.")


def too_long_message() -> str:
    # The limit is written as the site's language writes numbers ("5,000").
    return _(
        "A comment has at most %(limit)s characters.", limit=format_count(BODY_MAX)
    )


TOO_LONG_MESSAGE = LazyString(too_long_message)


def moderation_actions() -> dict[str, str]:
    """WTForms 3.3's shorthand (value: label); tuples are deprecated there.
    Read when a form needs its choices, so the labels are in the site's
    language."""
    return {
        "approve": _("Approve"),
        "hide": _("Hide"),
        "spam": _("Mark as spam"),
        "delete": _("Delete"),
    }


def one_kind_of_newline(text: str | None) -> str | None:
    """Browsers send a textarea's line breaks as CRLF: count each as one
    character, as the person typing sees it."""
    if text is None:
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def body_field(label: LazyString) -> TextAreaField:
    return TextAreaField(
        label,
        filters=[one_kind_of_newline],
        validators=[
            DataRequired(message=EMPTY_MESSAGE),
            Length(max=BODY_MAX, message=TOO_LONG_MESSAGE),
        ],
    )


class CommentForm(BlogForm):
    body = body_field(_l("Your comment"))
    parent_id = IntegerField(
        widget=HiddenInput(),
        validators=[Optional(), NumberRange(min=1, max=MAX_ROW_ID)],
        render_kw={"autocomplete": "off"},
    )
    # A honeypot: hidden from people by CSS, filled in by form-filling robots.
    website = StringField(
        _l("Leave this field empty"),
        render_kw={"tabindex": "-1", "autocomplete": "off"},
    )
    submit = SubmitField(_l("Post comment"))

    def validate_website(self, field: StringField) -> None:
        # Checked here rather than with Length(max=0), which would write
        # maxlength="0" into the page and so tell robots to skip the field.
        if field.data:
            raise ValidationError(_("Leave the “leave this field empty” field empty."))

    def other_errors(self) -> list[str]:
        """Errors of the fields a reader cannot see, to show above the form."""
        return [*self.parent_id.errors, *self.website.errors]


class CommentEditForm(BlogForm):
    body = body_field(_l("Your comment"))
    submit = SubmitField(_l("Save changes"))


class ModerationForm(BlogForm):
    """One action on one comment; `next` is where to go afterwards."""

    action = SelectField(_l("Action"), choices=moderation_actions)
    next = HiddenField()


class BulkModerationForm(BlogForm):
    """One action on every ticked comment of the moderation queue. Its field
    names differ from ModerationForm's because the queue's per-row buttons
    submit this same form to the single-comment action."""

    bulk_action = SelectField(
        _l("With the selected comments"), choices=moderation_actions
    )
    comment_ids = SelectMultipleField(
        coerce=int, validate_choice=False, validators=[row_ids]
    )
    next = HiddenField()


class CommentsOpenForm(BlogForm):
    state = HiddenField(validators=[AnyOf(["open", "closed"])])
    next = HiddenField()
