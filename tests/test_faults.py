"""Degrade, don't fail: with the database locked or gone, writes answer 503
with Retry-After in bounded time and keep the user's text, the health probe
says so, and anonymous readers keep getting the pages the cache holds."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy.exc import OperationalError

from blog.extensions import db
from tests.comment_helpers import logged_in, post, stored
from tests.conftest import TEST_DATABASE_URL
from tests.factories import make_article, make_user

pytestmark = pytest.mark.skipif(
    bool(TEST_DATABASE_URL), reason="holds SQLite's write lock from outside"
)


@contextmanager
def write_lock_held_elsewhere(app) -> Iterator[None]:
    """Another process's view of the file: a connection that took the write
    lock and keeps it, as a long import or a stuck job would."""
    with app.app_context():
        path = db.engine.url.database
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        other.execute("ROLLBACK")
        other.close()


@pytest.fixture
def site(app_factory):
    app = app_factory(SQLITE_BUSY_TIMEOUT=1, COMMENT_MODERATION="none")
    with app.app_context():
        make_article(slug="open")
        make_user(email="ann@example.com")
    return app


def test_a_comment_under_a_held_lock_gets_503_with_its_text_kept(site) -> None:
    client = logged_in(site, "ann@example.com")

    with write_lock_held_elsewhere(site):
        began = time.monotonic()
        response = post(client, "open", "My carefully typed thoughts.")
        waited = time.monotonic() - began
        reading = site.test_client().get("/articles/open")

    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert "My carefully typed thoughts." in response.text
    assert "nothing was saved" in response.text
    assert waited < 3
    assert reading.status_code == 200
    assert stored(site) == []
    # The lock is free again: the same text goes through, no restart needed.
    assert post(client, "open", "My carefully typed thoughts.").status_code == 303
    assert len(stored(site)) == 1


def test_the_health_probe_reports_a_write_it_could_not_make(site) -> None:
    probe = site.test_client()

    with write_lock_held_elsewhere(site):
        locked = probe.get("/healthz")
    free = probe.get("/healthz")

    assert locked.status_code == 503
    assert locked.json["failed"] == ["write"]
    assert locked.headers["Retry-After"] == "5"
    assert free.status_code == 200


def test_a_database_fault_anywhere_is_a_503_page_not_a_500(app) -> None:
    @app.get("/unreachable")
    def unreachable() -> str:
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    response = app.test_client().get("/unreachable")

    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert "try again in a few seconds" in response.text
    assert "connection refused" not in response.text


def test_cached_pages_are_served_stale_while_the_version_cannot_be_read(
    site, monkeypatch
) -> None:
    reader = site.test_client()
    fresh = {path: reader.get(path) for path in ("/", "/feed.xml")}
    page_cache = site.wsgi_app.app  # inside the request log

    def database_down() -> None:
        raise OperationalError("SELECT", {}, Exception("server closed"))

    monkeypatch.setattr(page_cache.site_version, "current", database_down)
    for path, before in fresh.items():
        during = reader.get(path)
        assert during.status_code == 200, path
        assert during.data == before.data
        assert during.headers["X-Cache"] == "stale"
        assert int(during.headers["Age"]) >= 0


def test_another_worker_serves_the_last_copy_it_never_rendered(
    app_factory, monkeypatch
) -> None:
    """Two apps on one instance folder are two gunicorn workers: the second
    never rendered the page, yet has it while the database is down."""
    first = app_factory(COMMENT_MODERATION="none")
    with first.app_context():
        make_article(slug="open")
    rendered = first.test_client().get("/articles/open")
    second = app_factory(COMMENT_MODERATION="none")

    def database_down() -> None:
        raise OperationalError("SELECT", {}, Exception("server closed"))

    monkeypatch.setattr(second.wsgi_app.app.site_version, "current", database_down)
    during = second.test_client().get("/articles/open")

    assert during.status_code == 200
    assert during.data == rendered.data
    assert during.headers["X-Cache"] == "stale"
