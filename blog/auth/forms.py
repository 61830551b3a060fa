"""Account forms: shape rules only; facts are checked by the services."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, SubmitField
from wtforms.validators import DataRequired, Length

from blog.models.user import EMAIL_MAX


class LoginForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), Length(max=EMAIL_MAX)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=1024)])
    remember = BooleanField("Remember me")
    next = HiddenField()
    submit = SubmitField("Log in")


class ButtonForm(FlaskForm):
    """A form that is only a button: it carries the CSRF token of a POST action."""

    submit = SubmitField()
