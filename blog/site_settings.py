"""The site as readers see it: its title, tagline, description, accent colour,
logo and icon, language and time zone, and its comment and registration
policies.

Each value comes from, in order:

1. the operator's configuration when it sets it explicitly (an environment
   variable such as BLOG_SITE_NAME, or instance/config.py): it wins, and the
   studio shows the field as set by the operator;
2. the studio's settings page (the `site_settings` row);
3. the built-in default (blog/config.py).

The row is public content: saving it moves the content version, so every
cached page and memo shows the change at once. The resolved values are a
memo (one per content version), and once read they are kept on `g` for the
rest of the request: a page with 200 comments asks for the time zone 400
times.
"""

from __future__ import annotations

import functools
import logging
import os
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import Config, Flask, current_app, g, has_request_context, url_for
from flask_babel import gettext as _
from flask_babel import refresh as refresh_babel
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.local import LocalProxy

from blog.cache import remembered
from blog.colors import Accent, AccentColourError, accent_from
from blog.config import LANGUAGES, MODERATION_POLICIES
from blog.database import write_transaction
from blog.errors import InvalidInput
from blog.extensions import db
from blog.models import SiteSettings, Upload, utcnow
from blog.models.settings import SETTINGS_ROW_ID

log = logging.getLogger(__name__)

# Setting → the settings row's column that may set it.
OWNER_SETTINGS = {
    "SITE_NAME": "title",
    "SITE_TAGLINE": "tagline",
    "SITE_DESCRIPTION": "description",
    "ACCENT_COLOR": "accent_color",
    "LANGUAGE": "language",
    "TIMEZONE": "timezone",
    "COMMENT_MODERATION": "comment_moderation",
    "REGISTRATION_OPEN": "registration_open",
}
EXPLICIT = "EXPLICIT_SETTINGS"  # app.config key: the settings the operator set
# The icon's square copies: the favicon, Apple's home-screen icon, and the
# two a web app manifest needs.
ICON_SIZES = (32, 180, 192, 512)


@dataclass(frozen=True)
class Image:
    src: str  # a path under /uploads/
    width: int
    height: int


@dataclass(frozen=True)
class Icon:
    favicon_png: str  # 32 px
    favicon_ico: str
    apple_touch: str  # 180 px
    manifest: tuple[tuple[str, int], ...]  # (path, size), 192 and 512 px


@dataclass(frozen=True)
class Site:
    """What a template, a feed or a mail is given as `site`."""

    title: str
    tagline: str
    description: str
    accent: Accent
    language: str
    timezone: str
    comment_moderation: str
    registration_open: bool
    logo: Image | None = None
    icon: Icon | None = None
    # When the studio last saved them: feeds are modified then too.
    updated_at: datetime | None = None

    @property
    def zone(self) -> ZoneInfo:
        return zone_named(self.timezone)


@functools.cache
def zone_named(name: str) -> ZoneInfo:
    """ZoneInfo keeps its own cache, behind a lock and a weak reference: a
    page with 200 comments asked it 400 times."""
    return ZoneInfo(name)


def init_app(app: Flask, *, from_instance_file: bool) -> None:
    app.config[EXPLICIT] = explicit_settings(app, from_instance_file)
    app.context_processor(lambda: {"site": LocalProxy(current_site)})


def explicit_settings(app: Flask, from_instance_file: bool) -> frozenset[str]:
    """The owner settings the operator set in the environment or in
    instance/config.py: those are not the studio's to change."""
    in_file = Config(app.instance_path)
    if from_instance_file:
        in_file.from_pyfile("config.py", silent=True)
    return frozenset(
        key for key in OWNER_SETTINGS if key in in_file or f"BLOG_{key}" in os.environ
    )


def is_set_by_operator(key: str) -> bool:
    return key in current_app.config[EXPLICIT]


def current_site() -> Site:
    """The site's settings for this request (or command)."""
    site: Site | None = g.get("site")
    if site is None:
        try:
            site = remembered("site-settings", load_site)
        except SQLAlchemyError:
            # An error page must render when the database is down.
            db.session.rollback()
            site = resolved(None)
        g.site = site
    return site


def forget_current_site() -> None:
    """After a save: this request's later reads see the new values, the
    language's words among them."""
    g.pop("site", None)
    g.pop("translations", None)  # blog/i18n.py
    refresh_babel()


def load_site() -> Site:
    row = db.session.get(SiteSettings, SETTINGS_ROW_ID)
    return resolved(row)


def resolved(row: SiteSettings | None) -> Site:
    values = {key: setting(key, row) for key in OWNER_SETTINGS}
    return Site(
        title=values["SITE_NAME"],
        tagline=values["SITE_TAGLINE"] or "",
        description=values["SITE_DESCRIPTION"] or "",
        accent=accent_or_configured(values["ACCENT_COLOR"]),
        language=values["LANGUAGE"],
        timezone=zone_or_configured(values["TIMEZONE"]),
        comment_moderation=values["COMMENT_MODERATION"],
        registration_open=bool(values["REGISTRATION_OPEN"]),
        logo=logo_of(row.logo) if row and row.logo else None,
        icon=icon_of(row.icon) if row and row.icon else None,
        updated_at=row.updated_at if row else None,
    )


def setting(key: str, row: SiteSettings | None) -> Any:
    configured = current_app.config[key]
    if row is None or is_set_by_operator(key):
        return configured
    stored = getattr(row, OWNER_SETTINGS[key])
    return configured if stored is None else stored


def accent_or_configured(colour: str) -> Accent:
    """A stored colour was checked when it was saved; should the rule have
    tightened since, the configured accent is used rather than failing."""
    if not colour:
        configured: Accent = current_app.config["ACCENT"]
        return configured
    try:
        return accent_from(colour)
    except AccentColourError:
        log.warning("the stored accent colour %r no longer passes; ignored", colour)
        return accent_or_configured("")


def zone_or_configured(name: str) -> str:
    try:
        zone_named(name)
    except (ZoneInfoNotFoundError, ValueError):
        log.warning("the stored time zone %r is unknown; ignored", name)
        return str(current_app.config["TIMEZONE"])
    return name


def upload_path(filename: str) -> str:
    """The image's path; built from the URL map outside a request too (a
    command reading the site's settings, whose logo has an address)."""
    if has_request_context():
        return url_for("site.upload", filename=filename)
    path: str = current_app.url_map.bind("").build(
        "site.upload", {"filename": filename}
    )
    return path


def logo_of(upload: Upload) -> Image:
    return Image(upload_path(upload.filename), upload.width, upload.height)


def icon_of(upload: Upload) -> Icon | None:
    if not upload.ico_filename or not set(ICON_SIZES) <= set(upload.square_sizes):
        return None
    path = upload_path
    return Icon(
        favicon_png=path(upload.square_filename(32)),
        favicon_ico=path(upload.ico_filename),
        apple_touch=path(upload.square_filename(180)),
        manifest=tuple(
            (path(upload.square_filename(size)), size) for size in ICON_SIZES[2:]
        ),
    )


def save_settings(*, values: dict[str, Any]) -> None:
    """Store what the owner set in the studio: column → value, for the
    columns of OWNER_SETTINGS and logo_id / icon_id. A setting the operator
    set in the configuration is left alone (the studio shows it locked).
    InvalidInput, with the reason and nothing stored, for a value the site
    cannot use."""
    changes = checked_values(values)
    with write_transaction():
        row = db.session.get(SiteSettings, SETTINGS_ROW_ID, with_for_update=True)
        if row is None:
            row = SiteSettings(id=SETTINGS_ROW_ID)
            db.session.add(row)
        for column, value in changes.items():
            setattr(row, column, value)
        row.updated_at = utcnow()
    forget_current_site()


def checked_values(values: dict[str, Any]) -> dict[str, Any]:
    """The values to store (but those the operator locked), or InvalidInput
    saying why one cannot be: the studio asks before it stores images."""
    locked = {OWNER_SETTINGS[key] for key in current_app.config[EXPLICIT]}
    return {
        column: checked(column, value)
        for column, value in values.items()
        if column not in locked
    }


def checked(column: str, value: Any) -> Any:
    """The value to store, or InvalidInput saying why it cannot be."""
    if column in ("title", "tagline", "description"):
        value = " ".join(str(value or "").split())
        if column == "title" and not value:
            raise InvalidInput(_("The site needs a title."))
    elif column == "accent_color":
        try:
            value = accent_from(str(value)).light
        except AccentColourError as error:
            raise InvalidInput(str(error)) from error
    elif column == "timezone":
        try:
            zone_named(str(value))
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise InvalidInput(
                _("%(zone)s is not a time zone.", zone=repr(value))
            ) from error
    elif column == "language":
        if value not in LANGUAGES:
            raise InvalidInput(_("Choose one of the languages offered."))
    elif column == "comment_moderation":
        if value not in MODERATION_POLICIES:
            raise InvalidInput(_("Choose one of the moderation policies offered."))
    elif column == "registration_open":
        value = bool(value)
    elif column not in ("logo_id", "icon_id"):
        raise InvalidInput(f"{column} is not a setting.")
    return value
