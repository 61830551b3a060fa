"""HTTP helpers shared by views."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from flask import Response, abort, current_app, request, url_for
from werkzeug.http import is_resource_modified


def safe_next_url(target: str | None, fallback_endpoint: str = "articles.index") -> str:
    """The target if it is a path on this site, else the fallback page.

    Browsers treat "//host", "/\\host" and "\\\\host" as other sites, and a scheme
    ("javascript:", "https:") leaves the site too: all are refused.
    """
    fallback = url_for(fallback_endpoint)
    if not target or not target.startswith("/") or "\\" in target:
        return fallback
    if any(ord(char) < 0x20 or ord(char) == 0x7F for char in target):
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or target.startswith("//"):
        return fallback
    return target


MAX_PAGE = 100_000


def page_number() -> int:
    """The ?page= of a listing: 1 when absent or not a number; a 404 when out
    of any possible range (so no absurd number reaches the database)."""
    page = request.args.get("page", 1, type=int)
    if not 1 <= page <= MAX_PAGE:
        abort(404)
    return page


def absolute_url(endpoint: str, **values: Any) -> str:
    """An absolute link for mail and feeds, on BLOG_SITE_URL: never on the
    request's Host header, which would let a client choose where a password
    reset link points."""
    return current_app.config["SITE_URL"] + url_for(endpoint, **values)


def conditional_response(
    etag: str,
    last_modified: datetime | None,
    build: Callable[[], Response],
    *,
    cache_control: str = "public, max-age=300",
) -> Response:
    """304 with an empty body when the request's If-None-Match or
    If-Modified-Since matches these validators, without calling build();
    otherwise build()'s response. Either way it carries the ETag (given bare,
    sent quoted), Last-Modified and Cache-Control.

    Werkzeug applies RFC 9110: If-None-Match, when sent, decides alone, and
    times are compared to the second."""
    if last_modified is not None:
        last_modified = last_modified.replace(microsecond=0)
    unchanged = request.method in ("GET", "HEAD") and not is_resource_modified(
        request.environ, etag=f'"{etag}"', last_modified=last_modified
    )
    response = Response(status=304) if unchanged else build()
    response.set_etag(etag)
    if last_modified is not None:
        response.last_modified = last_modified
    response.headers["Cache-Control"] = cache_control
    return response
