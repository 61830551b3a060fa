"""huey: carries wake-ups from the process that enqueued a job to a consumer,
holds retries until their time, and starts the sweep every minute.

Storage: a SQLite file in the instance folder (queue.sqlite), or Redis when
BLOG_REDIS_URL is set, so consumers on several hosts share one queue. In the
"immediate" mode (tests) nothing goes through huey: a job runs in the process
that enqueued it, right after the commit, and later ones when a test sweeps.
"""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask, current_app
from flask.ctx import RequestContext
from huey import Huey, crontab
from huey.storage import MemoryStorage, RedisStorage, SqliteStorage

from blog.models import utcnow

log = logging.getLogger(__name__)

QUEUE_NAME = "blog"
QUEUE_FILE = "queue.sqlite"

# Tasks are registered on one instance at import; configure_queue() gives it
# the storage the settings name. results=False: nobody waits on a result.
queue = Huey(QUEUE_NAME, results=False, utc=True, storage_class=MemoryStorage)
# The app whose context the consumer's tasks run in.
queue_app: Flask | None = None


def configure_queue(app: Flask) -> None:
    global queue_app
    queue_app = app
    if app.config["QUEUE_MODE"] != "huey":
        return
    if app.config["REDIS_URL"]:
        queue.storage = RedisStorage(QUEUE_NAME, url=app.config["REDIS_URL"])
    else:
        # No fsync: a wake-up lost in a power cut is found by the next sweep.
        path = Path(app.instance_path) / QUEUE_FILE
        path.parent.mkdir(parents=True, exist_ok=True)
        queue.storage = SqliteStorage(QUEUE_NAME, filename=str(path), fsync=False)


def wake_consumer(job_id: int, when: datetime) -> None:
    """Tell a consumer to run the job at `when`. Never raises: a wake-up that
    cannot be written is made good by the next sweep."""
    if current_app.config["QUEUE_MODE"] == "immediate":
        if when <= utcnow():
            from blog.jobs.runner import run_job

            run_job(job_id)
        return
    try:
        if when <= utcnow():
            run_job_task(job_id)
        else:
            run_job_task.schedule(args=(job_id,), eta=when)
    except Exception:  # the queue's storage is down; the sweep will do it
        log.exception("could not wake a consumer for job %s", job_id)


def app_for_task() -> Flask:
    if queue_app is None:
        raise RuntimeError("the job queue runs no task before create_app()")
    return queue_app


def job_context(app: Flask) -> RequestContext:
    """What a job runs in: the app, and a request on the site's own address,
    so links (url_for), the site's language and its settings work as they
    do in a page. No request hook runs; no client is involved."""
    parts = urlsplit(app.config["SITE_URL"])
    return app.test_request_context("/", base_url=f"{parts.scheme}://{parts.netloc}")


@queue.task()
def run_job_task(job_id: int) -> None:
    from blog.jobs.runner import run_job

    with job_context(app_for_task()):
        run_job(job_id)


@queue.periodic_task(crontab(minute="*"))
def sweep_task() -> None:
    sweep_and_wake()


def sweep_and_wake() -> int:
    """Run the minute's work and hand every due job to the consumer."""
    from blog.jobs.runner import sweep

    with job_context(app_for_task()):
        due = sweep()
    for job_id in due:
        run_job_task(job_id)
    return len(due)


def wake_sweep(when: datetime) -> None:
    """Sweep at `when` (a mailing is due): at once when it has passed."""
    if current_app.config["QUEUE_MODE"] == "immediate":
        if when <= utcnow():
            from blog.jobs.runner import run_due_jobs

            run_due_jobs()
        return
    try:
        if when <= utcnow():
            sweep_task()
        else:
            sweep_task.schedule(eta=when)
    except Exception:  # the queue's storage is down; the minute's sweep will
        log.exception("could not wake a consumer for a sweep")
