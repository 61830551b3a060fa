"""The content version: one number that moves with everything readers see.

Rules (each enforced by a test):

- Every change readers could notice increments SiteState.content_version in
  the same transaction, through the session events below, so no write path
  can forget to invalidate. What counts as such a change is declared on the
  models (blog/models/public.py): a `PublicContent` model's rows, and the
  columns of other models marked `info=PUBLIC`. Bulk UPDATE and DELETE
  statements on those models count too. tests/test_content_version.py
  changes every column and fails when a public page changed but the version
  did not.
- A transaction reads the version before it loads anything else ("pins"
  it): whatever it then loads is at least as new as that version, so a page
  or memo stored under it is never older than its key. On SQLite that is the
  snapshot; on PostgreSQL (READ COMMITTED, each statement sees the newest
  commits) it is the order of the reads. Write transactions skip it.
- Outside a request, the middleware reads the version through `SiteVersion`:
  a primary-key read on a server database, and on SQLite `PRAGMA
  data_version` on a connection of its own, which costs microseconds.
- Cached pages and memos also expire when the next scheduled article's time
  comes (`content_expiry`), read before rendering for the same reason.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Callable
from datetime import datetime
from functools import cache
from typing import Any, Protocol, TypeVar

from sqlalchemy import event, inspect, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import ORMExecuteState, Session

from blog.database import is_writing
from blog.extensions import db
from blog.models import Article, utcnow
from blog.models.public import is_public_model, public_fields
from blog.models.site_state import STATE_ROW_ID, SiteState

VERSION_QUERY = select(SiteState.content_version).where(SiteState.id == STATE_ROW_ID)
BUMP = (
    update(SiteState)
    .where(SiteState.id == STATE_ROW_ID)
    .values(content_version=SiteState.content_version + 1)
)
# session.info keys of what is done or read once per transaction.
BUMPED = "blog.version_bumped"
PINNED_VERSION = "blog.pinned_version"
EXPIRY = "blog.expiry"
T = TypeVar("T")


def listen_for_content_changes() -> None:
    """Once per process: the events are on the session class all apps share."""
    if not event.contains(db.session, "before_flush", bump_on_flush):
        event.listen(db.session, "before_flush", bump_on_flush)
        event.listen(db.session, "do_orm_execute", bump_on_bulk_change)
        event.listen(db.session, "do_orm_execute", pin_before_first_read)


# --- Moving the version ----------------------------------------------------


def bump_on_flush(session: Session, _context: Any, _instances: Any) -> None:
    changed = [*session.new, *session.dirty, *session.deleted]
    if any(is_public_change(session, instance) for instance in changed):
        bump_once(session)


def bump_once(session: Session) -> None:
    """One increment per transaction is enough: the version only has to
    differ from the one readers saw before the commit."""
    once_per_transaction(session, BUMPED, lambda: session.connection().execute(BUMP))


def is_public_change(session: Session, instance: object) -> bool:
    # Plain `type`: mypy does not count a `type[X]` as Hashable, as @cache wants.
    model: type = type(instance)
    if is_public_model(model):
        return (
            instance in session.new
            or instance in session.deleted
            or session.is_modified(instance)
        )
    fields = shown_fields(model)
    if not fields or instance in session.new:
        return False  # nobody's page shows a row before it is used
    if instance in session.deleted:
        return True
    state = inspect(instance)
    return any(state.attrs[field].history.has_changes() for field in fields)


@cache
def shown_fields(model: type) -> tuple[str, ...]:
    return public_fields(model) if hasattr(model, "__mapper__") else ()


def bump_on_bulk_change(state: ORMExecuteState) -> None:
    """UPDATE and DELETE statements (comment recounts) skip the flush."""
    if not (state.is_update or state.is_delete) or state.bind_mapper is None:
        return
    model: type = state.bind_mapper.class_
    if is_public_model(model) or shown_fields(model):
        bump_once(state.session)


# --- Pinning: the version a transaction's reads are at least as new as -----


def pin_before_first_read(state: ORMExecuteState) -> None:
    if state.is_select and not is_writing():
        pinned_version(state.session)


def pinned_version(session: Session) -> int | None:
    """The content version this transaction read before anything else."""
    version: int | None = once_per_transaction(
        session, PINNED_VERSION, lambda: session.connection().scalar(VERSION_QUERY)
    )
    return version


def content_expiry(session: Session) -> datetime | None:
    """When the next scheduled article appears: cached pages and memos
    expire then, so no cron is needed. Read once a transaction: the first
    read comes before the content, so it is never later than it should be."""
    expiry: datetime | None = once_per_transaction(
        session, EXPIRY, lambda: session.scalar(Article.select_next_scheduled())
    )
    return expiry


def once_per_transaction(session: Session, key: str, read: Callable[[], T]) -> T:
    """read()'s result, asked once per transaction of this session (read()
    begins the transaction if need be) and kept in session.info."""
    transaction = session.get_transaction()
    held: tuple[object, T] | None = session.info.get(key)
    if transaction is None or held is None or held[0] is not transaction:
        value = read()
        session.info[key] = (session.get_transaction(), value)
        return value
    return held[1]


def is_past(moment: datetime | None) -> bool:
    return moment is not None and utcnow() >= moment


# --- Reading the version outside a request ---------------------------------


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
        connection: sqlite3.Connection = local.connection
        return connection

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
        version: int | None = local.version
        return version


class QuerySiteVersion:
    """The version on a server database: one primary-key read a request."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def current(self) -> int | None:
        with self.engine.connect() as connection:
            version: int | None = connection.execute(VERSION_QUERY).scalar()
            return version


def watch_site_version(engine: Engine, busy_timeout_seconds: int) -> SiteVersion | None:
    """How this database's version is read; None (no page cache) for an
    in-memory SQLite database, which no second connection can see."""
    if engine.dialect.name != "sqlite":
        return QuerySiteVersion(engine)
    path = engine.url.database
    if not path or path == ":memory:" or path.startswith("file:"):
        return None
    return SqliteSiteVersion(path, busy_timeout_seconds * 1000)
