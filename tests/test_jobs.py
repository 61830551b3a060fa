"""The job queue's own rules: one row per key, retries that back off, a
permanent failure kept, a dead consumer's jobs taken back, and huey's
consumer running what the web process queued."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest

from blog.database import write_transaction
from blog.extensions import db
from blog.jobs import PermanentFailure, TemporaryFailure, enqueue, job_handler
from blog.jobs.consumer import start_embedded_consumer
from blog.jobs.queue import configure_queue
from blog.jobs.runner import run_due_jobs, run_job, take_back_from_dead_consumers
from blog.models import Job, JobState

CALLS: list[dict] = []


@job_handler("test-record")
def record_job(job) -> None:  # noqa: ANN001
    CALLS.append(job.payload)
    outcome = job.payload.get("outcome")
    if outcome == "temporary":
        raise TemporaryFailure("the server is busy")
    if outcome == "permanent":
        raise PermanentFailure("550 no such mailbox")
    if outcome == "bug":
        raise ValueError("a bug")


@pytest.fixture(autouse=True)
def no_calls_yet():
    CALLS.clear()


def job(app, key: str) -> Job:
    with app.app_context():
        return db.session.scalar(db.select(Job).filter_by(key=key))


def test_a_second_enqueue_of_the_same_key_adds_nothing(app) -> None:
    with app.test_request_context():
        assert enqueue("test-record", "once", {"n": 1}) is True
        assert enqueue("test-record", "once", {"n": 2}) is False

    assert CALLS == [{"n": 1}]
    assert job(app, "once").state is JobState.DONE


def test_a_job_rolls_back_with_the_transaction_that_queued_it(app) -> None:
    with app.test_request_context(), pytest.raises(RuntimeError):
        with write_transaction():
            enqueue("test-record", "doomed", {})
            raise RuntimeError("the change failed")

    assert job(app, "doomed") is None
    assert CALLS == []


def test_a_temporary_failure_is_retried_later_and_later_again(app, clock) -> None:
    with app.test_request_context():
        enqueue("test-record", "busy", {"outcome": "temporary"})
    first = job(app, "busy")
    assert (first.state, first.attempts) == (JobState.PENDING, 1)
    assert first.run_after - clock.now == timedelta(seconds=15)
    assert first.last_error == "the server is busy"

    clock.advance(timedelta(seconds=16))
    with app.test_request_context():
        run_due_jobs()
    second = job(app, "busy")
    assert second.attempts == 2
    assert second.run_after - clock.now == timedelta(seconds=30)


def test_a_job_gives_up_after_its_attempts(app_factory, clock) -> None:
    app = app_factory(JOB_MAX_ATTEMPTS=3)
    with app.test_request_context():
        enqueue("test-record", "hopeless", {"outcome": "bug"})
        for _ in range(5):
            clock.advance(timedelta(hours=1))
            run_due_jobs()

    assert len(CALLS) == 3
    failed = job(app, "hopeless")
    assert failed.state is JobState.FAILED
    assert failed.last_error == "ValueError: a bug"


def test_a_permanent_failure_is_kept_and_never_retried(app, clock) -> None:
    with app.test_request_context():
        enqueue("test-record", "refused", {"outcome": "permanent"})
        clock.advance(timedelta(days=1))
        run_due_jobs()

    assert len(CALLS) == 1
    refused = job(app, "refused")
    assert (refused.state, refused.last_error) == (
        JobState.FAILED,
        "550 no such mailbox",
    )


def test_a_dead_consumers_job_is_taken_back_and_run(app_factory, clock) -> None:
    app = app_factory(QUEUE_MODE="huey")  # queued, not run in place
    configure_queue(app)
    with app.test_request_context():
        enqueue("test-record", "orphan", {})
        with write_transaction():
            held = db.session.scalar(db.select(Job).filter_by(key="orphan"))
            held.state, held.claimed_by = JobState.RUNNING, "nowhere:1"
            held.lease_until = clock.now + timedelta(minutes=1)
        import socket

        with write_transaction():
            held.claimed_by = f"{socket.gethostname()}:999999999:0dead000"
        assert run_job(held.id) is None  # another consumer holds it
        assert take_back_from_dead_consumers() == 1
        assert run_job(held.id) is JobState.DONE
    assert CALLS == [{}]


def test_a_lease_that_ran_out_lets_another_consumer_run_the_job(app, clock) -> None:
    with app.test_request_context():
        with write_transaction():
            db.session.add(
                Job(
                    kind="test-record",
                    key="stalled",
                    payload={},
                    state=JobState.RUNNING,
                    claimed_by="elsewhere:1",
                    lease_until=clock.now + timedelta(seconds=60),
                )
            )
        assert run_due_jobs() == 0
        clock.advance(timedelta(seconds=61))
        assert run_due_jobs() == 1
    assert job(app, "stalled").state is JobState.DONE


def test_an_unknown_kind_fails_for_good(app) -> None:
    with app.test_request_context():
        enqueue("no-such-kind", "mystery", {})
    assert (
        job(app, "mystery").last_error == "no handler for jobs of kind 'no-such-kind'"
    )


def test_the_embedded_consumer_runs_what_the_web_process_queued(app_factory) -> None:
    app = app_factory(QUEUE_MODE="huey")
    configure_queue(app)
    with app.test_request_context():
        enqueue("test-record", "woken", {"n": 7})
    assert CALLS == []  # queued: nothing ran in the request

    consumer = start_embedded_consumer(app)
    try:
        deadline = time.monotonic() + 20
        while job(app, "woken").state is not JobState.DONE:
            assert time.monotonic() < deadline, "the consumer never ran the job"
            time.sleep(0.05)
    finally:
        consumer.stop()

    assert CALLS == [{"n": 7}]
    assert not consumer.thread.is_alive()


def test_the_worker_command_needs_a_queue(runner) -> None:
    result = runner.invoke(args=["worker"])
    assert result.exit_code == 2
    assert "BLOG_QUEUE_MODE is immediate" in result.output
