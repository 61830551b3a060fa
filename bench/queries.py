"""SQL queries per request, counted in-process.

For each case a fresh app (create_app on the bench's database, same settings
as the served blog) answers the request twice through Flask's test client: the
first answer is "cold" (this app's caches empty), the second "warm". A
SQLAlchemy before_cursor_execute listener counts every statement but
transaction control.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event

from bench.common import CSRF_TOKEN, PASSWORD, BenchError
from blog import create_app
from blog.extensions import db

TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")


@dataclass
class QueryCount:
    """Statements the database saw for one request, and its status."""

    cold: int
    warm: int
    cold_status: int
    warm_status: int

    def as_dict(self) -> dict[str, int]:
        return {
            "cold": self.cold,
            "warm": self.warm,
            "cold_status": self.cold_status,
            "warm_status": self.warm_status,
        }


@contextmanager
def counting_app(settings: Mapping[str, Any]) -> Iterator[tuple[Flask, list[str]]]:
    """A new app on the bench database, and the list every statement it runs
    is appended to. The engine is disposed of afterwards."""
    app = create_app(dict(settings))
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if not statement.lstrip().upper().startswith(TRANSACTION_CONTROL):
            statements.append(statement)

    with app.app_context():
        engine = db.engine
        event.listen(engine, "before_cursor_execute", count)
        try:
            yield app, statements
        finally:
            event.remove(engine, "before_cursor_execute", count)
            db.session.remove()
            engine.dispose()


def log_in(client: FlaskClient, email: str) -> None:
    """Log the test client in through the login form, CSRF token and all."""
    page = client.get("/auth/login", environ_base={"REMOTE_ADDR": "10.99.0.1"})
    token = CSRF_TOKEN.search(page.get_data(as_text=True))
    if token is None:
        raise BenchError("no CSRF token on /auth/login")
    answer = client.post(
        "/auth/login",
        data={"csrf_token": token.group(1), "email": email, "password": PASSWORD},
        environ_base={"REMOTE_ADDR": "10.99.0.1"},
    )
    if answer.status_code != 303:
        raise BenchError(f"in-process login as {email}: {answer.status_code}")


@dataclass
class Probe:
    """One request to count: its method and path, and how to prepare its
    headers or form first (preparation is not counted)."""

    path: str
    method: str = "GET"
    headers: Mapping[str, str] | None = None
    prepare_headers: Callable[[FlaskClient], dict[str, str]] | None = None
    prepare_form: Callable[[FlaskClient, int], dict[str, str]] | None = None

    def send(self, client: FlaskClient, attempt: int, reset: Callable[[], None]) -> int:
        """Prepare, call reset() so only the request itself is counted,
        send it, and return its status."""
        headers = dict(self.headers or {})
        if self.prepare_headers:
            headers.update(self.prepare_headers(client))
        form = self.prepare_form(client, attempt) if self.prepare_form else None
        reset()
        answer = client.open(self.path, method=self.method, headers=headers, data=form)
        return answer.status_code


def etag_of(path: str) -> Callable[[FlaskClient], dict[str, str]]:
    """If-None-Match set to the ETag the path answers right now."""

    def prepare(client: FlaskClient) -> dict[str, str]:
        return {"If-None-Match": client.get(path).headers.get("ETag", "")}

    return prepare


def comment_form(slug: str) -> Callable[[FlaskClient, int], dict[str, str]]:
    """A comment form for the article: its CSRF token and a new text."""

    def prepare(client: FlaskClient, attempt: int) -> dict[str, str]:
        page = client.get(f"/articles/{slug}").get_data(as_text=True)
        token = CSRF_TOKEN.search(page)
        if token is None:
            raise BenchError(f"no comment form on /articles/{slug}")
        return {"csrf_token": token.group(1), "body": f"Counting queries, {attempt}"}

    return prepare


def count_queries(
    settings: Mapping[str, Any], probe: Probe, *, login_as: str | None = None
) -> QueryCount:
    """Statements for one request, cold then warm, in a new app. A
    logged-in case logs in first; neither that nor a probe's preparation is
    counted."""
    with counting_app(settings) as (app, statements):
        client = app.test_client()
        if login_as:
            log_in(client, login_as)
        results = []
        for attempt in (1, 2):
            status = probe.send(client, attempt, statements.clear)
            results.append((len(statements), status))
    (cold, cold_status), (warm, warm_status) = results
    return QueryCount(cold, warm, cold_status, warm_status)
