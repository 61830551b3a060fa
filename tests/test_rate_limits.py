"""Limits that hold however many workers serve the blog: without Redis the
counters live in a file every worker of the host shares; with Redis, in
Redis. A stranger's failures never lock the owner out."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from blog.ratelimit import SqliteFileStorage, storage_uri
from tests.factories import PASSWORD, make_user
from tests.test_auth import client_from, log_in, register

REDIS_URL = "redis://127.0.0.1:6379/15"


def test_two_workers_on_one_host_count_together(app_factory) -> None:
    """Two app instances on one instance folder are two gunicorn workers."""
    first, second = app_factory(), app_factory()
    with first.app_context():
        user = make_user()
    statuses = []
    for attempt in range(6):
        worker = first if attempt % 2 else second
        statuses.append(
            log_in(client_from(worker, "10.0.0.66"), user.email, "wrong").status_code
        )

    assert statuses == [400] * 5 + [429]


def test_registrations_are_counted_across_workers(app_factory) -> None:
    workers = [app_factory(), app_factory(), app_factory()]
    statuses = [
        register(workers[n % 3].test_client(), email=f"r{n}@example.com").status_code
        for n in range(6)
    ]

    assert statuses[:5] == [303] * 5
    assert statuses[5] == 429


def test_reset_mails_to_one_address_are_counted_across_workers(app_factory) -> None:
    workers = [app_factory(), app_factory()]
    with workers[0].app_context():
        make_user(email="ann@example.com")
    statuses = [
        workers[n % 2]
        .test_client()
        .post("/auth/reset", data={"email": "ann@example.com"})
        .status_code
        for n in range(4)
    ]
    sent = sum(len(worker.extensions["blog.outbox"]) for worker in workers)

    assert statuses == [200, 200, 200, 429]
    assert sent == 3


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


def test_a_broken_counter_store_does_not_break_logging_in(app_factory) -> None:
    app = app_factory(RATELIMIT_STORAGE_URI="blogsqlite:///proc/no/such/dir/x.db")
    with app.app_context():
        user = make_user()

    assert log_in(app.test_client(), user.email, PASSWORD).status_code == 303
    statuses = [
        log_in(client_from(app, "10.0.0.66"), user.email, "no").status_code
        for _ in range(6)
    ]
    assert statuses[-1] == 429  # counted in memory meanwhile


@pytest.fixture
def redis_url() -> str:
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url(REDIS_URL).flushdb()
    except redis.ConnectionError:
        pytest.skip("no Redis at 127.0.0.1:6379")
    return REDIS_URL


def test_with_redis_hosts_share_the_counts(app_factory, redis_url: str) -> None:
    first = app_factory(REDIS_URL=redis_url)
    second = app_factory(REDIS_URL=redis_url)
    assert first.config["RATELIMIT_STORAGE_URI"] == redis_url
    with first.app_context():
        user = make_user()
    statuses = [
        log_in(client_from(app, "10.0.0.66"), user.email, "wrong").status_code
        for app in [first, second] * 3
    ]

    assert statuses == [400] * 5 + [429]


@pytest.mark.slow
def test_three_gunicorn_workers_without_redis_hold_every_limit(tmp_path: Path) -> None:
    from tests.test_comments_load import (
        BIN,
        REPOSITORY,
        Browser,
        gunicorn,
        load_test_database,
        server_environment,
    )

    with load_test_database(tmp_path) as database_url:
        environment = server_environment(database_url, tmp_path)
        environment["BLOG_COMMENT_RATE_LIMIT"] = "5/minute"
        subprocess.run(  # noqa: S603 - our own command line
            [str(BIN / "flask"), "--app", "blog", "db", "upgrade"],
            cwd=REPOSITORY, env=environment, check=True, capture_output=True,
        )  # fmt: skip
        created = subprocess.run(  # noqa: S603 - our own command line
            [str(BIN / "flask"), "--app", "blog", "create-user", "ann@example.com",
             "--generate-password"],
            cwd=REPOSITORY, env=environment, check=True, capture_output=True,
            text=True,
        )  # fmt: skip
        password = created.stdout.split("Password:")[1].split()[0]
        log_path = tmp_path / "gunicorn.log"
        with gunicorn(environment, log_path, workers=3, threads=1) as base_url:
            statuses = limited_statuses(base_url, Browser, password)
        mails = log_path.read_text().count("mail (no BLOG_MAIL_SERVER set) to ann@")

    assert statuses["stranger"] == [400] * 5 + [429] * 15
    assert statuses["owner"] == 303
    assert statuses["registrations"] == [303] * 5 + [429]
    assert statuses["resets"] == [200] * 3 + [429]
    assert mails == 3


def limited_statuses(
    base_url: str, browser_class: type, password: str
) -> dict[str, object]:
    """What a stranger, the owner, a registering bot and a reset spammer get.
    Each request is a new connection, so the three workers share them out."""

    def post(address: str, path: str, form: dict[str, str]) -> int:
        browser = browser_class(base_url, address)
        form = {**form, "csrf_token": browser.csrf_token(path)}
        return browser.request(path, form).status

    login = {"email": "ann@example.com", "password": "not the password"}
    stranger = [post("10.6.6.6", "/auth/login", login) for _ in range(20)]
    # Meanwhile the owner, from their own address, gets in.
    owner = post("10.1.1.1", "/auth/login", {**login, "password": password})
    registrations = [
        post("10.7.7.7", "/auth/register", {
            "email": f"bot{n}@example.com", "display_name": "Bot",
            "password": PASSWORD, "password_again": PASSWORD,
        })
        for n in range(6)
    ]  # fmt: skip
    resets = [
        post(f"10.8.8.{n}", "/auth/reset", {"email": "ann@example.com"})
        for n in range(4)
    ]
    return {
        "stranger": stranger,
        "owner": owner,
        "registrations": registrations,
        "resets": resets,
    }
