"""Pages for machines and files: the health probe, uploaded images."""

from __future__ import annotations

import json
import logging
from pathlib import Path

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    jsonify,
    make_response,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from blog.articles.uploads import IMAGE_FORMATS, uploads_folder
from blog.assets import asset_url
from blog.cache import not_cached, public_feed
from blog.colors import LIGHT_BACKGROUND
from blog.database import check_writable
from blog.extensions import db
from blog.faults import forget_failed_transaction
from blog.http import absolute_url
from blog.site.sitemap import sitemap_entries
from blog.site_settings import current_site

log = logging.getLogger(__name__)

bp = Blueprint("site", __name__)


@bp.get("/healthz")
@not_cached("tells whether the database answers now")
def healthz() -> tuple[Response, int]:
    """200 when the database answers a read and could take a write now; 503
    saying which failed otherwise (a locked SQLite file still reads)."""
    checks = {"read": read_check, "write": write_check}
    failed = []
    for name, check in checks.items():
        try:
            check()
        except SQLAlchemyError as error:
            log.warning("health check: %s failed: %s", name, str(error).splitlines()[0])
            forget_failed_transaction()
            failed.append(name)
    if failed:
        return jsonify(status="error", database="unavailable", failed=failed), 503
    return jsonify(status="ok", database="ok"), 200


def read_check() -> None:
    db.session.execute(text("SELECT 1"))


def write_check() -> None:
    check_writable(db.engine)


# Upload names are random and never reused: a year of caching is safe.
UPLOAD_MAX_AGE = 365 * 24 * 3600
CONTENT_TYPES = dict(IMAGE_FORMATS.values()) | {"ico": "image/vnd.microsoft.icon"}


@bp.get("/uploads/<filename>")
@not_cached("files, sent with their own validators and a year's max-age")
def upload(filename: str) -> Response:
    """An uploaded image with the content type its decoded format has (the
    extension was chosen from it on upload)."""
    content_type = CONTENT_TYPES.get(filename.rsplit(".", 1)[-1])
    if content_type is None:
        abort(404)
    return send_from_directory(
        uploads_folder(),
        filename,
        mimetype=content_type,
        max_age=UPLOAD_MAX_AGE,
        conditional=True,
    )


@bp.get("/favicon.ico")
@not_cached("a small file, sent with its own validators")
def favicon() -> Response:
    """Browsers ask for it where a page names no icon (a feed opened in the
    browser): the icon set in the studio, else the built-in SVG, rather
    than a 404. A few kilobytes, read whole, so no file stays open behind
    the response."""
    site_icon = current_site().icon
    if site_icon is not None:
        path = uploads_folder() / site_icon.favicon_ico.rsplit("/", 1)[-1]
        mimetype = "image/vnd.microsoft.icon"
    else:
        path = Path(current_app.root_path, "static", "favicon.svg")
        mimetype = "image/svg+xml"
    try:
        icon = path.read_bytes()
    except OSError:
        abort(404)
    response = make_response(icon)
    response.mimetype = mimetype
    response.cache_control.public = True
    response.cache_control.max_age = 24 * 3600
    response.add_etag()
    response.make_conditional(request)  # 304 in place when the ETag matches
    return response


@bp.get("/manifest.webmanifest")
@public_feed
def manifest() -> Response:
    """The web app manifest: the name and icons a phone shows for the site
    added to its home screen."""
    site = current_site()
    if site.icon is not None:
        icons = [
            {"src": src, "sizes": f"{size}x{size}", "type": "image/png"}
            for src, size in site.icon.manifest
        ]
    else:
        icons = [
            {"src": asset_url("favicon.svg"), "sizes": "any", "type": "image/svg+xml"}
        ]
    body = {
        "name": site.title,
        "short_name": site.title[:12],
        "description": site.description or site.tagline,
        "lang": site.language,
        "start_url": url_for("articles.index"),
        "scope": url_for("articles.index"),
        "display": "browser",
        "theme_color": site.accent.light,
        "background_color": LIGHT_BACKGROUND,
        "icons": icons,
    }
    response = make_response(json.dumps(body, ensure_ascii=False, indent=1))
    response.mimetype = "application/manifest+json"
    response.cache_control.public = True
    response.cache_control.max_age = 3600
    return response


@bp.get("/sitemap.xml")
@public_feed
def sitemap() -> Response:
    body = render_template("site/sitemap.xml", entries=sitemap_entries())
    response = make_response(body)
    response.mimetype = "application/xml"
    response.cache_control.public = True
    response.cache_control.max_age = 3600
    return response


@bp.get("/robots.txt")
@public_feed
def robots() -> Response:
    body = render_template("site/robots.txt", sitemap_url=absolute_url("site.sitemap"))
    response = make_response(body)
    response.mimetype = "text/plain"
    return response
