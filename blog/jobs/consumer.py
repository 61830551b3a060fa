"""Who runs the jobs: `flask --app blog worker`, or a consumer inside the web
process when no separate worker is configured (BLOG_QUEUE_CONSUMER=embedded).

The embedded consumer runs in `flask run`, and in gunicorn's workers through
gunicorn.conf.py. Only one per host runs at a time: each web worker tries to
take a lock on instance/queue.lock, and the one holding it consumes; when it
exits (recycled, killed) the lock is free and another takes over.
"""

from __future__ import annotations

import fcntl
import logging
import threading
from pathlib import Path

from flask import Flask
from huey.consumer import Consumer

from blog.jobs.queue import job_context, queue, sweep_and_wake

log = logging.getLogger(__name__)

LOCK_FILE = "queue.lock"
LOCK_RETRY_SECONDS = 5
# A wake-up is picked up within this long when the queue was idle (SQLite
# storage polls; Redis blocks and answers at once).
MAX_POLL_SECONDS = 1.0


class ThreadConsumer(Consumer):  # type: ignore[misc]
    """huey's consumer without signal handlers, which only the main thread
    may set: the web server owns the signals of its process."""

    def _set_signal_handlers(self) -> None:
        pass


def make_consumer(app: Flask, consumer_class: type[Consumer] = Consumer) -> Consumer:
    return consumer_class(
        queue,
        workers=app.config["QUEUE_THREADS"],
        worker_type="thread",
        periodic=True,
        max_delay=MAX_POLL_SECONDS,
    )


def recover(app: Flask) -> None:
    """What a consumer does first: take back the jobs of dead consumers on
    this host, and run what fell due while nobody was consuming."""
    from blog.jobs.runner import take_back_from_dead_consumers

    with job_context(app):
        taken = take_back_from_dead_consumers()
    if taken:
        log.info("took back %d job(s) from a consumer that died", taken)
    sweep_and_wake()


def run_worker(app: Flask) -> None:
    """The `worker` command: consume until SIGINT/SIGTERM."""
    consumer = make_consumer(app)
    recover(app)
    consumer.run()


def start_embedded_consumer(app: Flask) -> EmbeddedConsumer | None:
    """Start the in-process consumer when the settings ask for one."""
    config = app.config
    if config.get("QUEUE_CONSUMER") != "embedded" or config.get("QUEUE_MODE") != "huey":
        return None  # set so, or another app under the same gunicorn.conf.py
    embedded = EmbeddedConsumer(app)
    embedded.thread.start()
    return embedded


class EmbeddedConsumer:
    """A thread that waits its turn for this host's lock, then runs huey's
    consumer until the process exits (or stop(), for tests)."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.stopping = threading.Event()
        self.thread = threading.Thread(
            target=self.consume_while_holding_lock,
            name="blog-queue-consumer",
            daemon=True,
        )

    def stop(self) -> None:
        self.stopping.set()
        self.thread.join(timeout=10)

    def consume_while_holding_lock(self) -> None:
        path = Path(self.app.instance_path) / LOCK_FILE
        # With Redis (and BLOG_SECRET_KEY) nothing else creates the folder.
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "a") as lock_file:  # kept open: the lock lives with it
            while not self.stopping.is_set():
                try:
                    fcntl.flock(lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    self.stopping.wait(LOCK_RETRY_SECONDS)
                    continue
                self.consume()

    def consume(self) -> None:
        log.info("this process runs the job queue's consumer")
        consumer = make_consumer(self.app, ThreadConsumer)
        try:
            recover(self.app)
        except Exception:
            log.exception("the queue's first sweep failed; the next one retries")
        consumer.start()
        self.stopping.wait()  # hold the lock until the process exits
        consumer.stop(graceful=True)
