"""When the database cannot answer: a 503 the reader can act on, quickly.

SQLite's write lock held elsewhere, PostgreSQL stopped or unreachable: the
driver raises OperationalError (after the bounded busy timeout, the connect
timeout or the lock timeout). A write path turns it into DatabaseUnavailable,
a BlogError, so every form that shows BlogErrors comes back filled with a
503; anything else gets the 503 page. Both say when to try again. Readers of
cached pages never get here: the page cache serves its last copy
(blog/cache/middleware.py). Recovery needs no restart: the pool pings a
connection before use (PostgreSQL) and SQLite simply gets its lock.
"""

from __future__ import annotations

import logging
from contextlib import suppress

from flask import Flask, Response, make_response
from flask_babel import gettext
from sqlalchemy.exc import DBAPIError, OperationalError
from werkzeug.exceptions import ServiceUnavailable

from blog.errors import BlogError, handle_unexpected_error, render_error
from blog.extensions import db

log = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5


def unavailable_message() -> str:
    """In the site's language: with the database out of reach, the one the
    operator configured (blog/site_settings.py falls back to it)."""
    return gettext(
        "The database is busy or out of reach just now, so nothing was saved. "
        "Please try again in a few seconds."
    )


class DatabaseUnavailable(BlogError):
    status_code = 503

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or unavailable_message())


def init_app(app: Flask) -> None:
    app.register_error_handler(OperationalError, handle_database_fault)
    # Last of all the after-request functions (they run in reverse order):
    # Flask-Limiter's sets Retry-After to its own window on every response.
    app.after_request_funcs.setdefault(None, []).insert(0, say_when_to_retry)


# SQLite reports a missing table as an OperationalError too: that is a
# database the migrations have not reached, a fault of the install (500).
SQLITE_SCHEMA_ERRORS = ("no such table", "no such column", "has no column")


def is_unavailable(error: BaseException) -> bool:
    """Whether the database failed to answer (locked, unreachable, gone),
    rather than refused the query."""
    if not isinstance(error, DBAPIError):
        return False
    if error.connection_invalidated:
        return True
    if not isinstance(error, OperationalError):
        return False
    return not str(error.orig).startswith(SQLITE_SCHEMA_ERRORS)


def forget_failed_transaction() -> None:
    """Roll back what the session began; on a dead connection even that
    fails, and the pool replaces the connection at its next use."""
    with suppress(DBAPIError):
        db.session.rollback()


def handle_database_fault(error: OperationalError) -> Response:
    if not is_unavailable(error):
        return make_response(handle_unexpected_error(error))
    forget_failed_transaction()
    log.warning("database unavailable: %s", str(error).splitlines()[0])
    body, status = render_error(503, ServiceUnavailable().name, unavailable_message())
    response = body if isinstance(body, Response) else Response(body)
    response.status_code = status
    return response


def say_when_to_retry(response: Response) -> Response:
    if response.status_code == 503:
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
