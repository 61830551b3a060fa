"""Work that must not hold up a request, nor the database lock a writing
request holds: mail delivery and WebSub pings run on a small thread pool.

A hand-written pool rather than a task queue (Celery, RQ): the work is a few
short network calls that may be lost if the process dies, which is what their
callers already accept (a failed mail or ping is logged, never retried).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

log = logging.getLogger(__name__)

BACKGROUND_THREADS = 2
_executor: ThreadPoolExecutor | None = None
_executor_lock = threading.Lock()


def run_in_background(task: Callable[..., Any], /, *args: Any) -> Future[Any]:
    """Run task(*args) on the pool; an exception is logged, never raised.
    The pool starts on first use, so each gunicorn worker gets its own."""
    global _executor
    with _executor_lock:
        if _executor is None:
            _executor = ThreadPoolExecutor(
                max_workers=BACKGROUND_THREADS, thread_name_prefix="blog-background"
            )
    return _executor.submit(logged, task, *args)


def logged(task: Callable[..., Any], *args: Any) -> Any:
    try:
        return task(*args)
    except Exception:
        log.exception("background task %s failed", getattr(task, "__name__", task))
        return None
