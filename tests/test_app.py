"""Settings, the secret key, the health probe and error pages."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from flask import Flask

from blog import create_app
from blog.config import ConfigError, read_or_create_secret_key
from blog.extensions import db


def test_environment_overrides_instance_config_which_overrides_defaults(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    instance = tmp_path / "instance"
    instance.mkdir()
    (instance / "config.py").write_text(
        'SITE_NAME = "From instance"\nTIMEZONE = "Europe/Paris"\n'
    )
    monkeypatch.setenv("BLOG_SITE_NAME", "From environment")
    monkeypatch.setenv("BLOG_DATABASE_URL", f"sqlite:///{tmp_path / 'x.sqlite'}")

    app = create_app()

    assert app.config["SITE_NAME"] == "From environment"
    assert app.config["TIMEZONE"] == "Europe/Paris"
    assert app.config["ARTICLES_PER_PAGE"] == 10


def test_environment_values_are_normalised(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BLOG_DATABASE_URL", "postgresql://u@db.example/blog")
    monkeypatch.setenv("BLOG_REGISTRATION_OPEN", "False")
    monkeypatch.setenv("BLOG_HTTPS", "1")
    monkeypatch.setenv("BLOG_SECRET_KEY", "123456")
    monkeypatch.setenv("BLOG_ARTICLES_PER_PAGE", "5")

    app = create_app()

    assert app.config["REGISTRATION_OPEN"] is False
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SECRET_KEY"] == "123456"
    assert app.config["ARTICLES_PER_PAGE"] == 5
    assert app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql+psycopg://")


def test_a_server_database_pool_holds_a_connection_per_request_thread(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("BLOG_DATABASE_URL", "postgresql://u@db.example/blog")
    monkeypatch.setenv("BLOG_THREADS", "4")

    options = create_app().config["SQLALCHEMY_ENGINE_OPTIONS"]

    assert options["pool_size"] == 4
    assert options["max_overflow"] == 2  # the background threads'


def test_sqlite_is_tuned_for_a_web_server_as_configured(tmp_path: Path) -> None:
    app = create_app(
        {
            "DATABASE_URL": f"sqlite:///{tmp_path / 'tuned.sqlite'}",
            "SQLITE_CACHE_MIB": 3,
            "SQLITE_MMAP_MIB": 16,
        }
    )
    with app.app_context(), db.engine.connect() as connection:

        def pragma(name: str) -> object:
            return connection.exec_driver_sql(f"PRAGMA {name}").scalar()

        assert pragma("journal_mode") == "wal"
        assert pragma("synchronous") == 1  # NORMAL
        assert pragma("foreign_keys") == 1
        assert pragma("cache_size") == -3 * 1024
        assert pragma("mmap_size") == 16 * 1024 * 1024


def test_an_unknown_moderation_policy_stops_the_start(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("BLOG_COMMENT_MODERATION", "sometimes")
    with pytest.raises(ConfigError, match="COMMENT_MODERATION"):
        create_app()


def test_default_database_is_sqlite_in_the_instance_folder(tmp_path: Path) -> None:
    app = create_app()
    expected = f"sqlite:///{tmp_path / 'instance' / 'blog.sqlite'}"
    assert app.config["SQLALCHEMY_DATABASE_URI"] == expected


def test_a_fresh_instance_gets_a_private_secret_key_reused_on_next_start(
    tmp_path: Path,
) -> None:
    first = create_app()
    key_file = tmp_path / "instance" / "secret_key"

    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert len(first.config["SECRET_KEY"]) >= 32
    assert create_app().config["SECRET_KEY"] == first.config["SECRET_KEY"]


def test_two_instances_get_different_secret_keys(tmp_path: Path) -> None:
    assert read_or_create_secret_key(tmp_path / "a") != read_or_create_secret_key(
        tmp_path / "b"
    )


def test_health_check_answers_json_when_the_database_answers(client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok"}


def test_health_check_answers_503_when_the_database_is_gone(tmp_path: Path) -> None:
    broken = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "x",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'missing' / 'nowhere.sqlite'}",
        }
    )
    response = broken.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["status"] == "error"


def test_a_missing_page_gets_the_sites_404_page(client) -> None:
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "Page not found" in response.text
    assert "Test Blog" in response.text


def test_an_unexpected_error_gets_the_500_page_without_a_traceback(
    app: Flask,
) -> None:
    @app.get("/explode")
    def explode() -> str:
        raise RuntimeError("secret internals")

    response = app.test_client().get("/explode")

    assert response.status_code == 500
    assert "Something went wrong" in response.text
    assert "Traceback" not in response.text
    assert "secret internals" not in response.text


@pytest.mark.parametrize(
    ("method", "path", "status", "heading"),
    [
        ("post", "/", 405, "Method not allowed"),
        ("get", "/articles/nothing-here", 404, "Page not found"),
    ],
)
def test_http_errors_render_their_own_pages(
    client, method: str, path: str, status: int, heading: str
) -> None:
    response = getattr(client, method)(path)
    assert response.status_code == status
    assert heading in response.text


def test_a_body_over_the_cap_gets_the_413_page(app_factory) -> None:
    app = app_factory(MAX_CONTENT_LENGTH=1000)
    response = app.test_client().post("/auth/login", data={"email": "x" * 5000})
    assert response.status_code == 413
    assert "Too large" in response.text


def test_json_clients_get_json_errors(client) -> None:
    response = client.get("/missing", headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert response.json["status"] == 404


def test_a_json_client_gets_a_json_500_without_internals(app: Flask) -> None:
    @app.get("/explode")
    def explode() -> str:
        raise RuntimeError("secret internals")

    response = app.test_client().get("/explode", headers={"Accept": "application/json"})

    assert response.status_code == 500
    assert response.json == {
        "error": "Internal Server Error",
        "message": "Internal Server Error",
        "status": 500,
        "reference": response.headers["X-Request-ID"],
    }


def test_a_web_worker_on_sqlite_loads_nothing_it_does_not_use(tmp_path: Path) -> None:
    """Each of these costs every gunicorn worker megabytes: migrations and
    the command line's libraries, image handling (uploads only), and the
    PostgreSQL dialect on SQLite."""
    unused = [
        "alembic",
        "mako",
        "PIL",
        "frontmatter",
        "pygments",
        "sqlalchemy.dialects.postgresql",
    ]
    script = (
        "import sys\n"
        "from blog import create_app\n"
        f"create_app({{'DATABASE_URL': 'sqlite:///{tmp_path / 'w.sqlite'}'}})\n"
        f"print([name for name in {unused!r} if name in sys.modules])\n"
    )
    result = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "BLOG_INSTANCE_PATH": str(tmp_path / "instance")},
    )
    assert result.stdout.strip() == "[]", result.stderr
