"""Rate-limit counters every worker on a host shares, without Redis.

Flask-Limiter keeps its counters in the storage the `limits` library gives
it: memory (each worker counts alone, so three workers let three times the
documented attempts through), Redis, Memcached or MongoDB. With Redis
configured the blog uses it, across hosts. Without it, this storage keeps
the counters in a small SQLite file in the instance folder, which every
worker of the host opens: `limits` has no file storage, hence this one.

Fixed windows only (Flask-Limiter's default strategy): one UPSERT a hit,
atomic under SQLite's write lock, in autocommit mode so no lock is held
between statements.
"""

from __future__ import annotations

import random
import sqlite3
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

from limits.storage import Storage

SCHEME = "blogsqlite"
BUSY_TIMEOUT_MS = 2000
CLEANUP_ODDS = 1000  # on average, every thousandth hit sweeps expired counters
SCHEMA = (
    "CREATE TABLE IF NOT EXISTS counters "
    "(key TEXT PRIMARY KEY, count INTEGER NOT NULL, expires REAL NOT NULL)"
)
# A counter whose window has passed starts again at this hit.
INCREMENT = """
INSERT INTO counters (key, count, expires) VALUES (:key, :amount, :expires)
ON CONFLICT (key) DO UPDATE SET
    count = CASE WHEN expires <= :now THEN :amount ELSE count + :amount END,
    expires = CASE WHEN expires <= :now THEN :expires ELSE expires END
RETURNING count
"""


def storage_uri(instance_path: str) -> str:
    return f"{SCHEME}://{Path(instance_path) / 'ratelimits.sqlite'}"


class SqliteFileStorage(Storage):
    STORAGE_SCHEME = [SCHEME]

    def __init__(
        self, uri: str, wrap_exceptions: bool = False, **options: float | str | bool
    ) -> None:
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self.path = urlsplit(uri).path
        self.local = threading.local()  # sqlite3 connections stay in their thread

    @property
    def base_exceptions(self) -> type[Exception]:
        return sqlite3.Error

    def connection(self) -> sqlite3.Connection:
        connection: sqlite3.Connection | None = getattr(self.local, "connection", None)
        if connection is None:
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(self.path, isolation_level=None)
            connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            connection.execute("PRAGMA journal_mode = WAL")
            connection.execute("PRAGMA synchronous = NORMAL")
            connection.execute(SCHEMA)
            self.local.connection = connection
        return connection

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        now = time.time()
        connection = self.connection()
        row = connection.execute(
            INCREMENT,
            {"key": key, "amount": amount, "expires": now + expiry, "now": now},
        ).fetchone()
        if random.randrange(CLEANUP_ODDS) == 0:  # noqa: S311 - not for security
            connection.execute("DELETE FROM counters WHERE expires <= ?", (now,))
        return int(row[0])

    def get(self, key: str) -> int:
        row = (
            self.connection()
            .execute(
                "SELECT count FROM counters WHERE key = ? AND expires > ?",
                (key, time.time()),
            )
            .fetchone()
        )
        return int(row[0]) if row else 0

    def get_expiry(self, key: str) -> float:
        row = (
            self.connection()
            .execute(
                "SELECT expires FROM counters WHERE key = ? AND expires > ?",
                (key, time.time()),
            )
            .fetchone()
        )
        return float(row[0]) if row else time.time()

    def check(self) -> bool:
        try:
            self.connection().execute("SELECT 1").fetchone()
        except sqlite3.Error:
            return False
        return True

    def reset(self) -> int | None:
        return self.connection().execute("DELETE FROM counters").rowcount

    def clear(self, key: str) -> None:
        self.connection().execute("DELETE FROM counters WHERE key = ?", (key,))
