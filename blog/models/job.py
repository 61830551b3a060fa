"""Background work that must happen once its cause is committed: a row in
the same transaction as the change (a comment, a publication), run by the
queue's consumer at least once, its effect kept at most once by `key`.

The queue library (huey) only carries wake-ups; this table is the truth a
killed worker, a lost wake-up or a restart comes back to (blog/jobs/).
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, Index, Select, String, Text, select
from sqlalchemy.orm import Mapped, mapped_column

from blog.models.base import Base, utcnow
from blog.models.user import enum_column

KEY_MAX = 200
KIND_MAX = 64
CLAIMANT_MAX = 100


class JobState(enum.StrEnum):
    PENDING = "pending"
    # Claimed by a consumer until lease_until; a lease that ran out means its
    # consumer died, and the job is pending again.
    RUNNING = "running"
    DONE = "done"
    # Failed for good: a permanent error, or every retry spent.
    FAILED = "failed"


class Job(Base):
    __tablename__ = "jobs"
    __table_args__ = (Index("ix_jobs_state_run_after", "state", "run_after"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Which handler runs it ("mail", "websub", "mailing"...).
    kind: Mapped[str] = mapped_column(String(KIND_MAX))
    # The idempotency key: a second enqueue with the same key adds nothing.
    key: Mapped[str] = mapped_column(String(KEY_MAX), unique=True)
    payload: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)
    state: Mapped[JobState] = mapped_column(
        enum_column(JobState, "job_state"), default=JobState.PENDING
    )
    attempts: Mapped[int] = mapped_column(default=0)
    run_after: Mapped[datetime] = mapped_column(default=utcnow)
    lease_until: Mapped[datetime | None]
    # Which consumer holds the lease ("host:pid"): a consumer starting on
    # that host takes back the jobs of a process that no longer exists.
    claimed_by: Mapped[str] = mapped_column(String(CLAIMANT_MAX), default="")
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]

    def __repr__(self) -> str:
        return f"<Job {self.id} {self.kind} {self.state}>"

    @classmethod
    def select_due(cls, now: datetime, limit: int) -> Select[Job]:
        """Pending jobs whose time has come, and running ones whose consumer
        let the lease run out (it was killed)."""
        return (
            select(cls)
            .where(
                ((cls.state == JobState.PENDING) & (cls.run_after <= now))
                | ((cls.state == JobState.RUNNING) & (cls.lease_until < now))
            )
            .order_by(cls.run_after, cls.id)
            .limit(limit)
        )
