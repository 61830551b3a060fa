"""Running one job: claim it, run its handler, record what became of it."""

from __future__ import annotations

import logging
import os
import secrets
import socket
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, select, update

from blog.database import write_transaction
from blog.extensions import db
from blog.jobs.store import (
    HANDLERS,
    MINUTE_TASKS,
    PermanentFailure,
    RunningJob,
    TemporaryFailure,
    every_minute,
    load_handlers,
)
from blog.models import Job, JobState, utcnow

log = logging.getLogger(__name__)

LONGEST_RETRY = timedelta(hours=1)
ERROR_MAX = 2000


def claimant() -> str:
    """How one run of a job signs its lease: "host:pid:claim". The host and
    pid let a consumer take back a dead process's jobs; the claim tells two
    threads of one process apart (one may stall past its lease while the
    other takes the job over)."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"


def lease_length() -> timedelta:
    return timedelta(seconds=current_app.config["JOB_LEASE_SECONDS"])


def run_job(job_id: int, now: datetime | None = None) -> JobState | None:
    """Run the job if it is due and nobody holds it; what became of it, or
    None when there was nothing to do. Never raises: a failure is recorded."""
    load_handlers()
    now = now or utcnow()
    me = claimant()
    with write_transaction() as session:
        claimed = session.execute(
            update(Job)
            .where(Job.id == job_id, due(now))
            .values(
                state=JobState.RUNNING,
                lease_until=now + lease_length(),
                attempts=Job.attempts + 1,
                claimed_by=me,
            )
            .execution_options(synchronize_session=False)
        ).rowcount  # type: ignore[attr-defined]
    if not claimed:
        return None
    job = db.session.execute(
        select(Job).where(Job.id == job_id).execution_options(populate_existing=True)
    ).scalar_one()
    running = RunningJob(
        id=job.id,
        kind=job.kind,
        key=job.key,
        payload=dict(job.payload),
        attempts=job.attempts,
        renew_lease=lambda: renew_lease(job_id, me),
    )
    return run_claimed(running, me)


def due(now: datetime):  # type: ignore[no-untyped-def]
    return ((Job.state == JobState.PENDING) & (Job.run_after <= now)) | (
        (Job.state == JobState.RUNNING) & (Job.lease_until < now)
    )


def run_claimed(job: RunningJob, me: str) -> JobState | None:
    handler = HANDLERS.get(job.kind)
    try:
        if handler is None:
            raise PermanentFailure(f"no handler for jobs of kind {job.kind!r}")
        handler(job)
    except PermanentFailure as error:
        log.warning("job %s (%s) failed for good: %s", job.id, job.key, error)
        return finish(job.id, me, JobState.FAILED, str(error))
    except TemporaryFailure as error:
        log.info("job %s (%s) will be retried: %s", job.id, job.key, error)
        return retry(job, me, str(error), made_progress=error.made_progress)
    except Exception as error:  # a bug, or the database gone: retried too
        log.exception("job %s (%s) raised", job.id, job.key)
        return retry(job, me, f"{type(error).__name__}: {error}", made_progress=False)
    return finish(job.id, me, JobState.DONE, "")


def held_by(job_id: int, me: str):  # type: ignore[no-untyped-def]
    return (Job.id == job_id) & (Job.state == JobState.RUNNING) & (Job.claimed_by == me)


def finish(job_id: int, me: str, state: JobState, error: str) -> JobState | None:
    """A done job keeps no payload: a mail's recipient, text and links are
    nobody's business once it is sent. A failed one keeps it, to be looked
    into, until prune_finished_jobs() removes it."""
    values: dict[str, object] = {"payload": {}} if state is JobState.DONE else {}
    with write_transaction() as session:
        changed = session.execute(
            update(Job)
            .where(held_by(job_id, me))
            .values(
                state=state,
                finished_at=utcnow(),
                lease_until=None,
                last_error=error[:ERROR_MAX],
                **values,
            )
            .execution_options(synchronize_session=False)
        ).rowcount  # type: ignore[attr-defined]
    return state if changed else None


def retry(job: RunningJob, me: str, error: str, *, made_progress: bool) -> JobState:
    """Pending again after a backoff that doubles at each attempt; failed for
    good once the attempts are spent."""
    config = current_app.config
    attempts = 0 if made_progress else job.attempts
    if attempts >= config["JOB_MAX_ATTEMPTS"]:
        return finish(job.id, me, JobState.FAILED, error) or JobState.FAILED
    backoff = timedelta(seconds=config["JOB_RETRY_SECONDS"] * 2 ** max(attempts - 1, 0))
    run_after = utcnow() + min(backoff, LONGEST_RETRY)
    with write_transaction() as session:
        changed = session.execute(
            update(Job)
            .where(held_by(job.id, me))
            .values(
                state=JobState.PENDING,
                run_after=run_after,
                attempts=attempts,
                lease_until=None,
                last_error=error[:ERROR_MAX],
            )
            .execution_options(synchronize_session=False)
        ).rowcount  # type: ignore[attr-defined]
    if changed:
        from blog.jobs.queue import wake_consumer

        wake_consumer(job.id, run_after)
    return JobState.PENDING


def renew_lease(job_id: int, me: str) -> bool:
    """Keep a long job's claim; False when another consumer took it over
    (this one stalled past its lease), and the job must stop."""
    with write_transaction() as session:
        return bool(
            session.execute(
                update(Job)
                .where(held_by(job_id, me))
                .values(lease_until=utcnow() + lease_length())
                .execution_options(synchronize_session=False)
            ).rowcount  # type: ignore[attr-defined]
        )


def take_back_from_dead_consumers() -> int:
    """Jobs held by a process of this host that no longer exists are pending
    again at once, rather than when their lease runs out."""
    host = socket.gethostname()
    with write_transaction() as session:
        held = session.execute(
            select(Job.id, Job.claimed_by).where(
                Job.state == JobState.RUNNING, Job.claimed_by.startswith(f"{host}:")
            )
        ).all()
        dead = [job_id for job_id, who in held if not process_exists(who)]
        if dead:
            session.execute(
                update(Job)
                .where(Job.id.in_(dead), Job.state == JobState.RUNNING)
                .values(state=JobState.PENDING, lease_until=None, run_after=utcnow())
                .execution_options(synchronize_session=False)
            )
    return len(dead)


def process_exists(claimed_by: str) -> bool:
    try:
        pid = int(claimed_by.split(":")[1])
    except (IndexError, ValueError):
        return False
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


KEEP_FINISHED = timedelta(days=30)


@every_minute
def prune_finished_jobs(now: datetime) -> None:
    """Finished jobs are kept a month, for the owner to see what went out
    and what failed, then deleted."""
    with write_transaction() as session:
        session.execute(
            delete(Job)
            .where(
                Job.state.in_([JobState.DONE, JobState.FAILED]),
                Job.finished_at < now - KEEP_FINISHED,
            )
            .execution_options(synchronize_session=False)
        )


def sweep(now: datetime | None = None, *, batch: int = 500) -> list[int]:
    """The minute's work: the minute tasks (mailings that came due, the
    digest), then the ids of jobs that are due, for the caller to run or
    hand to the consumer."""
    load_handlers()
    now = now or utcnow()
    for task in MINUTE_TASKS:
        try:
            task(now)
        except Exception:
            log.exception("minute task %s failed", task.__name__)
            db.session.rollback()
    return list(db.session.scalars(select(Job.id).where(due(now)).limit(batch)))


def run_due_jobs(now: datetime | None = None) -> int:
    """Run every due job here, in turn, until none is left (tests, and the
    immediate mode); how many ran."""
    ran = 0
    while job_ids := [
        job_id for job_id in sweep(now) if run_job(job_id, now) is not None
    ]:
        ran += len(job_ids)
    return ran
