"""When a request's transaction takes SQLite's write lock.

SQLite has one writer at a time. A deferred transaction that reads, then
writes after another writer committed, fails at once with "database is
locked" (the busy timeout does not apply to upgrading a stale snapshot). So
requests that may write (anything but GET/HEAD) and commands begin with
BEGIN IMMEDIATE and wait their turn; page views stay deferred and never block.

Holding the lock from a request's first query serialises all of its work,
though: loading the user, the article, rendering Markdown. A view marked
@reads_first begins deferred instead, reads and prepares what it needs, then
writes inside `write_transaction()`, which begins IMMEDIATE and holds the lock
only for the statements that must see the latest data. Anything read before
must be checked again inside, under the lock.

PostgreSQL needs none of this (rows are locked with SELECT ... FOR UPDATE),
and the same code runs there unchanged.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from flask import current_app, g, has_request_context, request
from sqlalchemy.orm import Session

from blog.extensions import db

View = TypeVar("View", bound=Callable[..., Any])


def reads_first(view: View) -> View:
    """The view's request begins deferred; its writes go through
    write_transaction(). Put it right under the route decorator."""
    view.reads_first = True  # type: ignore[attr-defined]
    return view


def may_write() -> bool:
    """Whether the transaction beginning now may write: a command run outside
    a request, any request but GET/HEAD/OPTIONS, except a @reads_first view
    outside its write_transaction()."""
    if not has_request_context():
        return True
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return False
    view = current_app.view_functions.get(request.endpoint or "")
    if getattr(view, "reads_first", False):
        return g.get("writing", False)
    return True


@contextmanager
def write_transaction() -> Iterator[Session]:
    """End the read transaction, then run the block in a write transaction
    that commits at its end (or rolls back on an exception).

    Neither commit expires what the session holds: the objects read before
    keep their values, and those written keep what was written, so nothing
    is read again after the lock is released. Values that SQL statements
    changed behind the objects' backs (a recount) are stale on them."""
    session = db.session()
    commit_keeping_objects(session)
    g.writing = True
    try:
        yield session
        commit_keeping_objects(session)
    except BaseException:
        session.rollback()
        raise
    finally:
        g.writing = False


def commit_keeping_objects(session: Session) -> None:
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = True
