"""Rate-limit counters every worker on a host shares, without Redis.

Flask-Limiter keeps its counters in the storage the `limits` library gives
it: memory (each worker counts alone, so three workers let three times the
documented attempts through), Redis, Memcached or MongoDB. With Redis
configured the blog uses it, across hosts. Without it, this storage keeps
the counters in a small SQLite file in the instance folder, which every
worker of the host opens: `limits` has no file storage, hence this one.

Fixed windows only (Flask-Limiter's default strategy): one UPSERT a hit,
atomic under SQLite's write lock, in autocommit mode so no lock is held
between statements. A check reads in about 15 µs, a count writes in about
65 µs (measured on the 2-core dev machine under load): a login POST pays
about 0.3 ms for its four limits, a comment 0.15 ms; GETs never reach it.

It also remembers, for 90 days, each address an account has logged in from:
a failed-login ceiling per account applies only to addresses that never
logged in to it (see blog/auth/routes.py).
"""

from __future__ import annotations

import logging
import random
import sqlite3
import time
from contextlib import closing
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, request
from flask_limiter.util import get_remote_address
from flask_login import user_logged_in
from limits.storage import Storage

from blog.extensions import limiter
from blog.sqlitefiles import SharedFile

log = logging.getLogger(__name__)

SCHEME = "blogsqlite"
# Counter writes hold the lock for microseconds; waiting longer than this
# means something is wrong, and the limiter then counts in memory instead.
BUSY_TIMEOUT_MS = 500
PREPARE_TRIES, PREPARE_PAUSE_SECONDS = 40, 0.025
KNOWN_ADDRESS_SECONDS = 90 * 24 * 3600
VOUCHING_ENDPOINTS = ("auth.login", "auth.register")
# The per-(account, address) login limit; Flask-Limiter prefixes the endpoint.
LOGIN_PAIR_SCOPE = "login-account"
CLEANUP_ODDS = 1000  # on average, every thousandth hit sweeps expired counters
SCHEMA = (
    "CREATE TABLE IF NOT EXISTS counters "
    "(key TEXT PRIMARY KEY, count INTEGER NOT NULL, expires REAL NOT NULL)"
)
# A counter whose window has passed starts again at this hit. (A give-back,
# amount -1, that finds no live window leaves nothing below 0.)
INCREMENT = """
INSERT INTO counters (key, count, expires) VALUES (:key, MAX(:amount, 0), :expires)
ON CONFLICT (key) DO UPDATE SET
    count = CASE WHEN expires <= :now THEN MAX(:amount, 0) ELSE count + :amount END,
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
        self.file = SharedFile(
            self.path,
            f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}",
            "PRAGMA synchronous = NORMAL",
            SCHEMA,
        )
        self.prepare()

    @property
    def base_exceptions(self) -> tuple[type[Exception], ...]:
        return (sqlite3.Error, OSError)  # OSError: the folder cannot be made

    def prepare(self) -> None:
        """Make the file, in WAL mode, and its table, once, as the app starts.
        Switching to WAL does not wait for a busy file as other statements
        do (twelve threads opening a new file at once: two failed), so
        workers starting together take turns here. A file that cannot be
        prepared fails at its first use, and the limiter counts in memory."""
        for _ in range(PREPARE_TRIES):
            try:
                Path(self.path).parent.mkdir(parents=True, exist_ok=True)
                with closing(sqlite3.connect(self.path, isolation_level=None)) as db:
                    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
                    db.execute("PRAGMA journal_mode = WAL")
                    db.execute(SCHEMA)
                return
            except sqlite3.OperationalError as error:
                if error.sqlite_errorcode != sqlite3.SQLITE_BUSY:
                    break
                time.sleep(PREPARE_PAUSE_SECONDS)
            except OSError:
                break
        log.warning("rate-limit store %s could not be prepared", self.path)

    def connection(self) -> sqlite3.Connection:
        return self.file.connection()

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

    def live_counter(self, key: str) -> tuple[int, float] | None:
        """The count and the end of the key's window, while it lasts."""
        query = "SELECT count, expires FROM counters WHERE key = ? AND expires > ?"
        row = self.connection().execute(query, (key, time.time())).fetchone()
        return (int(row[0]), float(row[1])) if row else None

    def get(self, key: str) -> int:
        counter = self.live_counter(key)
        return counter[0] if counter else 0

    def get_expiry(self, key: str) -> float:
        counter = self.live_counter(key)
        return counter[1] if counter else time.time()

    def check(self) -> bool:
        try:
            self.connection().execute("SELECT 1").fetchone()
        except self.base_exceptions:
            return False
        return True

    def reset(self) -> int | None:
        return self.connection().execute("DELETE FROM counters").rowcount

    def clear(self, key: str) -> None:
        self.connection().execute("DELETE FROM counters WHERE key = ?", (key,))


def known_address_key(email: str, address: str) -> str:
    return f"blog/login-address/{email.strip().lower()[:254]}/{address}"


def address_has_logged_in_to_submitted_account() -> bool:
    """Whether the account typed in the login form was logged in to from
    this address before. A store that fails answers no: the address is then
    held to the account's ceiling, never let through unlimited."""
    key = known_address_key(request.form.get("email", ""), get_remote_address())
    try:
        return limiter.storage.get(key) > 0
    except limiter.storage.base_exceptions:
        log.warning("rate-limit store unreachable; login address not looked up")
        return False


def on_login(_app: Flask, **_extra: object) -> None:
    """A login with the password, or a registration, vouches for the address
    it came from, for the account typed in its form. (Not the signal's user:
    a view that logs the current user in again passes Flask-Login's proxy,
    which cannot be read at this point.)"""
    if request.endpoint not in VOUCHING_ENDPOINTS:
        return
    key = known_address_key(request.form.get("email", ""), get_remote_address())
    try:
        limiter.storage.incr(key, KNOWN_ADDRESS_SECONDS)
    except limiter.storage.base_exceptions:
        log.warning("rate-limit store unreachable; login address not remembered")
    if request.endpoint == "auth.login":
        give_back_login_attempt()


def give_back_login_attempt() -> None:
    """The (account, address) limit counts every attempt before the password
    is checked, in one atomic increment, so that no burst of parallel tries
    passes it; a success then gets its count back, and only failures stay
    counted. (Flask-Limiter's deduct_when counts after the answer instead:
    thirty tries sent at once on three workers had eleven checked.)"""
    for current in limiter.current_limits:
        if not current.request_args[-1].endswith(f":{LOGIN_PAIR_SCOPE}"):
            continue
        try:
            current.limiter.hit(current.limit, *current.request_args, cost=-1)
        except limiter.storage.base_exceptions:
            log.warning("rate-limit store unreachable; login attempt kept counted")


user_logged_in.connect(on_login)


def configure_storage(config: dict[str, Any], instance_path: str) -> None:
    """Flask-Limiter's storage settings, unless the operator gave their own."""
    # Counted in Redis when there is one, so every host agrees; otherwise in
    # a file every worker of this host shares.
    config.setdefault(
        "RATELIMIT_STORAGE_URI", config["REDIS_URL"] or storage_uri(instance_path)
    )
    # A broken counter store must not take logins and comments down with it:
    # errors are logged and each worker counts in memory until it recovers.
    config.setdefault("RATELIMIT_SWALLOW_ERRORS", True)
    config.setdefault("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED", True)
    if config["RATELIMIT_STORAGE_URI"].startswith("redis"):
        # A Redis that hangs costs a POST half a second, not a worker forever.
        config.setdefault(
            "RATELIMIT_STORAGE_OPTIONS",
            {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        )
