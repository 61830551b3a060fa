"""Account forms: shape rules only; facts are checked by the services."""

from flask_wtf import FlaskForm
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
from blog.models.user import DISPLAY_NAME_MAX, EMAIL_MAX


def new_password_field(label: str = "Password") -> PasswordField:
    return PasswordField(
        label,
        validators=[
            DataRequired(),
            Length(
                min=PASSWORD_MIN,
                max=PASSWORD_MAX,
                message=f"Use {PASSWORD_MIN} to {PASSWORD_MAX} characters.",
            ),
        ],
    )


def repeat_field(of: str) -> PasswordField:
    return PasswordField(
        "Password again",
        validators=[DataRequired(), EqualTo(of, message="The passwords differ.")],
    )


def email_field() -> EmailField:
    return EmailField(
        "Email",
        validators=[
            DataRequired(),
            Length(max=EMAIL_MAX),
            Email(message="This is not an email address.", check_deliverability=False),
        ],
    )


class LoginForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), Length(max=EMAIL_MAX)])
    password = PasswordField(
        "Password", validators=[DataRequired(), Length(max=PASSWORD_MAX)]
    )
    remember = BooleanField("Remember me")
    next = HiddenField()
    submit = SubmitField("Log in")


class RegistrationForm(FlaskForm):
    email = email_field()
    display_name = StringField(
        "Display name", validators=[DataRequired(), Length(max=DISPLAY_NAME_MAX)]
    )
    password = new_password_field()
    password_again = repeat_field("password")
    # Where the reader was going (an article's comment form), as on login.
    next = HiddenField()
    submit = SubmitField("Create account")


class ProfileForm(FlaskForm):
    display_name = StringField(
        "Display name", validators=[DataRequired(), Length(max=DISPLAY_NAME_MAX)]
    )
    notify_replies = BooleanField(
        "Mail me when someone replies to my comments or comments on my articles"
    )
    submit = SubmitField("Save")


class PasswordChangeForm(FlaskForm):
    current_password = PasswordField(
        "Current password", validators=[DataRequired(), Length(max=PASSWORD_MAX)]
    )
    password = new_password_field("New password")
    password_again = repeat_field("password")
    submit = SubmitField("Change password")


class DeleteAccountForm(FlaskForm):
    current_password = PasswordField(
        "Your password", validators=[DataRequired(), Length(max=PASSWORD_MAX)]
    )
    submit = SubmitField("Delete my account")


class ResetRequestForm(FlaskForm):
    email = email_field()
    submit = SubmitField("Send the link")


class ResetPasswordForm(FlaskForm):
    password = new_password_field("New password")
    password_again = repeat_field("password")
    submit = SubmitField("Set password")
