"""Studio accounts, for admins: the list, a role change, deactivation."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from blog.auth import services as accounts
from blog.errors import BlogError
from blog.extensions import db
from blog.http import page_number
from blog.models import Role, User
from blog.permissions import require_role
from blog.studio.blueprint import bp
from blog.studio.forms import ROLE_NAMES, ActiveForm, RoleForm


@bp.get("/users")
@login_required
@require_role(Role.ADMIN)
def users() -> str:
    page = db.paginate(
        User.select_all(),
        page=page_number(),
        per_page=current_app.config["USERS_PER_PAGE"],
        max_per_page=current_app.config["USERS_PER_PAGE"],
    )
    return render_template(
        "studio/users.html", page=page, role_form=RoleForm, active_form=ActiveForm
    )


@bp.post("/users/<int:user_id>/role")
@login_required
@require_role(Role.ADMIN)
def change_role(user_id: int) -> Response:
    user, form = db.get_or_404(User, user_id), RoleForm()
    if not form.validate_on_submit():
        flash(_("Choose one of the roles."))
        return redirect(url_for("studio.users"), code=303)
    try:
        accounts.set_role(user=user, role=Role(form.role.data), by=current_user)
    except BlogError as error:
        flash(error.message)
    else:
        flash(
            _(
                "%(name)s is now %(role)s.",
                name=user.display_name,
                role=ROLE_NAMES[user.role],
            )
        )
    return redirect(url_for("studio.users"), code=303)


@bp.post("/users/<int:user_id>/active")
@login_required
@require_role(Role.ADMIN)
def toggle_active(user_id: int) -> Response:
    user = db.get_or_404(User, user_id)
    if ActiveForm().validate_on_submit():
        try:
            accounts.set_active(user=user, active=not user.active, by=current_user)
        except BlogError as error:
            flash(error.message)
        else:
            name = user.display_name
            if user.active:
                flash(_("%(name)s is reactivated.", name=name))
            else:
                flash(_("%(name)s is deactivated.", name=name))
    return redirect(url_for("studio.users"), code=303)
