"""The engine and the one write path.

SQLite has one writer at a time. A deferred transaction that reads, then
writes after another writer committed, fails at once with "database is
locked" (the busy timeout does not apply to upgrading a stale snapshot). So
every write goes through `write_transaction()`, which ends whatever the
session was reading, begins IMMEDIATE (waiting its turn for the lock) and
commits at its end. Everything else begins DEFERRED and never blocks.

A service reads and prepares what it can before the block (load the user,
render the Markdown) so the lock is held only for the statements that must
see the latest data; anything read before must be checked again inside.

PostgreSQL needs no special BEGIN (rows are locked with SELECT ... FOR
UPDATE), and the same code runs there unchanged. Nothing here reads the
request: which BEGIN to use is the write block's own flag.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any
from urllib.parse import quote

from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from blog.extensions import db
from blog.faults import DatabaseUnavailable, forget_failed_transaction, is_unavailable

# Set while a write_transaction() block runs, in this thread or task only.
writing: ContextVar[bool] = ContextVar("blog_writing", default=False)
# What to run once the outermost write_transaction() has committed.
after_commit_tasks: ContextVar[list[Callable[[], object]] | None] = ContextVar(
    "blog_after_commit", default=None
)


def configure_engine(engine: Engine, config: dict[str, Any]) -> None:
    """SQLite: WAL so readers never wait for the writer, foreign keys enforced,
    a busy timeout so a writer waits for the lock instead of failing, and the
    page cache and mmap window the settings give."""
    if engine.dialect.name == "postgresql":
        bound_lock_waits(engine, config)
    if engine.dialect.name != "sqlite":
        return
    pragmas = [
        "PRAGMA journal_mode=WAL",
        "PRAGMA synchronous=NORMAL",
        "PRAGMA foreign_keys=ON",
        f"PRAGMA busy_timeout={config['SQLITE_BUSY_TIMEOUT'] * 1000:d}",
        f"PRAGMA cache_size=-{config['SQLITE_CACHE_MIB'] * 1024:d}",
        f"PRAGMA mmap_size={config['SQLITE_MMAP_MIB'] * 1024 * 1024:d}",
    ]

    @event.listens_for(engine, "connect")
    def set_sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
        # The "begin" event below chooses how each transaction starts.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in pragmas:
            cursor.execute(pragma)
        cursor.close()

    @event.listens_for(engine, "begin")
    def begin_transaction(connection: Connection) -> None:
        connection.exec_driver_sql(
            "BEGIN IMMEDIATE" if writing.get() else "BEGIN DEFERRED"
        )


def bound_lock_waits(engine: Engine, config: dict[str, Any]) -> None:
    """A PostgreSQL write waiting on a row lock gives up as SQLite's does,
    after the busy timeout, instead of holding the request until it ends."""
    timeout_ms = config["SQLITE_BUSY_TIMEOUT"] * 1000

    @event.listens_for(engine, "connect")
    def set_lock_timeout(dbapi_connection: Any, _record: Any) -> None:
        with dbapi_connection.cursor() as cursor:
            cursor.execute(f"SET lock_timeout = {timeout_ms:d}")
        dbapi_connection.commit()


def is_writing() -> bool:
    """Whether a write_transaction() block is running here."""
    return writing.get()


@contextmanager
def write_transaction() -> Iterator[Session]:
    """End the read transaction, then run the block in a write transaction
    that commits at its end (or rolls back on an exception). A block inside
    another joins it: the outer one commits, and the inner one flushes at its
    end, so its own errors (a unique slug taken) surface inside it.

    Neither commit expires what the session holds: the objects read before
    keep their values, and those written keep what was written, so nothing
    is read again after the lock is released. Values that SQL statements
    changed behind the objects' backs (a recount) are stale on them."""
    session = db.session()
    if writing.get():
        yield session
        session.flush()
        return
    commit_keeping_objects(session)
    token = writing.set(True)
    tasks_token = after_commit_tasks.set([])
    try:
        yield session
        commit_keeping_objects(session)
        tasks = after_commit_tasks.get() or []
    except OperationalError as error:
        forget_failed_transaction()
        if not is_unavailable(error):
            raise
        # The lock was not ours within the busy timeout, or the server is
        # gone: a refusal the user's form can show, with their text kept.
        raise DatabaseUnavailable() from error
    except BaseException:
        session.rollback()
        raise
    finally:
        writing.reset(token)
        after_commit_tasks.reset(tasks_token)
    for task in tasks:
        task()


def after_commit(task: Callable[[], object]) -> None:
    """Run task once the write transaction committed (at once outside one);
    never when it rolls back."""
    tasks = after_commit_tasks.get()
    if tasks is None:
        task()
    else:
        tasks.append(task)


def commit_keeping_objects(session: Session) -> None:
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = True


HEALTH_CHECK_TIMEOUT_SECONDS = 1


def check_writable(engine: Engine) -> None:
    """Raise OperationalError unless a write could start now: the health
    probe's question, answered within a second and leaving nothing behind.
    SQLite: take the write lock and let it go. PostgreSQL: lock the state row
    in a read-write transaction, then roll back (the content version is not
    touched, so no cache moves)."""
    if engine.dialect.name == "sqlite":
        try:
            take_and_release_sqlite_lock(engine.url.database or "")
        except sqlite3.Error as error:
            raise OperationalError("BEGIN IMMEDIATE", {}, error) from error
        return
    with engine.connect() as server, server.begin() as transaction:
        timeout_ms = HEALTH_CHECK_TIMEOUT_SECONDS * 1000
        server.exec_driver_sql(f"SET LOCAL lock_timeout = {timeout_ms:d}")
        server.exec_driver_sql(
            "UPDATE site_state SET content_version = content_version WHERE id = 1"
        )
        transaction.rollback()


def take_and_release_sqlite_lock(path: str) -> None:
    # mode=rw: a probe must never create an empty database where none is.
    connection = sqlite3.connect(
        f"file:{quote(path)}?mode=rw",
        uri=True,
        timeout=HEALTH_CHECK_TIMEOUT_SECONDS,
        isolation_level=None,
    )
    try:
        connection.execute("BEGIN IMMEDIATE")
        connection.execute("ROLLBACK")
    finally:
        connection.close()
