"""Review: the queue's at-most-once promise when a lease runs out while its
holder is still sending (a slow SMTP server, or BLOG_MAIL_RATE=1 as an SES
sandbox allows: a batch of 100 mails then takes 100 s, the lease 60 s)."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import timedelta

from blog.extensions import db
from blog.jobs.queue import configure_queue
from blog.jobs.runner import run_job, sweep
from blog.models import Job, utcnow
from blog.newsletter.compose import MailTemplate
from tests.newsletter_helpers import an_author, make_subscribers, publish


class PausingOutbox(list):
    """The tests' outbox; the first mail handed over pauses its sender until
    `resume` is set (the sender is still busy when its lease runs out)."""

    def __init__(self) -> None:
        super().__init__()
        self.paused = threading.Event()
        self.resume = threading.Event()

    def append(self, mail) -> None:  # noqa: ANN001
        super().append(mail)
        if not self.paused.is_set():
            self.paused.set()
            assert self.resume.wait(30)


def test_a_consumer_whose_lease_ran_out_mid_batch_does_not_mail_anyone_twice(
    app_factory,
) -> None:
    app = app_factory(QUEUE_MODE="huey", QUEUE_CONSUMER="external")
    configure_queue(app)
    outbox = app.extensions["blog.outbox"] = PausingOutbox()
    with app.app_context():
        author_id = an_author().id
        followers = make_subscribers(3)
    publish(app, "Slowly", author_id=author_id)
    with app.test_request_context():
        sweep()  # the minute's sweep: the mailing's recipients and its job
        job_id = db.session.scalar(db.select(Job.id).filter_by(kind="mailing"))
    lease = timedelta(seconds=app.config["JOB_LEASE_SECONDS"])

    def first_consumer() -> None:
        with app.test_request_context():
            run_job(job_id)

    first = threading.Thread(target=first_consumer)
    first.start()
    assert outbox.paused.wait(30)
    # The first consumer is still at work when its lease runs out: the
    # next minute's sweep hands the job to another consumer thread.
    with app.test_request_context():
        run_job(job_id, utcnow() + lease + timedelta(seconds=1))
    outbox.resume.set()
    first.join(30)

    assert Counter(mail.to for mail in outbox) == {address: 1 for address in followers}


def test_a_taken_over_sender_with_a_stale_batch_sends_nothing_over_smtp(
    app_factory, smtp_server, monkeypatch
) -> None:
    """Through a real SMTP server: the first consumer read its batch, then
    stalled past its lease; the second sent the whole mailing. The first
    must hand the server nothing it could deliver (no final ".")."""
    app = app_factory(
        **smtp_server.settings(),
        MAIL_RATE=1000,
        QUEUE_MODE="huey",
        QUEUE_CONSUMER="external",
    )
    configure_queue(app)
    with app.app_context():
        author_id = an_author().id
        followers = make_subscribers(3)
    publish(app, "Slowly", author_id=author_id)
    with app.test_request_context():
        sweep()
        job_id = db.session.scalar(db.select(Job.id).filter_by(kind="mailing"))
    lease = timedelta(seconds=app.config["JOB_LEASE_SECONDS"])

    stalled, resume = threading.Event(), threading.Event()
    for_subscriber = MailTemplate.for_subscriber

    def stalling_for_subscriber(template, subscriber, **options):  # noqa: ANN001, ANN202
        if threading.current_thread().name == "first" and not stalled.is_set():
            stalled.set()
            assert resume.wait(30)
        return for_subscriber(template, subscriber, **options)

    monkeypatch.setattr(MailTemplate, "for_subscriber", stalling_for_subscriber)

    def first_consumer() -> None:
        with app.test_request_context():
            run_job(job_id)

    first = threading.Thread(target=first_consumer, name="first")
    first.start()
    assert stalled.wait(30)
    with app.test_request_context():
        run_job(job_id, utcnow() + lease + timedelta(seconds=1))
    resume.set()
    first.join(30)

    assert smtp_server.count_by_recipient() == {address: 1 for address in followers}


def redis_is_up(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=0.5).ping())
    except redis.RedisError:
        return False


def test_the_embedded_consumer_runs_on_redis_without_an_instance_folder(
    app_factory,
) -> None:
    """PostgreSQL + Redis + BLOG_SECRET_KEY: nothing creates the instance
    folder (the SQLite queue file, the secret key file and the last-copies
    cache did), and the embedded consumer must still consume."""
    import time
    from pathlib import Path

    import pytest

    from blog.jobs import enqueue
    from blog.jobs.consumer import start_embedded_consumer
    from blog.models import JobState
    from tests.test_jobs import CALLS, job

    url = "redis://127.0.0.1:6379/0"
    if not redis_is_up(url):
        pytest.skip("no Redis on 127.0.0.1:6379")
    app = app_factory(QUEUE_MODE="huey", REDIS_URL=url)
    configure_queue(app)
    assert not Path(app.instance_path).exists()
    with app.test_request_context():
        enqueue("test-record", "on-redis", {"n": 8})

    consumer = start_embedded_consumer(app)
    try:
        deadline = time.monotonic() + 20
        while job(app, "on-redis").state is not JobState.DONE:
            assert consumer.thread.is_alive(), "the consumer thread died"
            assert time.monotonic() < deadline, "the consumer never ran the job"
            time.sleep(0.05)
    finally:
        consumer.stop()
    assert {"n": 8} in CALLS


def test_sent_mail_does_not_stay_in_the_jobs_table_for_ever(app, clock) -> None:
    """Every mail's job keeps its recipient, subject and whole body (a test
    mail's images too, in base64) after it is sent, and nothing ever
    removes done jobs: the table grows without end, and erasing a
    subscriber (GDPR) leaves their address and their confirmation links in
    it. Checked 30 days on, with the minute's sweep running."""
    from tests.newsletter_helpers import sweep as sweep_now
    from tests.test_subscriptions import subscribe

    subscribe(app.test_client(), "private@example.com")
    with app.app_context():
        assert db.session.scalar(db.select(Job.state).filter_by(kind="mail")) == "done"
    clock.advance(timedelta(days=30))
    sweep_now(app)

    with app.app_context():
        payloads = db.session.scalars(db.select(Job.payload)).all()
    assert not [payload for payload in payloads if "private@" in str(payload)]
