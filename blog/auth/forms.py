"""Account forms: shape rules only; facts are checked by the services."""

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    PasswordField,
    StringField,
    SubmitField,
)
from wtforms.validators import DataRequired, Email, EqualTo, Length

from blog.auth.services import PASSWORD_MAX, PASSWORD_MIN
from blog.forms import BlogForm
from blog.models.user import DISPLAY_NAME_MAX, EMAIL_MAX


def new_password_field(label: LazyString | None = None) -> PasswordField:
    return PasswordField(
        _l("Password") if label is None else label,
        validators=[
            DataRequired(),
            Length(
                min=PASSWORD_MIN,
                max=PASSWORD_MAX,
                message=_l(
                    "Use %(min)d to %(max)d characters.",
                    min=PASSWORD_MIN,
                    max=PASSWORD_MAX,
                ),
            ),
        ],
    )


def repeat_field(of: str) -> PasswordField:
    return PasswordField(
        _l("Password again"),
        validators=[DataRequired(), EqualTo(of, message=_l("The passwords differ."))],
    )


def email_field() -> EmailField:
    return EmailField(
        _l("Email"),
        validators=[
            DataRequired(),
            Length(max=EMAIL_MAX),
            Email(
                message=_l("This is not an email address."),
                check_deliverability=False,
            ),
        ],
    )


class LoginForm(BlogForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=EMAIL_MAX)])
    password = PasswordField(
        _l("Password"), validators=[DataRequired(), Length(max=PASSWORD_MAX)]
    )
    remember = BooleanField(_l("Remember me"))
    next = HiddenField()
    submit = SubmitField(_l("Log in"))


class RegistrationForm(BlogForm):
    email = email_field()
    display_name = StringField(
        _l("Display name"), validators=[DataRequired(), Length(max=DISPLAY_NAME_MAX)]
    )
    password = new_password_field()
    password_again = repeat_field("password")
    # Where the reader was going (an article's comment form), as on login.
    next = HiddenField()
    submit = SubmitField(_l("Create account"))


class ProfileForm(BlogForm):
    display_name = StringField(
        _l("Display name"), validators=[DataRequired(), Length(max=DISPLAY_NAME_MAX)]
    )
    notify_replies = BooleanField(
        _l("Mail me when someone replies to my comments or comments on my articles")
    )
    submit = SubmitField(_l("Save"))


class PasswordChangeForm(BlogForm):
    current_password = PasswordField(
        _l("Current password"), validators=[DataRequired(), Length(max=PASSWORD_MAX)]
    )
    password = new_password_field(_l("New password"))
    password_again = repeat_field("password")
    submit = SubmitField(_l("Change password"))


class DeleteAccountForm(BlogForm):
    current_password = PasswordField(
        _l("Your password"), validators=[DataRequired(), Length(max=PASSWORD_MAX)]
    )
    submit = SubmitField(_l("Delete my account"))


class ResetRequestForm(BlogForm):
    email = email_field()
    submit = SubmitField(_l("Send the link"))


class ResetPasswordForm(BlogForm):
    password = new_password_field(_l("New password"))
    password_again = repeat_field("password")
    submit = SubmitField(_l("Set password"))
