"""The SQLite side of backup and restore, through sqlite3's backup API: the
online copy, what a copy holds, and the one-transaction replacement of the
live database. SQLAlchemy has no use here: the backup API is what gives
both the consistent copy and the single transaction."""

from __future__ import annotations

import sqlite3
import time
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from flask import current_app
from sqlalchemy.engine import make_url

from blog.models.site_state import STATE_ROW_ID
from blog.moving.backup_file import BackupError

COUNTED_TABLES = ("articles", "comments", "users", "uploads")
VERSION_QUERY = "SELECT content_version FROM site_state WHERE id = ?"
# How many times the write lock may be found taken before a restore gives
# up, each wait being SQLite's busy timeout: writers hold it for a
# millisecond, so only a stuck process holds it that long.
LOCKED_TRIES = 3


@dataclass(frozen=True)
class Contents:
    """What a blog database holds, as backup and restore report it."""

    schema_revision: str
    content_version: int
    counts: dict[str, int]


class ServerDatabase(Exception):
    """The blog's database is not an SQLite file: its server's tools back
    it up. Carries the URL with any password hidden, in libpq's form."""

    def __init__(self, backend: str, url: str) -> None:
        super().__init__(backend)
        self.backend = backend
        self.url = url


def live_database() -> Path:
    """The blog's SQLite file; ServerDatabase for PostgreSQL (or any other
    server), BackupError for an in-memory database."""
    url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])
    backend = url.get_backend_name()
    if backend != "sqlite":
        shown = url.set(drivername=backend).render_as_string(hide_password=True)
        raise ServerDatabase(backend, shown)
    if not url.database or url.database == ":memory:":
        raise BackupError("The blog's database is in memory: there is no file.")
    return Path(url.database).resolve()


def busy_timeout() -> float:
    return float(current_app.config["SQLITE_BUSY_TIMEOUT"])


def open_existing(path: Path, timeout: float = 5.0) -> sqlite3.Connection:
    # mode=rw: looking at a database never creates an empty one where none is.
    return sqlite3.connect(
        f"file:{quote(str(path))}?mode=rw",
        uri=True,
        timeout=timeout,
        isolation_level=None,
    )


def snapshot(live: Path, copy: Path) -> None:
    """Copy the live database to copy as it was at one moment, while the
    blog goes on writing: all pages in one step of the backup API are one
    read transaction, and in WAL mode a reader never stops the writers.
    Every write committed before it began is in the copy. The copy is left
    a self-contained file, without a -wal beside it."""
    with (
        closing(open_existing(live, busy_timeout())) as source,
        closing(sqlite3.connect(copy, isolation_level=None)) as target,
    ):
        source.backup(target, pages=-1)
        target.execute("PRAGMA journal_mode=DELETE")


def describe(path: Path) -> Contents:
    """The schema revision, content version and counts of a blog database."""
    with closing(open_existing(path)) as connection:
        tables = {
            name
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'"
            )
        }
        if not {"alembic_version", "site_state"} <= tables:
            raise BackupError(f"{path.name} is not the database of this blog.")
        revision = connection.execute("SELECT version_num FROM alembic_version")
        version = connection.execute(VERSION_QUERY, (STATE_ROW_ID,)).fetchone()
        counts = {
            table: count_rows(connection, table) if table in tables else 0
            for table in COUNTED_TABLES
        }
        return Contents(
            schema_revision=(revision.fetchone() or ("",))[0],
            content_version=version[0] if version else 0,
            counts=counts,
        )


def describe_if_any(path: Path) -> Contents | None:
    """What the live database holds, or None when there is none yet (a
    restore onto a new machine) or it is not one of ours."""
    if not path.exists():
        return None
    try:
        return describe(path)
    except (BackupError, sqlite3.DatabaseError):
        return None


def check_integrity(path: Path, what: str = "The database in the backup") -> None:
    """BackupError unless SQLite's integrity check finds the file sound."""
    try:
        with closing(open_existing(path)) as connection:
            problems = [row[0] for row in connection.execute("PRAGMA integrity_check")]
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{what} is damaged ({error}).") from None
    if problems != ["ok"]:
        raise BackupError(f"{what} fails SQLite's integrity check ({problems[0]}).")


def prepare_copy(copy: Path, live: Path) -> None:
    """A rollback-journal file with the live database's page size: the
    backup API cannot write pages of another size into a WAL database."""
    with closing(open_existing(copy)) as connection:
        connection.execute("PRAGMA journal_mode=DELETE")
        if not live.exists():
            return
        with closing(open_existing(live)) as target:
            (page_size,) = target.execute("PRAGMA page_size").fetchone()
        if connection.execute("PRAGMA page_size").fetchone()[0] != page_size:
            connection.execute(f"PRAGMA page_size={int(page_size):d}")
            connection.execute("VACUUM")


def replace_live(live: Path, verified: Path) -> int:
    """Make the live database a page-for-page copy of verified, in one
    transaction, and return its new content version.

    Why the backup API and not os.replace() of a new file: gunicorn workers
    keep the old file open. After a rename they would go on reading, and
    committing to, the old unlinked inode, while its -wal and -shm (named by
    path) would pair with the new file; POSIX locks are per inode, so
    nothing would keep old and new writers apart. That is SQLite's "how to
    corrupt a database" §2.4. The backup API writes through SQLite itself:
    it waits for the write lock like any writer, the workers' open read
    transactions keep their snapshot until the one commit, and each
    worker's next transaction sees the restored pages (SQLite notices the
    change through the WAL index and drops its page cache; a changed schema
    makes it prepare its statements again). A failure at any page rolls the
    whole copy back, leaving the database as it was."""
    live.parent.mkdir(parents=True, exist_ok=True)
    existed = live.exists()
    try:
        return copy_pages(verified, live, existed)
    except BaseException:
        if not existed:  # leave no empty file where there was none
            live.unlink(missing_ok=True)
        raise


def copy_pages(verified: Path, live: Path, existed: bool) -> int:
    with closing(sqlite3.connect(verified, isolation_level=None)) as source:
        (pages,) = source.execute("PRAGMA page_count").fetchone()
        if pages < 2:
            raise BackupError("The database in the backup is empty.")
        copy = PageCopy(live if existed else None, source)
        with closing(
            sqlite3.connect(live, isolation_level=None, timeout=busy_timeout())
        ) as target:
            # Fewer pages a step than there are, so the version is set while
            # the copy holds the write lock, before it commits.
            step = max(1, pages // 64)
            source.backup(target, pages=step, progress=copy.progress, sleep=0.01)
            target.execute("PRAGMA journal_mode=WAL")
    if copy.version is None:  # the first step sets it: pages > step
        raise RuntimeError("the database was copied without a new content version")
    return copy.version


class PageCopy:
    """Watches the page copy into the live database: gives up when its write
    lock stays taken, and once the copy holds it, moves the content version
    past both the live one and the backup's.

    Under the lock no other write can commit, so the live version read then
    is the last the replaced content will ever have; every cached page and
    memo is keyed by it or an older one. The version is written to the
    source through the connection the copy reads from, which SQLite carries
    into the pages being copied, so it commits with them."""

    def __init__(self, live: Path | None, source: sqlite3.Connection) -> None:
        self.live = live
        self.source = source
        self.version: int | None = None
        self.deadline = time.monotonic() + LOCKED_TRIES * busy_timeout()

    def progress(self, status: int, remaining: int, total: int) -> None:
        if status in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
            if time.monotonic() > self.deadline:
                raise BackupError(
                    "The live database stayed locked by another process; "
                    "try again when it is done."
                )
            return
        if self.version is None:
            self.version = self.next_version()
            self.source.execute(
                "UPDATE site_state SET content_version = ? WHERE id = ?",
                (self.version, STATE_ROW_ID),
            )

    def next_version(self) -> int:
        (restored,) = self.source.execute(VERSION_QUERY, (STATE_ROW_ID,)).fetchone()
        replaced = 0
        if self.live is not None:
            with closing(open_existing(self.live, busy_timeout())) as reader:
                has_state = reader.execute(
                    "SELECT count(*) FROM sqlite_master WHERE name = 'site_state'"
                ).fetchone()[0]
                row = (
                    has_state
                    and reader.execute(VERSION_QUERY, (STATE_ROW_ID,)).fetchone()
                )
            replaced = row[0] if row else 0
        return max(int(restored), int(replaced)) + 1


def count_rows(connection: sqlite3.Connection, table: str) -> int:
    # The name is one of COUNTED_TABLES, our own constants, never input.
    statement = f"SELECT count(*) FROM {table}"  # nosec B608 # noqa: S608
    count: int = connection.execute(statement).fetchone()[0]
    return count
