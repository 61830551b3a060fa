"""Limits that hold however many workers serve the blog: without Redis the
counters live in a file every worker of the host shares; with Redis, in
Redis. A stranger's failures never lock the owner out.

Flask-Limiter's limiter is one object per process, so two apps built here
share it: the tests that stand for several workers also check that the
counts reached the shared store, and separate processes hit the file
directly. The real three-worker check is tests/test_rate_limits_servers.py.
"""

from __future__ import annotations

import multiprocessing
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

import pytest
import redis
from flask import Flask

from blog.ratelimit import SqliteFileStorage, storage_uri
from tests.comment_helpers import logged_in, post
from tests.factories import PASSWORD, make_article, make_user
from tests.test_auth import client_from, log_in, redis_is_reachable, register

REDIS_URL = "redis://127.0.0.1:6379/15"
REPOSITORY = Path(__file__).resolve().parent.parent


class Store:
    """Where the counters are kept: the host's file, or Redis."""

    def __init__(self, kind: str, instance_path: Path) -> None:
        self.kind = kind
        self.instance_path = instance_path
        # Redis outlives the test: a prefix of its own keeps runs apart.
        self.prefix = f"test-{uuid.uuid4().hex}"

    def settings(self) -> dict[str, object]:
        if self.kind == "file":
            return {}
        return {
            "RATELIMIT_STORAGE_URI": REDIS_URL,
            "RATELIMIT_STORAGE_OPTIONS": {"key_prefix": self.prefix},
        }

    def counters(self) -> int:
        """How many counters the store holds: proof the limits counted there."""
        if self.kind == "redis":
            return len(redis.Redis.from_url(REDIS_URL).keys(f"{self.prefix}*"))
        with sqlite3.connect(self.instance_path / "ratelimits.sqlite") as connection:
            return int(
                connection.execute("SELECT count(*) FROM counters").fetchone()[0]
            )


@pytest.fixture(params=["file", "redis"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Store:
    if request.param == "redis" and not redis_is_reachable():
        pytest.skip("no Redis on 127.0.0.1:6379")
    return Store(request.param, tmp_path / "instance")


@pytest.fixture
def workers(app_factory, store: Store) -> Callable[..., list[Flask]]:
    """Apps on one database and one counter store, as a host's workers are."""

    def build(count: int, **settings: object) -> list[Flask]:
        return [app_factory(**store.settings(), **settings) for _ in range(count)]

    return build


def test_failed_logins_are_counted_across_workers(workers, store: Store) -> None:
    first, second = workers(2)
    with first.app_context():
        user = make_user()
    statuses = [
        log_in(client_from(worker, "10.0.0.66"), user.email, "wrong").status_code
        for worker in [first, second] * 3
    ]

    assert statuses == [400] * 5 + [429]
    assert store.counters() > 0


def test_a_stranger_failing_never_locks_the_owner_out(workers, store: Store) -> None:
    first, second = workers(2)
    with first.app_context():
        user = make_user()
    for n in range(20):
        log_in(client_from([first, second][n % 2], "10.0.0.66"), user.email, "no")

    assert (
        log_in(client_from(second, "10.0.0.7"), user.email, PASSWORD).status_code == 303
    )
    assert (
        log_in(client_from(first, "10.0.0.66"), user.email, PASSWORD).status_code == 429
    )
    assert store.counters() > 0


def test_a_burst_of_parallel_guesses_gets_no_more_than_five_checked(
    workers,
) -> None:
    """Counted only after the answer, all of a burst passed the check."""
    apps = workers(2)
    with apps[0].app_context():
        user = make_user()
    clients = [client_from(apps[n % 2], "10.0.0.66") for n in range(12)]
    with ThreadPoolExecutor(12) as threads:
        answers = threads.map(lambda client: log_in(client, user.email, "x"), clients)
        statuses = sorted(answer.status_code for answer in answers)

    assert statuses == [400] * 5 + [429] * 7


def test_registrations_from_one_address_are_counted_across_workers(
    workers, store: Store
) -> None:
    apps = workers(3)
    statuses = [
        register(client_from(apps[n % 3], "10.0.0.5"), email=f"r{n}@example.com")
        .status_code
        for n in range(6)
    ]  # fmt: skip

    assert statuses == [303] * 5 + [429]
    other = register(client_from(apps[0], "10.0.0.6"), email="other@example.com")
    assert other.status_code == 303
    assert store.counters() > 0


def test_the_fourth_reset_mail_to_one_address_is_not_sent(
    workers, store: Store
) -> None:
    apps = workers(2)
    with apps[0].app_context():
        make_user(email="ann@example.com")
    # Typed differently, it is still one address.
    typed = ["ann@example.com", "Ann@Example.com", "ANN@example.com", "ann@example.com"]
    statuses = [
        client_from(apps[n % 2], f"10.0.1.{n}")
        .post("/auth/reset", data={"email": email})
        .status_code
        for n, email in enumerate(typed)
    ]  # fmt: skip
    sent = [mail.to for app in apps for mail in app.extensions["blog.outbox"]]

    assert statuses == [200, 200, 200, 429]
    assert sent == ["ann@example.com"] * 3
    assert store.counters() > 0


def test_comments_are_counted_across_workers(workers, store: Store) -> None:
    first, second = workers(2, COMMENT_RATE_LIMIT="5/minute")
    with first.app_context():
        make_article(slug="talk")
        make_user(email="chatty@example.com")
    clients = [
        logged_in(first, "chatty@example.com"),
        logged_in(second, "chatty@example.com"),
    ]

    statuses = [
        post(clients[n % 2], "talk", f"Thought {n}").status_code for n in range(6)
    ]

    assert statuses == [303] * 5 + [429]
    assert store.counters() > 0


def test_guessing_from_many_addresses_meets_the_account_ceiling_not_the_owner(
    app_factory,
) -> None:
    app = app_factory(RATELIMIT_LOGIN_ACCOUNT_CEILING="8/hour")
    with app.app_context():
        user = make_user()
    assert log_in(client_from(app, "10.0.0.7"), user.email, PASSWORD).status_code == 303

    botnet = [
        log_in(client_from(app, f"10.9.0.{n // 4}"), user.email, "guess").status_code
        for n in range(9)
    ]

    assert botnet == [400] * 8 + [429]  # the third address is held back at once
    # An address that never logged in to the account waits, even with the
    # right password; the owner, where they logged in before, does not.
    assert log_in(client_from(app, "10.9.9.9"), user.email, PASSWORD).status_code == 429
    assert log_in(client_from(app, "10.0.0.7"), user.email, PASSWORD).status_code == 303
    other = make_user_in(app)
    assert log_in(client_from(app, "10.9.9.9"), other, PASSWORD).status_code == 303


def make_user_in(app: Flask) -> str:
    with app.app_context():
        return make_user().email


def test_the_counter_file_counts_windows_and_forgets_them(tmp_path: Path) -> None:
    storage = SqliteFileStorage(storage_uri(str(tmp_path)))
    other_worker = SqliteFileStorage(storage_uri(str(tmp_path)))

    assert [storage.incr("k", 60) for _ in range(3)] == [1, 2, 3]
    assert other_worker.incr("k", 60) == 4
    assert other_worker.get("k") == 4
    assert storage.incr("gone", -1) == 1  # a window already over
    assert storage.get("gone") == 0 and storage.incr("gone", 60) == 1
    storage.clear("k")
    assert storage.get("k") == 0 and storage.check()


def count_in_another_process(uri: str) -> list[int]:
    storage = SqliteFileStorage(uri)
    return [storage.incr("shared", 60) for _ in range(200)]


def test_processes_counting_at_once_lose_no_hit(tmp_path: Path) -> None:
    uri = storage_uri(str(tmp_path))
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(3, mp_context=context) as processes:
        counts = [
            n
            for seen in processes.map(count_in_another_process, [uri] * 3)
            for n in seen
        ]

    assert sorted(counts) == list(range(1, 601))


BROKEN_STORE = """
import sys
from blog import create_app
from blog.extensions import db
from tests.conftest import test_settings
from tests.factories import PASSWORD, make_user

app = create_app({**test_settings(sys.argv[1]),
                  "RATELIMIT_STORAGE_URI": "blogsqlite:///proc/no/such/dir/x.db"})
with app.app_context():
    db.create_all()
    email = make_user().email
for password in [PASSWORD] + ["no"] * 6:
    form = {"email": email, "password": password}
    print(app.test_client().post("/auth/login", data=form).status_code)
"""


def test_a_broken_counter_store_does_not_break_logging_in(tmp_path: Path) -> None:
    """In its own process: a limiter that fell back to memory stays so for a
    while, and would count the next tests here in memory too."""
    result = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", BROKEN_STORE, f"sqlite:///{tmp_path / 'db.sqlite'}"],
        cwd=REPOSITORY, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    statuses = result.stdout.split()
    assert statuses == ["303"] + ["400"] * 5 + ["429"]  # counted in memory meanwhile
    assert "Traceback" not in result.stdout


def test_with_redis_configured_the_limits_count_there(app_factory) -> None:
    assert app_factory().config["RATELIMIT_STORAGE_URI"].startswith("blogsqlite://")
    with_redis = app_factory(REDIS_URL=REDIS_URL)
    assert with_redis.config["RATELIMIT_STORAGE_URI"] == REDIS_URL
    assert with_redis.config["RATELIMIT_STORAGE_OPTIONS"]["socket_timeout"] <= 1
