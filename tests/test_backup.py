"""`flask backup` and `flask restore`, run as an operator would: a round
trip gives back exactly what was backed up, a backup taken while readers
comment holds every comment they were told was saved, and an older backup
is brought up to date. Refusals and faults: tests/test_backup_refusals.py;
the same under gunicorn: tests/test_backup_servers.py."""

from __future__ import annotations

import sqlite3
import threading
import time
import zipfile
from contextlib import closing
from pathlib import Path

import pytest

from blog import create_app
from blog.cache.stale import LastCopies
from blog.extensions import db
from blog.models import Role
from tests.backup_helpers import (
    add_upload,
    content_version,
    database_file,
    database_in,
    dump,
    manifest_of,
    needs_sqlite,
    uploads_of,
    without_version,
)
from tests.comment_helpers import logged_in, post
from tests.conftest import TEST_DATABASE_URL, migration_head
from tests.conftest import test_settings as settings_for
from tests.factories import make_article, make_comment, make_user


def some_content(app) -> None:
    with app.app_context():
        author = make_user(role=Role.AUTHOR, display_name="Ada Author")
        article = make_article(author=author, slug="kept", title="Kept Article")
        make_comment(article, make_user(), body_markdown="A kept comment.")
        add_upload(app, author)


@needs_sqlite
def test_a_restore_gives_back_exactly_what_was_backed_up(app, runner, tmp_path):
    some_content(app)
    backup = tmp_path / "blog.zip"
    made = runner.invoke(args=["backup", str(backup)])
    database = database_file(app)
    backed_up, files = dump(database), uploads_of(app)
    version = content_version(database)
    client = app.test_client()
    with app.app_context():  # the blog goes on after the backup
        make_article(slug="later", title="Later Article")
        for name in files:
            (Path(app.instance_path) / "uploads" / name).unlink()
        add_upload(app, make_user(role=Role.AUTHOR))
        make_comment(make_article(), make_user())
    assert "Later Article" in client.get("/").text  # cached under this version
    changed = content_version(database)
    last_copies = LastCopies(app.instance_path)  # shown while the database is down
    last_copies.keep("/articles/later?", "a page of the replaced content", 1.0)

    restored = runner.invoke(args=["restore", str(backup), "--yes"])

    assert made.exit_code == 0, made.output
    assert "articles  1" in made.output and "files     2 in uploads/" in made.output
    assert restored.exit_code == 0, restored.output
    assert without_version(dump(database)) == without_version(backed_up)
    assert uploads_of(app) == files
    assert content_version(database) > max(version, changed)
    assert "Later Article" not in client.get("/").text
    assert client.get("/articles/later").status_code == 404
    assert "A kept comment." in client.get("/articles/kept").text
    assert not list(Path(app.instance_path).glob(".restore-*"))
    assert last_copies.last("/articles/later?") is None


@needs_sqlite
def test_the_backup_holds_a_manifest_that_says_what_it_is(app, runner, tmp_path):
    some_content(app)
    backup = tmp_path / "blog.zip"

    result = runner.invoke(args=["backup", str(backup)])

    manifest = manifest_of(backup)
    assert result.exit_code == 0, result.output
    assert manifest["format"] == "flask-blog-backup"
    assert manifest["format_version"] == 1
    assert manifest["schema_revision"] == migration_head()
    assert manifest["counts"] == {
        "articles": 1,
        "comments": 1,
        "users": 2,
        "uploads": 1,
    }
    assert len(manifest["uploads"]) == 2
    assert backup.stat().st_mode & 0o077 == 0  # password hashes inside
    assert [path.name for path in tmp_path.iterdir() if "blog.zip" in path.name] == [
        "blog.zip"
    ]
    with closing(sqlite3.connect(database_in(backup, tmp_path))) as copy:
        assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)


@needs_sqlite
def test_a_failed_backup_leaves_no_file_behind(app, runner, tmp_path, monkeypatch):
    import blog.moving.backup_file as backup_file

    def full_disk(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(backup_file, "add_file", full_disk)
    old = tmp_path / "blog.zip"
    old.write_bytes(b"yesterday's backup")

    result = runner.invoke(args=["backup", str(old)])

    assert result.exit_code == 1
    assert "The backup failed ([Errno 28] No space left on device)" in result.output
    assert old.read_bytes() == b"yesterday's backup"
    assert [path.name for path in tmp_path.iterdir() if "blog.zip" in path.name] == [
        "blog.zip"
    ]


def commenting(app, emails: list[str], stop: threading.Event, acked: list) -> list:
    """Each user posts until told to stop; acked gets (time, text) of every
    comment the blog answered 303 to, timed when the answer came."""

    def post_as(email: str) -> None:
        client = logged_in(app, email)
        for number in range(200):
            if stop.is_set():
                return
            text = f"Comment {number} by {email}"
            if post(client, "busy", text).status_code == 303:
                acked.append((time.monotonic(), text))

    threads = [threading.Thread(target=post_as, args=(email,)) for email in emails]
    for thread in threads:
        thread.start()
    return threads


@needs_sqlite
def test_a_backup_taken_while_readers_comment_holds_every_saved_one(
    app_factory, tmp_path, monkeypatch
):
    app = app_factory(COMMENT_MODERATION="none", COMMENT_RATE_LIMIT="9999/minute")
    with app.app_context():
        emails = [make_user().email for _ in range(4)]
        make_article(slug="busy")
    stop, acked = threading.Event(), []
    threads = commenting(app, emails, stop, acked)
    deadline = time.monotonic() + 20
    while len(acked) < 20 and time.monotonic() < deadline:
        time.sleep(0.01)
    began = time.monotonic()
    result = app.test_cli_runner().invoke(args=["backup", str(tmp_path / "b.zip")])
    stop.set()
    for thread in threads:
        thread.join()
    saved_before = {text for moment, text in acked if moment < began}

    restored, page = open_as_a_new_blog(tmp_path, monkeypatch)

    assert result.exit_code == 0, result.output
    assert restored.exit_code == 0, restored.output
    assert page.status_code == 200
    assert saved_before and all(text in page.text for text in saved_before)


def open_as_a_new_blog(tmp_path, monkeypatch):
    """Restore the backup b.zip where there is no database yet (a new
    machine), then read the busy article there."""
    monkeypatch.setenv("BLOG_INSTANCE_PATH", str(tmp_path / "new-machine"))
    fresh = create_app(settings_for(f"sqlite:///{tmp_path / 'new.sqlite'}"))
    restored = fresh.test_cli_runner().invoke(
        args=["restore", str(tmp_path / "b.zip"), "--yes"]
    )
    page = fresh.test_client().get("/articles/busy")
    with fresh.app_context():
        db.engine.dispose()
    return restored, page


@needs_sqlite
def test_a_backup_of_an_older_schema_is_upgraded_as_it_is_restored(
    app, runner, tmp_path
):
    from alembic.script import ScriptDirectory
    from flask_migrate import upgrade

    from blog.cli import MIGRATIONS_DIRECTORY

    older = ScriptDirectory(MIGRATIONS_DIRECTORY).get_revision(migration_head())
    old_blog = create_app(settings_for(f"sqlite:///{tmp_path / 'old.sqlite'}"))
    with old_blog.app_context():
        upgrade(directory=MIGRATIONS_DIRECTORY, revision=older.down_revision)
        with db.engine.begin() as connection:
            connection.exec_driver_sql(
                "INSERT INTO categories (name, slug) VALUES ('Old Times', 'old')"
            )
        db.engine.dispose()
    backup = tmp_path / "old.zip"
    made = old_blog.test_cli_runner().invoke(args=["backup", str(backup)])

    restored = runner.invoke(args=["restore", str(backup), "--yes"])

    assert made.exit_code == 0, made.output
    assert restored.exit_code == 0, restored.output
    assert "is older than this code's" in restored.output
    with closing(sqlite3.connect(database_file(app))) as connection:
        assert (
            connection.execute("SELECT version_num FROM alembic_version").fetchone()[0]
            == migration_head()
        )
        assert connection.execute("SELECT slug FROM categories").fetchall() == [
            ("old",)
        ]
    assert app.test_client().get("/").status_code == 200


def test_both_commands_refuse_postgresql_and_name_its_tools(tmp_path) -> None:
    url = "postgresql://blog:s3cret@db.example.org:5432/blog"
    server_blog = create_app(settings_for(url))
    backup = zipfile.ZipFile(tmp_path / "b.zip", "w")
    backup.close()
    runner = server_blog.test_cli_runner()

    backed_up = runner.invoke(args=["backup", str(tmp_path / "new.zip")])
    restored = runner.invoke(args=["restore", str(tmp_path / "b.zip"), "--yes"])

    assert backed_up.exit_code == 1
    assert (
        "pg_dump -Fc -f blog.dump 'postgresql://blog:***@db.example.org:5432/blog'"
        in (backed_up.output)
    )
    assert restored.exit_code == 1
    assert "pg_restore --clean --if-exists -d 'postgresql://blog:***@db" in (
        restored.output
    )
    assert "s3cret" not in backed_up.output + restored.output
    assert not (tmp_path / "new.zip").exists()


@pytest.mark.skipif(not TEST_DATABASE_URL, reason="the suite runs on SQLite")
def test_on_the_postgresql_test_database_both_commands_refuse(runner, tmp_path):
    backed_up = runner.invoke(args=["backup", str(tmp_path / "b.zip")])
    restored = runner.invoke(args=["restore", str(tmp_path / "b.zip")])

    assert backed_up.exit_code == 1 and "pg_dump -Fc" in backed_up.output
    assert restored.exit_code == 1 and "pg_restore --clean" in restored.output
    assert not (tmp_path / "b.zip").exists()
