"""Whole pages and feeds for anonymous readers, cached under the site's
content version and answered before Flask sees the request.

Every change to what readers see (an article, a comment, a category or tag,
an author's name) increments SiteState.content_version in the same
transaction, through the session events below, so no write path can forget
to invalidate. A response is cached under the version read before it was
rendered, and is also dropped when the next scheduled article's time comes.

PageCache wraps the WSGI app. A GET or HEAD without a session or remember
cookie (a reader who may be logged in never touches the cache) is answered
from the cache, 200 or 304, without building a Flask request: that is most of
the cost of a cached page. A miss on a cacheable endpoint renders the full
page through Flask, stores it, then answers the reader's conditional headers
from what it stored. A cached response never sets a cookie.
"""

from __future__ import annotations

import hashlib
import logging
import os
import sqlite3
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol, TypeVar

from flask import Flask, Response, current_app, g, request
from flask_caching.backends import SimpleCache
from sqlalchemy import event, inspect, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import ORMExecuteState, Session
from werkzeug.exceptions import HTTPException
from werkzeug.http import (
    is_resource_modified,
    parse_cookie,
    parse_date,
    remove_entity_headers,
)
from werkzeug.routing import RequestRedirect

from blog.extensions import cache, db
from blog.models import Article, ArticleStatus, Category, Comment, Tag, User, utcnow
from blog.models.site_state import STATE_ROW_ID, SiteState

log = logging.getLogger(__name__)

CACHEABLE_ENDPOINTS = {
    "articles.index",
    "articles.detail",
    "articles.by_category",
    "articles.by_tag",
    "articles.by_author",
    "articles.archive",
    "articles.search",
    "site.sitemap",
    "site.robots",
    "feeds.subscribe",
    "feeds.site",
    "feeds.scoped",
    "feeds.comments",
    "feeds.article_comments",
}
CONTENT_MODELS = (Article, Comment, Category, Tag)
# What of a user shows on public pages: bylines and author pages.
PUBLIC_USER_FIELDS = ("display_name", "slug")
SESSION_COOKIES = ("session", "remember_token")
PAGE_CACHE_CONTROL = "no-cache"  # browsers keep it, and ask with If-None-Match
CONDITIONAL_HEADERS = ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE")
# Set in the WSGI environ by PageCache (the key a miss is stored under) and by
# the app (that the response may be stored, and until when).
PAGE_KEY = "blog.page_key"
PAGE_EXPIRES = "blog.page_expires"
EXPIRY_AT_START = "blog.expiry_at_start"
BUMPED_IN = "blog.version_bumped_in"  # session.info: the transaction that did
# Raise when what remembered() stores changes shape, or a template it renders
# changes, so that a cache shared across a deploy (Redis) never hands new code
# an old value.
MEMO_FORMAT = 2
VERSION_QUERY = select(SiteState.content_version).where(SiteState.id == STATE_ROW_ID)
BUMP = (
    update(SiteState)
    .where(SiteState.id == STATE_ROW_ID)
    .values(content_version=SiteState.content_version + 1)
)

T = TypeVar("T")
StartResponse = Callable[..., Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


def init_app(app: Flask) -> None:
    app.before_request(note_page_expiry)
    app.after_request(prepare_page)
    listen_for_content_changes()
    with app.app_context():
        engine = db.engine
    site_version = watch_site_version(engine, app.config["SQLITE_BUSY_TIMEOUT"])
    if site_version is not None:
        app.wsgi_app = PageCache(  # type: ignore[method-assign]
            app, app.wsgi_app, site_version
        )


# --- The content version: bumped by every public change -----------------------


def listen_for_content_changes() -> None:
    """Once per process: the events are on the session class all apps share."""
    if not event.contains(db.session, "before_flush", bump_on_flush):
        event.listen(db.session, "before_flush", bump_on_flush)
        event.listen(db.session, "do_orm_execute", bump_on_bulk_change)


def bump_on_flush(session: Session, _context: Any, _instances: Any) -> None:
    changed = [*session.new, *session.dirty, *session.deleted]
    if any(is_public_change(session, instance) for instance in changed):
        bump_once(session)


def bump_once(session: Session) -> None:
    """One increment per transaction is enough: the version only has to
    differ from the one readers saw before the commit."""
    connection = session.connection()  # begins the transaction if need be
    transaction = session.get_transaction()
    if session.info.get(BUMPED_IN) is transaction:
        return
    connection.execute(BUMP)
    session.info[BUMPED_IN] = transaction


def is_public_change(session: Session, instance: object) -> bool:
    if isinstance(instance, CONTENT_MODELS):
        return (
            instance in session.new
            or instance in session.deleted
            or (session.is_modified(instance))
        )
    if isinstance(instance, User):
        if instance in session.new:
            return False  # nobody's page shows an account before it acts
        if instance in session.deleted:
            return True
        state = inspect(instance)
        return any(
            state.attrs[field].history.has_changes() for field in PUBLIC_USER_FIELDS
        )
    return False


def bump_on_bulk_change(state: ORMExecuteState) -> None:
    """UPDATE and DELETE statements (comment recounts) skip the flush."""
    if not (state.is_update or state.is_delete) or state.bind_mapper is None:
        return
    if state.bind_mapper.class_ in (*CONTENT_MODELS, User):
        bump_once(state.session)


# --- Reading the version cheaply, outside any request -------------------------


class SiteVersion(Protocol):
    def current(self) -> int | None: ...


class SqliteSiteVersion:
    """The version on SQLite, read again only when the database has changed.

    `PRAGMA data_version` on a connection changes whenever another connection,
    in this process or any other, commits to the file; this connection only
    reads, so an unchanged number means an unchanged version. Asking it costs
    microseconds, against a tenth of a millisecond for a SELECT through the
    session. SQLAlchemy has no such notion, hence the plain sqlite3 connection,
    one per thread and per process (a forked worker opens its own)."""

    def __init__(self, path: str, busy_timeout_ms: int) -> None:
        self.path = path
        self.busy_timeout_ms = busy_timeout_ms
        self.local = threading.local()

    def connection(self) -> sqlite3.Connection:
        local = self.local
        if getattr(local, "pid", None) != os.getpid():
            local.connection = sqlite3.connect(
                self.path, isolation_level=None, check_same_thread=True
            )
            local.connection.execute(f"PRAGMA busy_timeout={self.busy_timeout_ms:d}")
            local.pid, local.data_version, local.version = os.getpid(), None, None
        return local.connection

    def current(self) -> int | None:
        connection = self.connection()
        local = self.local
        (data_version,) = connection.execute("PRAGMA data_version").fetchone()
        if data_version != local.data_version:
            row = connection.execute(
                "SELECT content_version FROM site_state WHERE id = ?", (STATE_ROW_ID,)
            ).fetchone()
            local.version = row[0] if row else None
            local.data_version = data_version
        return local.version


class QuerySiteVersion:
    """The version on a server database: one primary-key read a request."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def current(self) -> int | None:
        with self.engine.connect() as connection:
            return connection.execute(VERSION_QUERY).scalar()


def watch_site_version(engine: Engine, busy_timeout_seconds: int) -> SiteVersion | None:
    """How this database's version is read; None (no page cache) for an
    in-memory SQLite database, which no second connection can see."""
    if engine.dialect.name != "sqlite":
        return QuerySiteVersion(engine)
    path = engine.url.database
    if not path or path == ":memory:" or path.startswith("file:"):
        return None
    return SqliteSiteVersion(path, busy_timeout_seconds * 1000)


# --- The cache -----------------------------------------------------------------


def cache_get(backend: Any, key: str) -> Any:
    """What the cache holds under key, or None; an unreachable cache (Redis
    down) costs a rendering, never a failed page."""
    try:
        return backend.get(key)
    except Exception:  # the backends raise their own connection errors
        log.warning("cache unreachable; reading %s", key, exc_info=True)
        return None


def cache_set(backend: Any, key: str, value: Any) -> None:
    try:
        backend.set(key, value)
    except Exception:
        log.warning("cache unreachable; not storing %s", key, exc_info=True)


@dataclass(frozen=True)
class Remembered:
    value: Any
    expires_at: datetime | None  # when the next scheduled article appears

    def is_expired(self) -> bool:
        return is_past(self.expires_at)


def is_past(moment: datetime | None) -> bool:
    return moment is not None and utcnow() >= moment


def remembered(name: str, compute: Callable[[], T]) -> T:
    """What every reader is shown alike (the site navigation, an article's
    own part of its page), computed once per content version for the pages
    the page cache cannot hold: a logged-in reader's. Like a cached page, it
    expires when a scheduled article's time comes. Values must pickle
    (Redis): strings and plain tuples, not ORM objects.

    The version is read in the request's transaction before compute() runs,
    so what compute() reads is never older than its key. A view that hands
    compute() content it loaded earlier calls pin_content_version() first:
    PostgreSQL's READ COMMITTED shows every statement the latest commits."""
    version = snapshot_version()
    if version is None:
        return compute()
    backend = current_app.extensions["cache"][cache]
    key = f"memo:{MEMO_FORMAT}:{version}:{name}"
    entry: Remembered | None = cache_get(backend, key)
    if entry is None or entry.is_expired():
        # Read before computing, for the same reason as the version.
        expires_at = next_scheduled_publication()
        entry = Remembered(compute(), expires_at)
        cache_set(backend, key, entry)
    return entry.value


def snapshot_version() -> int | None:
    """The content version as this request's transaction sees it, read once."""
    if "snapshot_version" not in g:
        g.snapshot_version = db.session.scalar(VERSION_QUERY)
    return g.snapshot_version


def pin_content_version() -> None:
    """Read the content version now, before the view loads the content it
    will hand to remembered()."""
    snapshot_version()


@dataclass(frozen=True)
class CachedPage:
    """A 200 as the app sent it, and the 304 that stands for it."""

    body: bytes
    headers: list[tuple[str, str]]
    not_modified_headers: list[tuple[str, str]]
    etag: str | None
    last_modified: datetime | None
    expires_at: datetime | None  # when the next scheduled article appears

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

    def __init__(self, app: Flask, wsgi_app: WSGIApp, site_version: SiteVersion):
        self.app = app
        self.wsgi_app = wsgi_app
        self.site_version = site_version
        self.backend = app.extensions["cache"][cache]
        # In-process, an entry of an older version is only dead weight in the
        # worker's memory until the threshold prunes it: drop them all when
        # the version moves. Redis expires its own (CACHE_DEFAULT_TIMEOUT).
        self.drops_old_versions = isinstance(self.backend, SimpleCache)
        self.version_seen: int | None = None

    def __call__(
        self, environ: dict[str, Any], start_response: StartResponse
    ) -> Iterable[bytes]:
        method = environ["REQUEST_METHOD"]
        if method not in ("GET", "HEAD") or has_session_cookie(environ):
            return self.wsgi_app(environ, start_response)
        key = self.key(environ)
        if key is None:
            return self.wsgi_app(environ, start_response)
        page: CachedPage | None = cache_get(self.backend, key)
        if page is not None and not page.is_expired():
            return page.answer(environ, start_response)
        if method != "GET" or not self.is_cacheable(environ):
            return self.wsgi_app(environ, start_response)
        return self.render_and_store(environ, start_response, key)

    def key(self, environ: dict[str, Any]) -> str | None:
        try:
            version = self.site_version.current()
        except Exception:  # the app will answer with its own error page
            log.warning("content version unreadable", exc_info=True)
            return None
        if version is None:
            return None
        if version != self.version_seen:
            if self.drops_old_versions and self.version_seen is not None:
                self.backend.clear()
            self.version_seen = version
        path = environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")
        return f"page:{version}:{path}?{environ.get('QUERY_STRING', '')}"

    def is_cacheable(self, environ: dict[str, Any]) -> bool:
        """Routing a miss costs microseconds; a hit is never routed."""
        try:
            endpoint, _ = self.app.url_map.bind_to_environ(environ).match()
        except (HTTPException, RequestRedirect):
            return False
        return endpoint in CACHEABLE_ENDPOINTS

    def render_and_store(
        self, environ: dict[str, Any], start_response: StartResponse, key: str
    ) -> Iterable[bytes]:
        """Render the full page (a reader's If-None-Match would get an empty
        304 to store), keep it if the app allowed, then answer the reader."""
        conditions = {
            name: environ.pop(name) for name in CONDITIONAL_HEADERS if name in environ
        }
        environ[PAGE_KEY] = key
        sent: list[Any] = []
        chunks = self.wsgi_app(environ, capture_without_sending(sent))
        try:
            body = b"".join(chunks)
        finally:
            getattr(chunks, "close", lambda: None)()
        environ.update(conditions)
        status, headers, exc_info = sent
        if PAGE_EXPIRES not in environ or not is_storable(status, headers):
            start_response(status, headers, exc_info)
            return [body]
        page = CachedPage.from_response(headers, body, environ[PAGE_EXPIRES])
        cache_set(self.backend, key, page)
        return page.answer(environ, start_response)


def capture_without_sending(sent: list[Any]) -> StartResponse:
    def capture(status: str, headers: list, exc_info: Any = None) -> Callable:
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


def prepare_page(response: Response) -> Response:
    """A page PageCache asked for, and may store: give it its validators and
    tell PageCache until when it holds. Anything personal (a cookie) or not a
    200 is left alone."""
    if PAGE_KEY not in request.environ or EXPIRY_AT_START not in request.environ:
        return response
    if response.status_code != 200 or "Set-Cookie" in response.headers:
        return response
    if response.get_etag()[0] is None:
        response.direct_passthrough = False
        response.set_etag(hashlib.sha256(response.get_data()).hexdigest()[:32])
        response.headers["Cache-Control"] = PAGE_CACHE_CONTROL
        response.vary.add("Cookie")
    request.environ[PAGE_EXPIRES] = request.environ[EXPIRY_AT_START]
    return response


def note_page_expiry() -> None:
    """A page PageCache may store expires when the next scheduled article
    appears: asked before the page reads anything, so an article whose time
    comes while the page renders cannot be missing from a page that outlives
    it."""
    if PAGE_KEY in request.environ and request.endpoint in CACHEABLE_ENDPOINTS:
        request.environ[EXPIRY_AT_START] = next_scheduled_publication()


def next_scheduled_publication() -> datetime | None:
    """When the next scheduled article appears: cached pages expire then."""
    return db.session.scalar(
        select(Article.published_at)
        .where(
            Article.status == ArticleStatus.PUBLISHED,
            Article.published_at > utcnow(),
        )
        .order_by(Article.published_at)
        .limit(1)
    )
