"""The durable job queue: background work that must happen once its cause
is committed (mail, WebSub pings, mailings), and happen once.

- `enqueue()` writes a `jobs` row in the caller's write transaction, so the
  job exists exactly when its cause does; its key makes a second enqueue of
  the same work a no-op.
- After the commit, huey carries a wake-up to a consumer (SQLite file in the
  instance folder, or Redis when BLOG_REDIS_URL is set). huey takes a task off
  its queue before running it, so a killed consumer would lose it: the row is
  the truth, and a sweep every minute (and at every consumer's start) runs
  what is due, takes back what a dead consumer held, and retries with backoff.
- Handlers raise `TemporaryFailure` (retried: SMTP 4xx, a timeout) or
  `PermanentFailure` (recorded, never retried: SMTP 5xx).

`flask --app blog worker` runs a consumer; without one, `flask run` and
gunicorn (gunicorn.conf.py) run one inside the web process (consumer.py).
"""

from __future__ import annotations

from blog.jobs.store import (
    PermanentFailure,
    RunningJob,
    TemporaryFailure,
    enqueue,
    every_minute,
    job_handler,
)

__all__ = [
    "PermanentFailure",
    "RunningJob",
    "TemporaryFailure",
    "enqueue",
    "every_minute",
    "job_handler",
]
