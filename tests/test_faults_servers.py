"""Faults from outside, against real gunicorn: SQLite's write lock held by
another process, and PostgreSQL going away and coming back (through a proxy
the test switches off, so the shared server itself keeps running)."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from tests.conftest import TEST_DATABASE_URL, fresh_postgres_schema
from tests.test_comments_load import (
    BIN,
    REPOSITORY,
    Browser,
    add_users_and_article,
    gunicorn,
    server_environment,
)

pytestmark = pytest.mark.slow

HOLD_LOCK = """
import sqlite3, sys, time
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
"""


def upgrade(environment: dict[str, str]) -> None:
    subprocess.run(  # noqa: S603 - our own command line
        [str(BIN / "flask"), "--app", "blog", "db", "upgrade"],
        cwd=REPOSITORY, env=environment, check=True, capture_output=True, timeout=120,
    )  # fmt: skip


def get(base_url: str, path: str) -> tuple[int, dict[str, str], float]:
    began = time.monotonic()
    try:
        with urllib.request.urlopen(base_url + path, timeout=30) as answer:  # noqa: S310
            status, headers = answer.status, dict(answer.headers)
    except urllib.error.HTTPError as error:
        status, headers = error.code, dict(error.headers)
    return status, headers, time.monotonic() - began


def test_sqlite_locked_by_another_process_for_20_seconds(tmp_path: Path) -> None:
    database = tmp_path / "locked.sqlite"
    environment = server_environment(f"sqlite:///{database}", tmp_path)
    upgrade(environment)
    add_users_and_article(f"sqlite:///{database}")
    with gunicorn(environment, tmp_path / "gunicorn.log") as base_url:
        writer = Browser(base_url, "10.2.0.1")
        token = writer.csrf_token("/auth/login")
        writer.request(
            "/auth/login",
            {"email": "load0@example.com", "password": "correct horse battery",
             "csrf_token": token},
        )  # fmt: skip
        token = writer.csrf_token("/articles/busy")
        holder = subprocess.Popen(  # noqa: S603 - our own command line
            [sys.executable, "-c", HOLD_LOCK, str(database), "20"],
            stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        try:
            assert holder.stdout.readline().strip() == "locked"
            began = time.monotonic()
            refused = writer.request(
                "/articles/busy/comments",
                {"body": "Typed while the lock was held.", "csrf_token": token},
            )
            waited = time.monotonic() - began
            health = get(base_url, "/healthz")
            reading = get(base_url, "/articles/busy")
        finally:
            holder.kill()
            holder.wait()
            holder.stdout.close()
        after = writer.request(
            "/articles/busy/comments",
            {"body": "Typed while the lock was held.", "csrf_token": token},
        )

    assert refused.status == 503
    assert "Typed while the lock was held." in refused.body
    assert waited < 5, waited
    assert health[0] == 503 and health[1]["Retry-After"] == "5"
    assert reading[0] == 200
    assert after.status == 303  # no restart needed


class SwitchableProxy:
    """127.0.0.1:<port> forwarded to PostgreSQL until switched off; off, it
    cuts every open connection and refuses new ones, as a stopped server."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.on = True
        self.open: list[socket.socket] = []
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self) -> None:
        while True:
            client, _ = self.listener.accept()
            if not self.on:
                client.close()
                continue
            upstream = socket.create_connection(self.target)
            self.open += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=pump, args=(source, sink), daemon=True).start()

    def switch_off(self) -> None:
        self.on = False
        for connection in self.open:
            with_shutdown(connection)
        self.open.clear()

    def switch_on(self) -> None:
        self.on = True


def pump(source: socket.socket, sink: socket.socket) -> None:
    try:
        while data := source.recv(65536):
            sink.sendall(data)
    except OSError:
        pass
    with_shutdown(sink)


def with_shutdown(connection: socket.socket) -> None:
    try:
        connection.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    connection.close()


@pytest.mark.skipif(not TEST_DATABASE_URL, reason="needs BLOG_TEST_DATABASE_URL")
def test_postgresql_stopped_then_back(tmp_path: Path) -> None:
    with fresh_postgres_schema("blog_faults") as direct_url:
        parsed = make_url(direct_url)
        proxy = SwitchableProxy((parsed.host or "127.0.0.1", parsed.port or 5432))
        url = parsed.set(port=proxy.port).render_as_string(hide_password=False)
        environment = server_environment(url, tmp_path)
        upgrade(environment)
        add_users_and_article(url)
        log_path = tmp_path / "gunicorn.log"
        with gunicorn(environment, log_path, workers=3, threads=1) as base_url:
            for path in ("/", "/feed.xml", "/articles/busy"):
                assert get(base_url, path)[0] == 200
            proxy.switch_off()
            down = {
                path: get(base_url, path)
                for path in (
                    "/",
                    "/feed.xml",
                    "/articles/busy",
                    "/atom.xml",
                    "/healthz",
                )
            }
            proxy.switch_on()
            back = {path: get(base_url, path)[0] for path in ("/healthz", "/atom.xml")}

    for path in ("/", "/feed.xml", "/articles/busy"):
        status, headers, _ = down[path]
        assert status == 200, (path, log_path.read_text()[-2000:])
        assert headers["X-Cache"] == "stale" and "Age" in headers
    assert down["/atom.xml"][0] == 503  # never cached: nothing to serve
    assert down["/healthz"][0] == 503
    assert all(seconds < 5 for _, _, seconds in down.values())
    assert back == {"/healthz": 200, "/atom.xml": 200}
