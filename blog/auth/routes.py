"""Logging in and out."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from blog.auth.forms import ButtonForm, LoginForm
from blog.auth.services import authenticate
from blog.errors import BlogError
from blog.http import safe_next_url

bp = Blueprint("auth", __name__, url_prefix="/auth")


@bp.route("/login", methods=["GET", "POST"])
def login() -> Response | tuple[str, int] | str:
    form = LoginForm(next=request.args.get("next", ""))
    if current_user.is_authenticated:
        return redirect(safe_next_url(form.next.data))
    if not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return render_template("auth/login.html", form=form), status
    try:
        user = authenticate(email=form.email.data, password=form.password.data)
    except BlogError as error:
        form.password.errors.append(error.message)
        return render_template("auth/login.html", form=form), 400
    login_user(user, remember=form.remember.data)
    flash(f"Welcome back, {user.display_name}.")
    return redirect(safe_next_url(form.next.data), code=303)


@bp.post("/logout")
@login_required
def logout() -> Response:
    form = ButtonForm()
    if form.validate_on_submit():
        logout_user()
        flash("You are logged out.")
    return redirect(url_for("articles.index"), code=303)
