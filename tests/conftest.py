"""Fixtures: an app on its own fresh database per test, clients, a query counter.

Tests run on a temporary SQLite file by default. When BLOG_TEST_DATABASE_URL
names a PostgreSQL database, the suite makes its own schema there, builds the
tables once, empties them after every test and drops the schema at the end.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import Connection, create_engine, event, text
from sqlalchemy.engine import make_url

from blog import create_app
from blog.config import with_psycopg_driver
from blog.extensions import db
from blog.models import Base, Role, User
from blog.models.site_state import SiteState, insert_state_row
from tests.factories import PASSWORD, make_user

TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")
TEST_DATABASE_URL = os.environ.get("BLOG_TEST_DATABASE_URL", "")
SHARED = Path(__file__).resolve().parent.parent.parent / "shared"


def postgres_schema_url(url: str, schema: str) -> str:
    """The URL with every connection's search_path set to this schema."""
    parsed = make_url(with_psycopg_driver(url))
    parsed = parsed.update_query_dict({"options": f"-csearch_path={schema}"})
    return parsed.render_as_string(hide_password=False)


@contextmanager
def fresh_postgres_schema(prefix: str) -> Iterator[str]:
    """A new, empty schema in the test database, dropped afterwards."""
    schema = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = create_engine(with_psycopg_driver(TEST_DATABASE_URL))
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield postgres_schema_url(TEST_DATABASE_URL, schema)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@cache
def migration_head() -> str:
    from alembic.script import ScriptDirectory

    from blog.cli import MIGRATIONS_DIRECTORY

    return str(ScriptDirectory(MIGRATIONS_DIRECTORY).get_current_head())


def stamp_migration_head(connection: Connection) -> None:
    """Tables built from the models are the newest schema: say so as
    `flask db upgrade` would, so the commands' schema check lets them be."""
    connection.execute(
        text(
            "CREATE TABLE IF NOT EXISTS alembic_version "
            "(version_num VARCHAR(32) PRIMARY KEY)"
        )
    )
    connection.execute(text("DELETE FROM alembic_version"))
    connection.execute(
        text("INSERT INTO alembic_version VALUES (:head)"), {"head": migration_head()}
    )


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str | None]:
    """A schema with the tables built once, or None when testing on SQLite."""
    if not TEST_DATABASE_URL:
        yield None
        return
    with fresh_postgres_schema("blog_test") as url:
        engine = create_engine(url)
        Base.metadata.create_all(engine)
        with engine.begin() as connection:
            stamp_migration_head(connection)
        engine.dispose()
        yield url


@pytest.fixture(autouse=True)
def isolated_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No BLOG_* setting of the machine leaks into a test, and the instance
    folder is the test's own."""
    for key in list(os.environ):
        if key.startswith("BLOG_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("BLOG_INSTANCE_PATH", str(tmp_path / "instance"))


def test_settings(database_url: str) -> dict[str, object]:
    return {
        "TESTING": True,
        "SECRET_KEY": "test secret key",
        "DATABASE_URL": database_url,
        "WTF_CSRF_ENABLED": False,
        "SITE_NAME": "Test Blog",
        "SITE_URL": "http://blog.test",
        # Jobs run in the test's process right after their commit; tests of
        # the queue itself set "huey" and run a consumer.
        "QUEUE_MODE": "immediate",
    }


@pytest.fixture
def app_factory(
    tmp_path: Path, postgres_url: str | None
) -> Iterator[Callable[..., Flask]]:
    """Builds apps on the test's database with extra settings; the tables are
    emptied (PostgreSQL) or the file discarded (SQLite) afterwards."""
    database_url = postgres_url or f"sqlite:///{tmp_path / 'test.sqlite'}"
    apps: list[Flask] = []

    def build(**settings: object) -> Flask:
        app = create_app({**test_settings(database_url), **settings})
        app.extensions["blog.outbox"] = []  # mail is captured, never sent
        if postgres_url is None:
            with app.app_context():
                db.create_all()
                with db.engine.begin() as connection:
                    stamp_migration_head(connection)
        apps.append(app)
        return app

    yield build
    for app in apps:
        with app.app_context():
            db.session.remove()
            if postgres_url is not None and app is apps[0]:
                empty_all_tables()
            db.engine.dispose()


def empty_all_tables() -> None:
    """Back to a fresh database: no rows but the one site_state row."""
    names = ", ".join(f'"{table.name}"' for table in Base.metadata.sorted_tables)
    with db.engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        insert_state_row(SiteState.__table__, connection)


@pytest.fixture
def app(app_factory: Callable[..., Flask]) -> Flask:
    return app_factory()


@pytest.fixture
def outbox(app: Flask) -> list:
    """The mail the app has sent during the test."""
    return app.extensions["blog.outbox"]


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


def log_in(client: FlaskClient, user: User) -> FlaskClient:
    response = client.post(
        "/auth/login", data={"email": user.email, "password": PASSWORD}
    )
    assert response.status_code == 303, response.text
    return client


@pytest.fixture
def client_as(app: Flask) -> Callable[[Role], tuple[FlaskClient, User]]:
    """A test client logged in as a new user holding the given role."""

    def logged_in(role: Role) -> tuple[FlaskClient, User]:
        with app.app_context():
            user = make_user(role=role)
        return log_in(app.test_client(), user), user

    return logged_in


@pytest.fixture
def admin(client_as: Callable[[Role], tuple[FlaskClient, User]]) -> FlaskClient:
    """A test client logged in as a new admin."""
    client, _user = client_as(Role.ADMIN)
    return client


@pytest.fixture
def count_queries(app: Flask) -> Callable[[], contextmanager]:
    """`with count_queries() as queries:` collects the SQL sent meanwhile."""

    @contextmanager
    def counting() -> Iterator[list[str]]:
        statements: list[str] = []

        def record(_conn, _cursor, statement, *_args) -> None:  # noqa: ANN001
            # Transaction control is not a question asked of the data.
            if not statement.lstrip().upper().startswith(TRANSACTION_CONTROL):
                statements.append(statement)

        with app.app_context():
            engine = db.engine
        event.listen(engine, "before_cursor_execute", record)
        try:
            yield statements
        finally:
            event.remove(engine, "before_cursor_execute", record)

    return counting


@pytest.fixture
def version_reads(app: Flask) -> int:
    """What a page or feed answered from the page cache asks through
    SQLAlchemy: on SQLite nothing (the content version is watched with PRAGMA
    data_version on a connection of its own), elsewhere one primary-key read."""
    with app.app_context():
        return 0 if db.engine.dialect.name == "sqlite" else 1


@pytest.fixture
def shared_fixtures() -> Path:
    """../shared/fixtures, which a fresh clone may not have beside it."""
    folder = SHARED / "fixtures"
    if not folder.is_dir():
        pytest.skip("../shared/fixtures is not beside this checkout")
    return folder


class Clock:
    """The time every part of the blog sees, set by the test."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """Freeze the blog's clock at the real time now; `clock.advance(...)` moves it."""
    import blog.models.base as base

    frozen = Clock(datetime.now(UTC).replace(microsecond=0))
    monkeypatch.setattr(base, "clock", lambda: frozen.now)
    return frozen


@pytest.fixture
def smtp_server():
    """A real SMTP server on 127.0.0.1 (tests/smtp_server.py)."""
    from tests.smtp_server import SMTPServer

    server = SMTPServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def mail_app(app_factory, smtp_server):
    """An app that sends its mail to the test SMTP server, as fast as it can."""
    return app_factory(**smtp_server.settings(), MAIL_RATE=1000)
