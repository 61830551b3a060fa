"""Studio forms."""

from flask_wtf import FlaskForm
from wtforms import SelectField, SubmitField

from blog.models import Role


class RoleForm(FlaskForm):
    role = SelectField("Role", choices=[role.value for role in Role])
    submit = SubmitField("Change role")


class ActiveForm(FlaskForm):
    """Deactivate or reactivate: the button says which."""

    submit = SubmitField()
