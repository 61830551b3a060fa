"""gunicorn settings for production: `gunicorn 'blog:create_app()'`.

Every value can be changed without editing this file, through the environment
variables named below or gunicorn's own GUNICORN_CMD_ARGS.
"""

import multiprocessing
import os

import gunicorn.http.wsgi

bind = os.environ.get("BLOG_BIND", "127.0.0.1:8000")
# Sync workers, cores + 1. Measured with wrk (c=16, 6 s, bench data set, 2 cores,
# 2026-11-25): home 1,807 req/s with 3 workers vs 1,478 with 5; the RSS feed
# 1,789 vs 1,143. Pages are served from cache in well under a millisecond, so
# more workers only add switching and memory.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() + 1))
threads = int(os.environ.get("BLOG_THREADS", "1"))
worker_class = "gthread" if threads > 1 else "sync"
# Recycle workers now and then so a slow leak never grows without bound, but
# rarely: a new worker starts with an empty page cache. At 5,000 requests each
# worker restarted every few seconds under load, and the feed's p99 went from
# 13 ms to 555 ms; at 100,000 the bench (9,000 req/s) still replaced 18.
max_requests = 1_000_000
max_requests_jitter = 100_000
timeout = 30
graceful_timeout = 30
keepalive = 5
# Logs go to stdout and stderr, for the process supervisor to keep. The blog
# writes its own request log (one line a request, with the X-Request-ID the
# client sees; BLOG_REQUEST_LOG=false turns it off), so gunicorn's access log
# is off unless BLOG_ACCESS_LOG names a file ("-" for stdout).
accesslog = os.environ.get("BLOG_ACCESS_LOG") or None
errorlog = "-"
# Don't tell every client which server software to try exploits on: gunicorn
# has no setting for its Server header, and reads this name for each response.
gunicorn.http.wsgi.SERVER = "blog"
# Trust X-Forwarded-* only from a proxy on this machine.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# gunicorn 25+ opens a control socket at one path per user, so two instances
# on one host would share it; gunicornc users can set a path per instance.
control_socket_disable = True


def post_worker_init(worker):  # noqa: ANN001, ANN201 - gunicorn's hook
    """The job queue's consumer (mail, WebSub pings, mailings) inside the web
    workers, unless BLOG_QUEUE_CONSUMER=external says a `flask --app blog
    worker` process runs it: every worker offers, and the one that holds
    instance/queue.lock consumes, so one host runs one consumer, and another
    worker takes over within seconds when it is recycled or killed."""
    from flask import Flask

    from blog.jobs.consumer import start_embedded_consumer

    if isinstance(worker.wsgi, Flask):  # the bench serves other apps with it
        start_embedded_consumer(worker.wsgi)
