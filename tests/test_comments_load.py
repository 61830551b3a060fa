"""No comment is lost under load: real gunicorn, real HTTP, CSRF on.

The database is the test's own SQLite file, or a fresh PostgreSQL schema when
BLOG_TEST_DATABASE_URL is set; its schema is built by `flask db upgrade`.
"""

from __future__ import annotations

import logging
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from http.cookiejar import CookieJar
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select

from blog import create_app
from blog.config import with_psycopg_driver
from blog.extensions import db
from blog.models import Article, Comment
from tests.conftest import TEST_DATABASE_URL, fresh_postgres_schema
from tests.factories import PASSWORD, make_article, make_user

# Starts gunicorn and waits for it: run by `make test-slow` and CI, not `make test`.
pytestmark = pytest.mark.slow

log = logging.getLogger(__name__)

REPOSITORY = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
USERS = 20
COMMENTS_EACH = 10
REQUEST_TIMEOUT = 30
CSRF_TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


@dataclass(frozen=True)
class Answer:
    status: int
    body: str


class NoRedirects(urllib.request.HTTPRedirectHandler):
    """Report a redirect as the answer rather than following it."""

    def redirect_request(self, *_args: object, **_kwargs: object) -> None:
        return None


class Browser:
    """One user's cookie jar, coming from an address of their own (the server
    trusts one proxy), so the per-address login limit counts each apart."""

    def __init__(self, base_url: str, address: str) -> None:
        self.base_url = base_url
        self.address = address
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(CookieJar()), NoRedirects()
        )

    def request(self, path: str, form: dict[str, str] | None = None) -> Answer:
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        request = urllib.request.Request(  # noqa: S310 - http to our server
            self.base_url + path, data=data, headers={"X-Forwarded-For": self.address}
        )
        try:
            with self.opener.open(request, timeout=REQUEST_TIMEOUT) as response:
                return Answer(response.status, response.read().decode())
        except urllib.error.HTTPError as error:
            return Answer(error.code, error.read().decode())

    def csrf_token(self, path: str) -> str:
        page = self.request(path)
        assert page.status == 200, (path, page.status, page.body[:500])
        return CSRF_TOKEN.search(page.body).group(1)


@contextmanager
def load_test_database(tmp_path: Path) -> Iterator[str]:
    if TEST_DATABASE_URL:
        with fresh_postgres_schema("blog_load") as url:
            yield url
    else:
        yield f"sqlite:///{tmp_path / 'load.sqlite'}"


def server_environment(database_url: str, tmp_path: Path) -> dict[str, str]:
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith("BLOG_")
    }
    environment.update(
        BLOG_DATABASE_URL=database_url,
        BLOG_SECRET_KEY="load test secret",
        BLOG_INSTANCE_PATH=str(tmp_path / "instance"),
        BLOG_COMMENT_MODERATION="none",
        BLOG_COMMENT_RATE_LIMIT="1000/minute",
        BLOG_PROXY_COUNT="1",
    )
    return environment


def add_users_and_article(database_url: str) -> None:
    app = create_app({"DATABASE_URL": database_url, "SECRET_KEY": "setup"})
    with app.app_context():
        for number in range(USERS):
            make_user(email=f"load{number}@example.com")
        make_article(slug="busy")
        # Give back the session's connection before closing the pool for good.
        db.session.remove()
        db.engine.dispose()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def gunicorn(
    environment: dict[str, str],
    log_path: Path,
    *,
    workers: int = 2,
    threads: int = 4,
    port: int | None = None,
) -> Iterator[str]:
    """gunicorn serving the app (2 workers, 4 threads each) until the block ends."""
    port = port or free_port()
    command = [
        str(BIN / "gunicorn"),
        "blog:create_app()",
        f"--bind=127.0.0.1:{port}",
        f"--workers={workers}",
        f"--threads={threads}",
        "--worker-class=gthread",
        "--timeout=60",
    ]
    with log_path.open("w") as log_file:
        server = subprocess.Popen(  # noqa: S603 - our own command line
            command,
            cwd=REPOSITORY,
            env=environment,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
        try:
            base_url = f"http://127.0.0.1:{port}"
            wait_until_ready(server, base_url, log_path)
            yield base_url
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(timeout=5)


def wait_until_ready(server: subprocess.Popen, base_url: str, log_path: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert server.poll() is None, log_path.read_text()[-3000:]
        try:
            with urllib.request.urlopen(base_url + "/healthz", timeout=2) as answer:  # noqa: S310
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("gunicorn did not start:\n" + log_path.read_text()[-3000:])


def logged_in(base_url: str, number: int, *, network: int) -> Browser:
    """User `load<number>` logged in through the real form, from an address
    of their own in 10.<network>.x.y."""
    browser = Browser(base_url, f"10.{network}.{number // 250}.{number % 250 + 1}")
    login = browser.request(
        "/auth/login",
        {
            "csrf_token": browser.csrf_token("/auth/login"),
            "email": f"load{number}@example.com",
            "password": PASSWORD,
        },
    )
    assert login.status == 303, (login.status, login.body[:500])
    return browser


def comment_as(
    base_url: str, number: int, start: threading.Barrier
) -> list[tuple[str, Answer]]:
    """Log in through the real form, wait for everyone, then post comments."""
    browser = logged_in(base_url, number, network=0)
    token = browser.csrf_token("/articles/busy")
    start.wait(timeout=60)
    posted = []
    for count in range(COMMENTS_EACH):
        body = f"Comment {count} of user {number}, {uuid.uuid4().hex}"
        form = {"csrf_token": token, "body": body}
        posted.append((body, browser.request("/articles/busy/comments", form)))
    return posted


def everyone_comments(base_url: str) -> list[tuple[str, Answer]]:
    """Every user's session in a thread of its own; their posting starts together."""
    start = threading.Barrier(USERS)
    with ThreadPoolExecutor(max_workers=USERS) as pool:
        sessions = [
            pool.submit(comment_as, base_url, number, start) for number in range(USERS)
        ]
        return [pair for session in sessions for pair in session.result(timeout=180)]


def stored_bodies(database_url: str) -> tuple[list[str], int]:
    engine = create_engine(with_psycopg_driver(database_url))
    try:
        with engine.connect() as connection:
            bodies = list(connection.scalars(select(Comment.body_markdown)))
            count = connection.scalar(
                select(Article.comment_count).where(Article.slug == "busy")
            )
    finally:
        engine.dispose()
    return bodies, count


def test_no_comment_is_lost_when_twenty_users_post_at_once(tmp_path) -> None:
    with load_test_database(tmp_path) as database_url:
        environment = server_environment(database_url, tmp_path)
        subprocess.run(  # noqa: S603 - our own command line
            [str(BIN / "flask"), "--app", "blog", "db", "upgrade"],
            cwd=REPOSITORY,
            env=environment,
            check=True,
            capture_output=True,
            timeout=120,
        )
        add_users_and_article(database_url)
        log_path = tmp_path / "gunicorn.log"
        with gunicorn(environment, log_path) as base_url:
            began = time.monotonic()
            posted = everyone_comments(base_url)
            elapsed = time.monotonic() - began
            page = Browser(base_url, "10.1.0.1").request("/articles/busy")
        bodies, comment_count = stored_bodies(database_url)

    server_log = log_path.read_text()
    statuses = sorted({answer.status for _, answer in posted})
    acknowledged = [body for body, answer in posted if 200 <= answer.status < 400]
    log.warning(
        "load test: %d comments posted, %d acknowledged, %d stored in %.1f s; "
        "statuses %s",
        len(posted),
        len(acknowledged),
        len(bodies),
        elapsed,
        statuses,
    )
    assert len(posted) == USERS * COMMENTS_EACH
    assert statuses == [303], [a.body[:300] for _, a in posted if a.status != 303]
    assert not any("database is locked" in answer.body for _, answer in posted)
    assert "database is locked" not in server_log
    assert "Traceback" not in server_log, server_log[-3000:]
    assert sorted(bodies) == sorted(acknowledged)
    assert comment_count == len(acknowledged)
    assert page.status == 200
    assert all(body in page.body for body in acknowledged)
