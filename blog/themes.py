"""Themes: a folder of templates and static files that replace the built-in
ones file by file (docs/THEMES.md).

With BLOG_THEME_FOLDER (default: `theme` in the instance folder) holding
`templates/base.html`, that file is rendered wherever blog/templates/base.html
was; `static/site.css` is served at /static/site.css instead of
blog/static/site.css. A file the theme lacks is the built-in one, and the
built-in files stay reachable at /static/builtin/… (`builtin_asset_url()`),
so a theme's stylesheet may add to the built-in one rather than copy it.

Rules (each enforced by tests/test_themes.py):

- The theme is read when the app is created: a restart takes up a new,
  changed or removed theme. Its files are hashed into the code fingerprint
  that keys every cached page and memo (blog/cache/memo.py), so a restart
  with another theme never serves what the old one rendered, even from Redis.
- Headers are Python's: the CSP (security.py), the session cookie's flags
  (config.py) and the caches' headers are set after the templates have run.
  A theme page that would give an anonymous reader a cookie is sent without
  it (and logged), so the cookie rule holds whatever a template calls.
- Static file names go through werkzeug's safe_join (send_from_directory):
  nothing outside the theme's and the blog's static folders is ever served.
"""

from __future__ import annotations

import hashlib
import logging
import os
from pathlib import Path

from flask import Flask, Response, current_app, request, send_from_directory, session
from jinja2 import ChoiceLoader, FileSystemLoader
from werkzeug.security import safe_join

from blog.cache.memo import THEME_FILES
from blog.cache.middleware import SESSION_COOKIES
from blog.cache.rules import rule_for

log = logging.getLogger(__name__)

THEME = "blog.theme_folder"  # app.extensions key: the theme's folder, or None


def init_app(app: Flask) -> None:
    """Put the theme's templates before the built-in ones and serve its
    static files first; without a theme folder, change nothing."""
    folder = theme_folder(app)
    app.extensions[THEME] = folder
    app.view_functions["static"] = send_static_file
    if folder is None:
        return
    log.info("theme: %s", folder)
    app.extensions[THEME_FILES] = files_digest(folder)
    templates = folder / "templates"
    if templates.is_dir() and app.jinja_loader is not None:
        app.jinja_loader = ChoiceLoader([FileSystemLoader(templates), app.jinja_loader])
    app.after_request(keep_anonymous_readers_cookieless)


def theme_folder(app: Flask) -> Path | None:
    """The configured theme folder, relative to the instance folder, when it
    exists; an empty setting turns themes off."""
    setting = app.config["THEME_FOLDER"]
    if not setting:
        return None
    folder = Path(app.instance_path, setting).resolve()
    return folder if folder.is_dir() else None


def files_digest(folder: Path) -> str:
    """A hash of every file in the theme: a stylesheet changes the pages
    that link it (its digest is in their address) as much as a template."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(folder)).encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def builtin_static_folder() -> str:
    return current_app.static_folder or ""


def static_folder_for(filename: str) -> str:
    """The folder /static/<filename> is served from: the theme's when it holds
    that file, else the blog's."""
    folder: Path | None = current_app.extensions.get(THEME)
    if folder is not None:
        themed = safe_join(str(folder / "static"), filename)
        # os.path, not Path: a name too long or with a NUL is False, not raised.
        if themed is not None and os.path.isfile(themed):
            return str(folder / "static")
    return builtin_static_folder()


def send_static_file(filename: str) -> Response:
    """Flask's static view, looking in the theme first."""
    return send_from_directory(
        static_folder_for(filename),
        filename,
        max_age=current_app.get_send_file_max_age(filename),
    )


def keep_anonymous_readers_cookieless(response: Response) -> Response:
    """A public page or an error page never gives an anonymous reader a
    cookie (DESIGN.md): if a theme's template wrote the session (a
    csrf_token() outside `current_user.is_authenticated`), forget it."""
    if request.method not in ("GET", "HEAD") or not session.modified:
        return response
    if any(name in request.cookies for name in SESSION_COOKIES):
        return response
    rule = rule_for(current_app, request.endpoint or "")
    if response.status_code < 400 and not (rule is not None and rule.cacheable):
        return response
    log.warning(
        "a theme template wrote the session of an anonymous reader of %s;"
        " no cookie was sent (call csrf_token() only for logged-in users)",
        request.path,
    )
    session.clear()
    session.modified = False
    return response
