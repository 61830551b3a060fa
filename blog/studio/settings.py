"""The site's settings, for admins: title, tagline, description, accent,
logo, icon, language, time zone, comment and registration policies."""

from __future__ import annotations

from typing import Any
from zoneinfo import available_timezones

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.datastructures import FileStorage
from werkzeug.wrappers import Response

from blog.articles.uploads import save_upload
from blog.config import LANGUAGES
from blog.errors import BlogError
from blog.extensions import db
from blog.models import Role, SiteSettings, Upload
from blog.models.settings import SETTINGS_ROW_ID
from blog.permissions import require_role
from blog.site_settings import (
    ICON_SIZES,
    OWNER_SETTINGS,
    checked_values,
    current_site,
    is_set_by_operator,
    save_settings,
)
from blog.studio.blueprint import bp
from blog.studio.forms import SiteSettingsForm

# Form field → configuration key, for the fields the operator may lock.
FIELD_SETTINGS = {column: key for key, column in OWNER_SETTINGS.items()}


@bp.route("/settings", methods=["GET", "POST"])
@login_required
@require_role(Role.ADMIN)
def settings() -> Response | tuple[str, int] | str:
    form = settings_form()
    if not form.is_submitted():
        return page(form)
    if not form.validate():
        return page(form), 400
    try:
        values = submitted_values(form)
        save_settings(values=values)
    except BlogError as error:
        flash(error.message)
        return page(form), error.status_code
    flash(_("Settings saved. Readers see them now."))
    return redirect(url_for("studio.settings"), code=303)


def settings_form() -> SiteSettingsForm:
    """Filled with the current settings to show; on a POST, with what was
    sent alone (a field left out is missing, not kept), but for the fields
    the operator locked, which browsers do not send and the save ignores."""
    site = current_site()
    current = {
        "title": site.title,
        "tagline": site.tagline,
        "description": site.description,
        "accent_color": site.accent.light,
        "language": site.language,
        "timezone": site.timezone,
        "comment_moderation": site.comment_moderation,
        "registration_open": site.registration_open,
    }
    if request.method == "POST":
        form = SiteSettingsForm()
        for column, key in FIELD_SETTINGS.items():
            if is_set_by_operator(key):
                form[column].data = current[column]
    else:
        form = SiteSettingsForm(data=current)
    form.language.choices = dict(LANGUAGES)
    form.timezone.choices = timezone_choices(site.timezone)
    form.comment_moderation.choices = moderation_choices()
    return form


def moderation_choices() -> dict[str, str]:
    return {
        "first": _("A reader's first comment waits; then they are trusted"),
        "all": _("Every comment waits"),
        "none": _("No comment waits (links-heavy ones still do)"),
    }


def timezone_choices(current: str) -> dict[str, str]:
    zones = sorted(available_timezones() | {current, "UTC"})
    return {zone: zone.replace("_", " ") for zone in zones}


def submitted_values(form: SiteSettingsForm) -> dict[str, Any]:
    """Column → value from the form. The text is checked before the images
    are stored, so a refused accent never leaves a logo behind; a refused
    image raises before anything is saved."""
    values: dict[str, Any] = {
        column: form[column].data
        for column in FIELD_SETTINGS
        if not is_set_by_operator(FIELD_SETTINGS[column])
    }
    checked_values(values)
    if form.remove_logo.data:
        values["logo_id"] = None
    elif uploaded(form.logo.data):
        values["logo_id"] = stored_image(form.logo.data, squares=()).id
    if form.remove_icon.data:
        values["icon_id"] = None
    elif uploaded(form.icon.data):
        values["icon_id"] = stored_image(form.icon.data, squares=ICON_SIZES).id
    return values


def uploaded(data: object) -> bool:
    return isinstance(data, FileStorage) and bool(data.filename)


def stored_image(
    file: FileStorage, *, squares: tuple[int, ...], alt: str = ""
) -> Upload:
    """The uploaded image, described as the site's (a logo, an icon) unless
    `alt` says otherwise."""
    return save_upload(
        stream=file.stream,
        original_name=file.filename or "image",
        uploader=current_user,
        alt=alt or current_site().title,
        squares=squares,
    )


def page(form: SiteSettingsForm) -> str:
    row = db.session.get(SiteSettings, SETTINGS_ROW_ID)
    locked = {
        column: f"BLOG_{key}"
        for column, key in FIELD_SETTINGS.items()
        if is_set_by_operator(key)
    }
    return render_template(
        "studio/settings.html",
        form=form,
        locked=locked,
        logo=row.logo if row else None,
        icon=row.icon if row else None,
        max_upload_mb=current_app.config["UPLOAD_MAX_BYTES"] // (1024 * 1024),
    )
