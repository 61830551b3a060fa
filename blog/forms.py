"""Forms every blueprint shares."""

from flask_wtf import FlaskForm
from wtforms import SubmitField


class ButtonForm(FlaskForm):
    """A form that is only a button: it carries the CSRF token of a POST action
    (log out, unpublish, delete, restore)."""

    submit = SubmitField()
