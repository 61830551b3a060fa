"""Whole pages for anonymous readers, cached under the site's content version.

Every change to what readers see (an article, a comment, a category or tag,
an author's name) increments SiteState.content_version in the same
transaction, through the session events below, so no write path can forget
to invalidate. A page is cached under the version it was rendered at, and is
also dropped when the next scheduled article's time comes. A request with a
session or remember cookie (a reader who may be logged in) never touches the
cache; a cached page never sets a cookie. Anonymous pages answer ETag and 304.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import Flask, Response, g, request
from sqlalchemy import event, inspect, select, update
from sqlalchemy.orm import ORMExecuteState, Session

from blog.extensions import cache, db
from blog.http import conditional_response
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
}
CONTENT_MODELS = (Article, Comment, Category, Tag)
# What of a user shows on public pages: bylines and author pages.
PUBLIC_USER_FIELDS = ("display_name", "slug")
SESSION_COOKIES = ("session", "remember_token")
PAGE_CACHE_CONTROL = "no-cache"  # browsers keep it, and ask with If-None-Match
BUMP = (
    update(SiteState)
    .where(SiteState.id == STATE_ROW_ID)
    .values(content_version=SiteState.content_version + 1)
)


@dataclass(frozen=True)
class CachedPage:
    body: bytes
    mimetype: str
    etag: str
    expires_at: datetime | None  # when the next scheduled article appears


def init_app(app: Flask) -> None:
    app.before_request(serve_cached_page)
    app.after_request(remember_page)
    listen_for_content_changes()


def listen_for_content_changes() -> None:
    """Once per process: the events are on the session class all apps share."""
    if not event.contains(db.session, "before_flush", bump_on_flush):
        event.listen(db.session, "before_flush", bump_on_flush)
        event.listen(db.session, "do_orm_execute", bump_on_bulk_change)


def bump_on_flush(session: Session, _context: Any, _instances: Any) -> None:
    changed = [*session.new, *session.dirty, *session.deleted]
    if any(is_public_change(session, instance) for instance in changed):
        session.connection().execute(BUMP)


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
        state.session.connection().execute(BUMP)


def is_cacheable_request() -> bool:
    return (
        request.method in ("GET", "HEAD")
        and request.endpoint in CACHEABLE_ENDPOINTS
        and not any(name in request.cookies for name in SESSION_COOKIES)
    )


def content_version() -> int | None:
    """One primary-key read: the only question a cached page asks. None if
    the row is missing (a database not built by the migrations): no caching."""
    return (
        db.session.connection()
        .execute(select(SiteState.content_version).where(SiteState.id == STATE_ROW_ID))
        .scalar()
    )


def cache_get(key: str) -> Any:
    """What the cache holds under key, or None; an unreachable cache (Redis
    down) costs a rendering, never a failed page."""
    try:
        return cache.get(key)
    except Exception:  # the backends raise their own connection errors
        log.warning("cache unreachable; reading %s", key, exc_info=True)
        return None


def cache_set(key: str, value: Any) -> None:
    try:
        cache.set(key, value)
    except Exception:
        log.warning("cache unreachable; not storing %s", key, exc_info=True)


def page_key(version: int) -> str:
    return f"page:{version}:{request.full_path}"


def serve_cached_page() -> Response | None:
    if not is_cacheable_request():
        return None
    version = content_version()
    if version is None:
        return None
    g.page_key = page_key(version)
    page: CachedPage | None = cache_get(g.page_key)
    if page is None or (page.expires_at is not None and utcnow() >= page.expires_at):
        return None
    g.page_served_from_cache = True
    response = conditional_response(
        page.etag, None, lambda: page_response(page), cache_control=PAGE_CACHE_CONTROL
    )
    response.vary.add("Cookie")
    return response


def page_response(page: CachedPage) -> Response:
    return Response(page.body, mimetype=page.mimetype)


def remember_page(response: Response) -> Response:
    """Cache a page an anonymous reader was just served, and give it its
    ETag; anything personal (a cookie) or not a 200 is left alone."""
    key = g.get("page_key")
    if key is None or g.get("page_served_from_cache"):
        return response
    if response.status_code != 200 or "Set-Cookie" in response.headers:
        return response
    response.direct_passthrough = False
    page = CachedPage(
        body=response.get_data(),
        mimetype=response.mimetype,
        etag=hashlib.sha256(key.encode() + response.get_data()).hexdigest()[:32],
        expires_at=next_scheduled_publication(),
    )
    cache_set(key, page)
    response.set_etag(page.etag)
    response.headers["Cache-Control"] = PAGE_CACHE_CONTROL
    response.vary.add("Cookie")
    return response


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
