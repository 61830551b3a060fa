"""Acceptance for `flask backup` from outside: real gunicorn, twenty users
commenting through real HTTP with CSRF on, and the backup taken meanwhile
by the command an operator runs. It holds every comment acknowledged before
it began, no writer was refused while it ran, and it restores, on a machine
with no database yet, into a blog that shows those comments."""

from __future__ import annotations

import logging
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from blog import create_app
from blog.extensions import db
from tests.backup_helpers import needs_sqlite
from tests.conftest import test_settings as settings_for
from tests.test_comments_load import (
    BIN,
    REPOSITORY,
    add_users_and_article,
    gunicorn,
    logged_in,
    server_environment,
)

pytestmark = [pytest.mark.slow, needs_sqlite]

log = logging.getLogger(__name__)

USERS = 20
MOST_EACH = 40


def flask(environment: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own command line
        [str(BIN / "flask"), "--app", "blog", *args],
        cwd=REPOSITORY, env=environment, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def comment_until(
    base_url: str, number: int, stop: threading.Event, answers: list
) -> None:
    """Log in through the form, then post until told to stop; answers gets
    (when the answer came, status, text) for every comment."""
    browser = logged_in(base_url, number, network=3)
    token = browser.csrf_token("/articles/busy")
    for count in range(MOST_EACH):
        if stop.is_set():
            return
        text = f"Comment {count} of user {number} during the backup"
        answer = browser.request(
            "/articles/busy/comments", {"csrf_token": token, "body": text}
        )
        answers.append((time.monotonic(), answer.status, text))


def backup_while_commenting(
    base_url: str, environment: dict[str, str], backup: Path
) -> tuple[float, list, subprocess.CompletedProcess]:
    stop, answers = threading.Event(), []
    with ThreadPoolExecutor(max_workers=USERS) as pool:
        sessions = [
            pool.submit(comment_until, base_url, number, stop, answers)
            for number in range(USERS)
        ]
        deadline = time.monotonic() + 60
        while len(answers) < 3 * USERS and time.monotonic() < deadline:
            time.sleep(0.02)
        began = time.monotonic()
        made = flask(environment, "backup", str(backup))
        stop.set()
        for session in sessions:
            session.result(timeout=120)
    return began, answers, made


def article_page_of_restored_blog(
    tmp_path: Path, environment: dict[str, str], monkeypatch
) -> tuple[subprocess.CompletedProcess, str]:
    """`flask restore` on a machine with no database yet, then the article
    page as that blog serves it."""
    new_database = f"sqlite:///{tmp_path / 'new-machine.sqlite'}"
    new_instance = str(tmp_path / "new-machine")
    restored = flask(
        {**environment, "BLOG_DATABASE_URL": new_database,
         "BLOG_INSTANCE_PATH": new_instance},
        "restore", str(tmp_path / "during.zip"), "--yes",
    )  # fmt: skip
    monkeypatch.setenv("BLOG_INSTANCE_PATH", new_instance)
    blog = create_app(settings_for(new_database))
    page = blog.test_client().get("/articles/busy").text
    with blog.app_context():
        db.engine.dispose()
    return restored, page


def test_a_backup_taken_while_twenty_users_comment_holds_every_saved_comment(
    tmp_path: Path, monkeypatch
) -> None:
    database_url = f"sqlite:///{tmp_path / 'live.sqlite'}"
    environment = server_environment(database_url, tmp_path)
    upgraded = flask(environment, "db", "upgrade")
    assert upgraded.returncode == 0, upgraded.stderr
    add_users_and_article(database_url)  # load0@example.com …, article "busy"
    with gunicorn(environment, tmp_path / "gunicorn.log") as base_url:
        began, answers, made = backup_while_commenting(
            base_url, environment, tmp_path / "during.zip"
        )
    restored, page = article_page_of_restored_blog(tmp_path, environment, monkeypatch)

    saved_before = [text for moment, _, text in answers if moment < began]
    answered_during = [text for moment, _, text in answers if moment >= began]
    log.warning(
        "backup under load: %d comments saved before it began, %d answered "
        "while it ran or after; %s",
        len(saved_before),
        len(answered_during),
        made.stdout.splitlines()[0] if made.stdout else made.stderr,
    )
    assert made.returncode == 0, made.stderr
    assert {status for _, status, _ in answers} == {303}  # no writer refused
    assert saved_before and answered_during  # it ran while they wrote
    assert restored.returncode == 0, restored.stderr + restored.stdout
    assert all(text in page for text in saved_before)
