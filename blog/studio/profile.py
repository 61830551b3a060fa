"""An author's public profile, written in the studio: their own, or, for an
admin, anyone's who writes here (an imported author has no password to log
in with)."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.datastructures import FileStorage
from werkzeug.wrappers import Response

from blog.authors.profiles import (
    ProfileChanges,
    author_card,
    checked_changes,
    save_profile,
)
from blog.errors import BlogError
from blog.extensions import db
from blog.models import Role, User
from blog.models.profile import AVATAR_SIZES
from blog.permissions import require_role
from blog.studio.blueprint import bp
from blog.studio.forms import ProfileForm
from blog.studio.settings import stored_image, uploaded


@bp.route("/profile", methods=["GET", "POST"])
@bp.route("/profile/<int:user_id>", methods=["GET", "POST"])
@login_required
@require_role(Role.AUTHOR)
def profile(user_id: int | None = None) -> Response | tuple[str, int] | str:
    author = profile_owner(user_id)
    form = profile_form(author)
    if not form.is_submitted():
        return page(form, author)
    if not form.validate() or not sent_every_field(form):
        return page(form, author), 400
    try:
        save_profile(author, submitted_changes(form, author))
    except BlogError as error:
        flash(error.message)
        return page(form, author), error.status_code
    flash(_("Profile saved. Readers see it now."))
    return redirect(request.path, code=303)


def profile_owner(user_id: int | None) -> User:
    """Whose profile this page edits: the author's own; another's for an
    admin only, and only someone who may write (a reader has no author page)."""
    if user_id is None or user_id == current_user.id:
        author: User = db.session.get(User, current_user.id) or abort(404)
        return author
    if not current_user.has_role(Role.ADMIN):
        abort(403)
    author = db.get_or_404(User, user_id)
    if not author.has_role(Role.AUTHOR):
        abort(404)
    return author


def profile_form(author: User) -> ProfileForm:
    """What was sent, on a POST (a field left out is empty, not kept); the
    stored profile otherwise."""
    if request.method == "POST":
        return ProfileForm()
    stored = author.profile
    if stored is None:
        return ProfileForm(formdata=None)
    return ProfileForm(
        formdata=None,
        data={
            "bio": stored.bio_markdown,
            "website": stored.website,
            "links": "\n".join(stored.links),
        },
    )


def sent_every_field(form: ProfileForm) -> bool:
    """A browser sends every text field, empty or not: a POST that leaves
    one out is no edit of the profile (it would blank what it left out)."""
    missing = [
        field
        for field in (form.bio, form.website, form.links)
        if field.name not in request.form
    ]
    for field in missing:
        field.errors = [
            *field.errors,
            _("This field was not sent; send the whole form."),
        ]
    return not missing


def submitted_changes(form: ProfileForm, author: User) -> ProfileChanges:
    """The form's changes; the links are checked before a new photo is
    stored, so a refused link leaves no image behind."""
    changes = ProfileChanges(
        bio=form.bio.data or "",
        website=form.website.data or "",
        links=(form.links.data or "").splitlines(),
        remove_avatar=bool(form.remove_avatar.data),
    )
    changes = checked_changes(changes)
    file = form.avatar.data
    if changes.remove_avatar or not uploaded(file):
        return changes
    assert isinstance(file, FileStorage)  # noqa: S101 # uploaded() said so
    photo = stored_image(file, squares=AVATAR_SIZES, alt=author.display_name)
    return ProfileChanges(changes.bio, changes.website, changes.links, photo)


def page(form: ProfileForm, author: User) -> str:
    return render_template(
        "studio/profile.html",
        form=form,
        author=author_card(author),
        editing_own=author.id == current_user.id,
        max_upload_mb=current_app.config["UPLOAD_MAX_BYTES"] // (1024 * 1024),
    )
