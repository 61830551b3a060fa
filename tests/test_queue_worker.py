"""The job queue with a real consumer: `flask --app blog worker` as its own
process, killed and started again, sending to a real SMTP server."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from flask import Flask

from blog.extensions import db
from blog.jobs.queue import configure_queue
from blog.models import Job, JobState, Mailing, User
from tests.comment_helpers import logged_in, post
from tests.newsletter_helpers import an_author, make_subscribers, publish
from tests.test_comments_notifications import arrange
from tests.test_feeds_pages import Hub, hub_url  # noqa: F401 - a fixture

pytestmark = pytest.mark.slow

FLASK = str(Path(sys.executable).with_name("flask"))


def worker_environment(app: Flask) -> dict[str, str]:
    """The settings of the test's app, as a worker process reads them."""
    config = app.config
    names = (
        "DATABASE_URL",
        "SECRET_KEY",
        "SITE_URL",
        "MAIL_SERVER",
        "MAIL_PORT",
        "MAIL_RATE",
        "WEBSUB_HUB",
    )
    environment = {**os.environ, "BLOG_QUEUE_MODE": "huey"}
    for name in names:
        environment[f"BLOG_{name}"] = str(config[name])
    return environment


@contextmanager
def worker(app: Flask) -> Iterator[subprocess.Popen[bytes]]:
    process = subprocess.Popen(  # noqa: S603 - our own command
        [FLASK, "--app", "blog", "worker"], env=worker_environment(app)
    )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def wait_for(condition: Callable[[], bool], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        time.sleep(0.05)


@pytest.fixture
def queued_app(app_factory, smtp_server, hub_url):  # noqa: F811
    """Requests only queue their jobs (huey, on the instance's SQLite file);
    nothing consumes them until a test starts a worker."""
    app = app_factory(
        **smtp_server.settings(),
        MAIL_RATE=400,
        WEBSUB_HUB=hub_url,
        QUEUE_MODE="huey",
        QUEUE_CONSUMER="external",
    )
    configure_queue(app)
    return app


def test_mail_and_pings_queued_by_a_dead_web_worker_are_sent_by_the_next_worker(
    queued_app, smtp_server
) -> None:
    app = queued_app
    app.config["COMMENT_MODERATION"] = "none"
    arrange(app, author_opts_in=True)
    response = post(logged_in(app, "other@example.com"), "talk", "Acknowledged.")
    assert response.status_code == 303
    with app.app_context():
        author_id = id_of_user("author@example.com")
    publish(app, "Pinged", author_id=author_id, mail=False)
    # The web worker dies here, wake-ups and all: its queue file is gone.
    Path(app.instance_path, "queue.sqlite").unlink()
    assert smtp_server.messages == [] and Hub.received == []

    with worker(app):
        wait_for(lambda: len(smtp_server.messages) == 1 and len(Hub.received) >= 1)

    [mail] = smtp_server.messages
    assert mail["To"] == "author@example.com"
    assert "Acknowledged." in mail.get_body(("plain",)).get_content()
    with app.app_context():
        assert set(db.session.scalars(db.select(Job.state))) == {JobState.DONE}


def id_of_user(email: str) -> int:
    return db.session.scalar(db.select(User.id).filter_by(email=email))


def test_a_worker_killed_half_way_through_a_mailing_leaves_nobody_out_or_twice(
    queued_app, smtp_server
) -> None:
    app = queued_app
    with app.app_context():
        author_id = an_author().id
        followers = make_subscribers(2000)
    publish(app, "To two thousand", author_id=author_id)

    with worker(app) as first:
        wait_for(lambda: len(smtp_server.mailbox.received) >= 1000)
        first.send_signal(signal.SIGKILL)
        first.wait()
    at_kill = len(smtp_server.mailbox.received)
    assert 1000 <= at_kill < 2000

    with worker(app):
        wait_for(lambda: len(smtp_server.mailbox.received) >= 2000, timeout=120)
        time.sleep(1)  # anything more would arrive now

    assert smtp_server.count_by_recipient() == {address: 1 for address in followers}
    with app.app_context():
        mailing = db.session.scalar(db.select(Mailing))
        assert mailing.sent_count == 2000


def test_a_scheduled_article_is_mailed_at_its_time_with_no_request_and_no_cron(
    queued_app, smtp_server
) -> None:
    app = queued_app
    with app.app_context():
        author_id = an_author().id
        [follower] = make_subscribers(1)
    at = datetime.now(UTC) + timedelta(seconds=4)
    publish(app, "On the hour", author_id=author_id, at=at)

    with worker(app):
        time.sleep(2)
        assert smtp_server.messages == []  # not before its time
        wait_for(lambda: len(smtp_server.messages) == 1, timeout=30)
        arrived = datetime.now(UTC)

    assert arrived >= at
    assert smtp_server.count_by_recipient() == {follower: 1}
