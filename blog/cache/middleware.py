"""Whole pages and feeds for anonymous readers, answered before Flask.

`PageCache` wraps the WSGI app. A GET or HEAD without a session or remember
cookie (a reader who may be logged in never touches the cache) is answered
from the cache, 200 or 304, without building a Flask request: that is most
of the cost of a cached page. A miss on a cacheable endpoint (rules.py)
renders the full page through Flask, stores it, then answers the reader's
conditional headers from what it stored.

Rules:

- The key is the code's fingerprint (memo.py), the content version read
  before the page is rendered (version.py), and the path with its query.
- A page is stored only if it is a 200 that sets no cookie, and only when
  the app saw the request through (`PendingPage`, which the middleware
  puts in the WSGI environ and the app's request hooks fill in).
- A stored page expires when the next scheduled article appears; in-process
  caches drop every page of an older version when the version moves.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask import Flask, Response, request
from werkzeug.exceptions import HTTPException
from werkzeug.http import (
    is_resource_modified,
    parse_cookie,
    parse_date,
    remove_entity_headers,
)
from werkzeug.routing import RequestRedirect

from blog.cache.backend import BoundedCache
from blog.cache.memo import FINGERPRINT
from blog.cache.rules import cacheable_endpoints
from blog.cache.stale import LastCopies, answer_with_age
from blog.cache.store import backend_of, cache_get, cache_set
from blog.cache.version import SiteVersion, content_expiry, is_past
from blog.extensions import db

log = logging.getLogger(__name__)

SESSION_COOKIES = ("session", "remember_token")
PAGE_CACHE_CONTROL = "no-cache"  # browsers keep it, and ask with If-None-Match
CONDITIONAL_HEADERS = ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE")
PENDING = "blog.pending_page"  # WSGI environ key

StartResponse = Callable[..., Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


def init_app(app: Flask, site_version: SiteVersion) -> None:
    app.before_request(note_page_expiry)
    app.after_request(prepare_page)
    last_copies = None if app.config["REDIS_URL"] else LastCopies(app.instance_path)
    app.wsgi_app = PageCache(  # type: ignore[method-assign]
        app, app.wsgi_app, site_version, last_copies
    )


@dataclass
class PendingPage:
    """A miss the middleware asked the app to render, and what the app said."""

    key: str
    cacheable: bool = False  # the endpoint is declared public
    expiry_read: bool = False  # before the page was rendered
    expires_at: datetime | None = None
    storable: bool = False  # the response may be kept


@dataclass(frozen=True)
class CachedPage:
    """A 200 as the app sent it, and the 304 that stands for it."""

    body: bytes
    headers: list[tuple[str, str]]
    not_modified_headers: list[tuple[str, str]]
    etag: str | None
    last_modified: datetime | None
    expires_at: datetime | None  # when the next scheduled article appears
    stored_at: float = field(default_factory=time.time)

    @classmethod
    def from_response(
        cls, headers: list[tuple[str, str]], body: bytes, expires_at: datetime | None
    ) -> CachedPage:
        values = {name.lower(): value for name, value in headers}
        not_modified = list(headers)
        remove_entity_headers(not_modified)
        return cls(
            body=body,
            headers=headers,
            not_modified_headers=not_modified,
            etag=values.get("etag"),
            last_modified=parse_date(values.get("last-modified")),
            expires_at=expires_at,
        )

    def is_expired(self) -> bool:
        return is_past(self.expires_at)

    def answer(
        self, environ: dict[str, Any], start_response: StartResponse
    ) -> Iterable[bytes]:
        if not is_resource_modified(
            environ, etag=self.etag, last_modified=self.last_modified
        ):
            start_response("304 NOT MODIFIED", self.not_modified_headers)
            return []
        start_response("200 OK", self.headers)
        return [] if environ["REQUEST_METHOD"] == "HEAD" else [self.body]


class PageCache:
    """WSGI middleware: anonymous reads answered from the page cache."""

    def __init__(
        self, app: Flask, wsgi_app: WSGIApp, site_version: SiteVersion,
        last_copies: LastCopies | None = None,
    ):  # fmt: skip
        self.app = app
        self.last_copies = last_copies
        self.wsgi_app = wsgi_app
        self.site_version = site_version
        self.backend = backend_of(app)
        self.cacheable = cacheable_endpoints(app)
        self.fingerprint: str = app.extensions[FINGERPRINT]
        # In-process, an entry of an older version is only dead weight in the
        # worker's memory: drop them all when the version moves. Redis
        # expires its own (CACHE_DEFAULT_TIMEOUT).
        self.drops_old_versions = isinstance(self.backend, BoundedCache)
        self.version_seen: int | None = None

    def __call__(
        self, environ: dict[str, Any], start_response: StartResponse
    ) -> Iterable[bytes]:
        method = environ["REQUEST_METHOD"]
        if method not in ("GET", "HEAD") or has_session_cookie(environ):
            return self.wsgi_app(environ, start_response)
        try:
            version = self.current_version()
        except Exception:  # the database is down: serve what we last had
            log.warning("content version unreadable", exc_info=True)
            return self.answer_stale(environ, start_response)
        if version is None:
            return self.wsgi_app(environ, start_response)
        key = page_key(self.fingerprint, version, environ)
        page: CachedPage | None = cache_get(self.backend, key)
        if page is not None and not page.is_expired():
            return page.answer(environ, start_response)
        if method != "GET" or not self.is_cacheable(environ):
            return self.wsgi_app(environ, start_response)
        return self.render_and_store(environ, start_response, key)

    def current_version(self) -> int | None:
        """The content version now; None (the app answers alone) when the
        database has none."""
        version = self.site_version.current()
        if version is not None and version != self.version_seen:
            self.forget_older_versions()
            self.version_seen = version
        return version

    def answer_stale(
        self, environ: dict[str, Any], start_response: StartResponse
    ) -> Iterable[bytes]:
        """Stale-if-error (RFC 5861): the page stored under the last version
        this worker saw, or another worker's last copy; else the app (503)."""
        page: CachedPage | None = None
        if self.version_seen is not None:
            key = page_key(self.fingerprint, self.version_seen, environ)
            page = cache_get(self.backend, key)
        if page is None and self.last_copies is not None:
            page = self.last_copies.last(url_of(environ))  # another worker's
        if page is None:
            return self.wsgi_app(environ, start_response)
        stale: Iterable[bytes] = answer_with_age(page, environ, start_response)
        return stale

    def forget_older_versions(self) -> None:
        if self.drops_old_versions and self.version_seen is not None:
            self.backend.clear()

    def is_cacheable(self, environ: dict[str, Any]) -> bool:
        """Routing a miss costs microseconds; a hit is never routed."""
        try:
            endpoint, _ = self.app.url_map.bind_to_environ(environ).match()
        except (HTTPException, RequestRedirect):
            return False
        return endpoint in self.cacheable

    def render_and_store(
        self, environ: dict[str, Any], start_response: StartResponse, key: str
    ) -> Iterable[bytes]:
        """Render the full page (a reader's If-None-Match would get an empty
        304 to store), keep it if the app allowed, then answer the reader."""
        conditions = {
            name: environ.pop(name) for name in CONDITIONAL_HEADERS if name in environ
        }
        pending = environ[PENDING] = PendingPage(key, cacheable=True)
        sent: list[Any] = []
        chunks = self.wsgi_app(environ, capture_without_sending(sent))
        try:
            body = b"".join(chunks)
        finally:
            getattr(chunks, "close", lambda: None)()
        environ.update(conditions)
        status, headers, exc_info = sent
        if not pending.storable or not is_storable(status, headers):
            start_response(status, headers, exc_info)
            return [body]
        page = CachedPage.from_response(headers, body, pending.expires_at)
        cache_set(self.backend, key, page)
        if self.last_copies is not None:
            self.last_copies.keep(url_of(environ), page, page.stored_at)
        return page.answer(environ, start_response)


def page_key(fingerprint: str, version: int, environ: dict[str, Any]) -> str:
    """The code's fingerprint (memo.py), the version, the path and query: a
    deploy never serves pages its old templates rendered from Redis."""
    return f"page:{fingerprint}:{version}:{url_of(environ)}"


def url_of(environ: dict[str, Any]) -> str:
    path = environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")
    return f"{path}?{environ.get('QUERY_STRING', '')}"


def capture_without_sending(sent: list[Any]) -> StartResponse:
    def capture(status: str, headers: list[Any], exc_info: Any = None) -> Callable:  # type: ignore[type-arg]
        sent[:] = [status, headers, exc_info]
        return lambda _data: None  # the body is returned, never written

    return capture


def has_session_cookie(environ: dict[str, Any]) -> bool:
    header = environ.get("HTTP_COOKIE")
    if not header:
        return False
    cookies = parse_cookie(header)
    return any(name in cookies for name in SESSION_COOKIES)


def is_storable(status: str, headers: list[tuple[str, str]]) -> bool:
    return status.startswith("200 ") and not any(
        name.lower() == "set-cookie" for name, _ in headers
    )


def pending_page() -> PendingPage | None:
    pending: PendingPage | None = request.environ.get(PENDING)
    return pending


def note_page_expiry() -> None:
    """A page the middleware may store expires when the next scheduled
    article appears: asked before the page reads anything, so an article
    whose time comes while the page renders cannot be missing from a page
    that outlives it."""
    pending = pending_page()
    if pending is not None and pending.cacheable:
        pending.expires_at = content_expiry(db.session())
        pending.expiry_read = True


def prepare_page(response: Response) -> Response:
    """A page the middleware asked for, and may store: give it its validators
    and let the middleware keep it. Anything personal (a cookie) or not a
    200 is left alone."""
    pending = pending_page()
    if pending is None or not pending.expiry_read:
        return response
    if response.status_code != 200 or "Set-Cookie" in response.headers:
        return response
    if response.get_etag()[0] is None:
        response.direct_passthrough = False
        response.set_etag(hashlib.sha256(response.get_data()).hexdigest()[:32])
        response.headers["Cache-Control"] = PAGE_CACHE_CONTROL
        response.vary.add("Cookie")
    pending.storable = True
    return response
