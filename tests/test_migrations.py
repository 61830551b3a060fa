"""The migration history builds the schema the models describe, on both databases."""

from __future__ import annotations

import os

import pytest
from flask_migrate import check, upgrade
from sqlalchemy import inspect, text

from blog import create_app
from blog.extensions import db
from tests.conftest import fresh_postgres_schema


def upgrade_and_check(database_url: str, tmp_path) -> set[str]:
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "DATABASE_URL": database_url})
    with app.app_context():
        upgrade()
        check()  # raises when the models and the migrations disagree
        tables = set(inspect(db.engine).get_table_names())
        db.engine.dispose()
    return tables


def test_migrations_build_the_model_schema_on_sqlite(tmp_path) -> None:
    tables = upgrade_and_check(f"sqlite:///{tmp_path / 'migrated.sqlite'}", tmp_path)
    assert {"users", "articles", "comments", "revisions", "tags"} <= tables


@pytest.mark.skipif(
    not os.environ.get("BLOG_TEST_DATABASE_URL"),
    reason="BLOG_TEST_DATABASE_URL names no PostgreSQL database",
)
def test_migrations_build_the_model_schema_on_postgresql(tmp_path) -> None:
    with fresh_postgres_schema("blog_migrations") as url:
        tables = upgrade_and_check(url, tmp_path)
    assert {"users", "articles", "comments", "revisions", "tags"} <= tables


def test_search_stays_in_step_after_migrations_that_rebuild_articles(tmp_path) -> None:
    """SQLite's batch mode rebuilds a table without its triggers (0007 adds
    the cover columns that way): the search index must still follow edits."""
    url = f"sqlite:///{tmp_path / 'migrated.sqlite'}"
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "DATABASE_URL": url})
    with app.app_context():
        upgrade()
        triggers = db.session.execute(
            text("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        ).scalars()
        assert set(triggers) == {
            "articles_fts_insert",
            "articles_fts_update",
            "articles_fts_delete",
        }
        db.session.remove()
        db.engine.dispose()
