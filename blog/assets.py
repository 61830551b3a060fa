"""Stylesheets, scripts and fonts under addresses that change with their
content, so a browser keeps each for a year and never uses a stale one.

`asset_url("site.css")` is /static/site.css?v=<digest of the file>. A request
carrying the file's current digest is answered with a year's immutable
caching; any other (an old page asking for last release's file) is answered
with the current file and `no-cache`, so it is never kept under a wrong name.
Fonts are named by version and referenced from the stylesheet without a
digest: they are kept for a year too (give a changed font a new name).

A theme's file (blog/themes.py) is served under the built-in one's name and
gets its own digest; `builtin_asset_url("site.css")` is the built-in file's
address, /static/builtin/site.css?v=<its digest>, which no theme replaces.

The owner's accent colour (the studio's settings or BLOG_ACCENT_COLOR) comes
as /theme.css, a few custom properties after site.css, only when it differs
from the default (a theme folder's stylesheet comes before it, so the
owner's accent wins).
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from flask import (
    Blueprint,
    Flask,
    Response,
    current_app,
    request,
    send_from_directory,
    url_for,
)

from blog.cache import not_cached
from blog.colors import DARK_BACKGROUND, DEFAULT_ACCENT, Accent
from blog.site_settings import current_site
from blog.themes import builtin_static_folder, static_folder_for

YEAR = 365 * 24 * 3600
IMMUTABLE = f"public, max-age={YEAR}, immutable"

bp = Blueprint("assets", __name__)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.jinja_env.globals["asset_url"] = asset_url
    app.jinja_env.globals["builtin_asset_url"] = builtin_asset_url
    app.jinja_env.globals["theme_url"] = theme_url
    app.after_request(cache_fingerprinted_files)


def asset_url(filename: str) -> str:
    """The file's address with its digest: the theme's file if it has one."""
    digest = current_digest(static_folder_for(filename), filename)
    return url_for("static", filename=filename, v=digest)


def builtin_asset_url(filename: str) -> str:
    """The built-in file's address, whatever the theme holds."""
    digest = current_digest(builtin_static_folder(), filename)
    return url_for("assets.builtin", filename=filename, v=digest)


def current_digest(folder: str, filename: str) -> str:
    if current_app.debug:  # `flask run --debug` serves edits at once
        return file_digest.__wrapped__(folder, filename)
    return file_digest(folder, filename)


@functools.cache
def file_digest(folder: str, filename: str) -> str:
    return hashlib.sha256((Path(folder) / filename).read_bytes()).hexdigest()[:12]


@bp.get("/static/builtin/<path:filename>")
@not_cached("files, sent with their own validators")
def builtin(filename: str) -> Response:
    """A built-in static file, for a theme that adds to it."""
    return send_from_directory(
        builtin_static_folder(),
        filename,
        max_age=current_app.get_send_file_max_age(filename),
    )


def cache_fingerprinted_files(response: Response) -> Response:
    if response.status_code not in (200, 304):
        return response
    filename = (request.view_args or {}).get("filename", "")
    if request.endpoint == "static":
        folder = static_folder_for(filename)  # the folder it was sent from
    elif request.endpoint == "assets.builtin":
        folder = builtin_static_folder()
    else:
        return response
    fingerprint = request.args.get("v")
    current = (
        fingerprint is not None
        and fingerprint == file_digest(folder, filename)
        or filename.startswith("fonts/")
    )
    if current:
        response.headers["Cache-Control"] = IMMUTABLE
    return response


def site_accent() -> Accent:
    return current_site().accent


def theme_url() -> str | None:
    """The accent stylesheet's address, or None for the default accent."""
    accent = site_accent()
    if accent.light == DEFAULT_ACCENT:
        return None
    return url_for("assets.theme", v=theme_digest(accent))


def theme_css(accent: Accent) -> str:
    return (
        f":root {{ --accent: {accent.light}; --on-accent: #ffffff; }}\n"
        "@media (prefers-color-scheme: dark) {\n"
        f"  :root {{ --accent: {accent.dark}; --on-accent: {DARK_BACKGROUND}; }}\n"
        "}\n"
    )


@functools.cache
def theme_digest(accent: Accent) -> str:
    return hashlib.sha256(theme_css(accent).encode()).hexdigest()[:12]


@bp.get("/theme.css")
@not_cached("built from the settings, sent with its own max-age")
def theme() -> Response:
    accent = site_accent()
    response = Response(theme_css(accent), mimetype="text/css")
    if request.args.get("v") == theme_digest(accent):
        response.headers["Cache-Control"] = IMMUTABLE
    else:
        response.headers["Cache-Control"] = "no-cache"
    return response
