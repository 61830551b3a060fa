"""Writing jobs, and the registry of what runs them."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from blog.database import after_commit, write_transaction
from blog.models import Job, JobState, utcnow

# The modules whose handlers and minute tasks the queue runs; imported on
# first use, so a web worker that never runs a job never loads them.
HANDLER_MODULES = (
    "blog.mail",
    "blog.comments.notifications",
    "blog.feeds.websub",
    "blog.newsletter.sending",
    "blog.newsletter.schedule",
)

Handler = Callable[["RunningJob"], None]
HANDLERS: dict[str, Handler] = {}
# Run by every sweep with the time it stands for (the test clock's, in tests).
MINUTE_TASKS: list[Callable[[datetime], None]] = []


class TemporaryFailure(Exception):
    """Worth another try later: a server down, a 4xx answer, a timeout.
    made_progress: the job got further this time (a mailing sent some
    mails), so its count of attempts starts again."""

    def __init__(self, message: str, *, made_progress: bool = False) -> None:
        super().__init__(message)
        self.made_progress = made_progress


class PermanentFailure(Exception):
    """Never worth another try: a 5xx answer, a row that is gone."""


@dataclass
class RunningJob:
    """What a handler gets: the job's data, and a way to keep its lease."""

    id: int
    kind: str
    key: str
    payload: dict[str, Any]
    attempts: int
    renew_lease: Callable[[], bool] = field(repr=False)


def job_handler(kind: str) -> Callable[[Handler], Handler]:
    """Register the function that runs jobs of this kind."""

    def register(handler: Handler) -> Handler:
        HANDLERS[kind] = handler
        return handler

    return register


def every_minute(task: Callable[[datetime], None]) -> Callable[[datetime], None]:
    """Register a task each sweep runs, given the time it stands for."""
    if task not in MINUTE_TASKS:
        MINUTE_TASKS.append(task)
    return task


def load_handlers() -> None:
    for module in HANDLER_MODULES:
        importlib.import_module(module)


def enqueue(
    kind: str,
    key: str,
    payload: dict[str, Any] | None = None,
    *,
    run_after: datetime | None = None,
) -> bool:
    """Add a job in the caller's write transaction (or its own); False when
    a job with this key exists already, which then is left as it is. Its
    consumer is woken once the transaction commits."""
    when = run_after or utcnow()
    with write_transaction() as session:
        insert = dialect_insert(session.get_bind().dialect.name)
        statement = (
            insert.values(
                kind=kind,
                key=key,
                payload=payload or {},
                state=JobState.PENDING,
                attempts=0,
                run_after=when,
                last_error="",
                claimed_by="",
                created_at=utcnow(),
            )
            .on_conflict_do_nothing(index_elements=["key"])
            .returning(Job.id)
        )
        job_id = session.execute(statement).scalar()
        if job_id is not None:
            after_commit(lambda: wake(job_id, when))
    return job_id is not None


def dialect_insert(dialect: str) -> Any:
    """INSERT ... ON CONFLICT for the database in use; PostgreSQL's module
    is imported only there (it costs a SQLite web worker memory)."""
    if dialect == "postgresql":
        from sqlalchemy.dialects import postgresql

        return postgresql.insert(Job)
    from sqlalchemy.dialects import sqlite

    return sqlite.insert(Job)


def wake(job_id: int, when: datetime) -> None:
    from blog.jobs.queue import wake_consumer

    wake_consumer(job_id, when)
