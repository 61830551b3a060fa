"""The last copy of each cached page, shared by every worker of a host.

Without Redis each worker keeps its own page cache, so while the database is
down a reader may reach a worker that never stored the page asked for. Every
page the middleware stores is also written here, one row per URL in a SQLite
file in the instance folder (a few rows a content change, on misses only),
and read only when the content version cannot be: stale-if-error across
workers. With Redis every worker already shares the page cache itself.
"""

from __future__ import annotations

import logging
import pickle  # nosec B403 - our own pages, in our own instance folder
import sqlite3
import time
from pathlib import Path
from typing import Any

from blog.sqlitefiles import SharedFile

log = logging.getLogger(__name__)

MAX_PAGES = 2000  # the newest copies kept; junk query strings cannot grow it
SCHEMA = (
    "CREATE TABLE IF NOT EXISTS pages "
    "(url TEXT PRIMARY KEY, page BLOB NOT NULL, stored REAL NOT NULL)"
)


class LastCopies:
    def __init__(self, instance_path: str) -> None:
        self.file = SharedFile(
            str(Path(instance_path) / "last-pages.sqlite"),
            "PRAGMA busy_timeout = 500",
            "PRAGMA journal_mode = WAL",
            "PRAGMA synchronous = OFF",  # a cache: losing it is fine
            SCHEMA,
        )

    def connection(self) -> sqlite3.Connection:
        return self.file.connection()

    def keep(self, url: str, page: Any, stored: float) -> None:
        try:
            connection = self.connection()
            connection.execute(
                "INSERT OR REPLACE INTO pages VALUES (?, ?, ?)",
                (url, pickle.dumps(page), stored),
            )
            connection.execute(
                "DELETE FROM pages WHERE url NOT IN "
                "(SELECT url FROM pages ORDER BY stored DESC LIMIT ?)",
                (MAX_PAGES,),
            )
        except (sqlite3.Error, OSError):
            log.warning("could not keep the last copy of %s", url, exc_info=True)

    def forget_all(self) -> None:
        """After a restore: these pages show content that is gone."""
        try:
            self.connection().execute("DELETE FROM pages")
        except (sqlite3.Error, OSError):
            log.warning("could not forget the last copies", exc_info=True)

    def last(self, url: str) -> Any | None:
        try:
            row = (
                self.connection()
                .execute("SELECT page FROM pages WHERE url = ?", (url,))
                .fetchone()
            )
        except (sqlite3.Error, OSError):
            log.warning("could not read the last copy of %s", url, exc_info=True)
            return None
        return pickle.loads(row[0]) if row else None  # nosec B301 # noqa: S301


def answer_with_age(page: Any, environ: dict[str, Any], start_response: Any) -> Any:
    """A stored page (middleware.CachedPage) while the database cannot say
    whether it is current, with its age (RFC 9111's Age) and a plain word
    for operators."""
    age = str(max(0, int(time.time() - page.stored_at)))
    stale = [("Age", age), ("X-Cache", "stale")]

    def with_age(status: str, headers: list[Any], exc_info: Any = None) -> Any:
        return start_response(status, headers + stale, exc_info)

    return page.answer(environ, with_age)
