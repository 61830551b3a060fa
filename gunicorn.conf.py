"""gunicorn settings for production: `gunicorn 'blog:create_app()'`.

Every value can be changed without editing this file, through the environment
variables named below or gunicorn's own GUNICORN_CMD_ARGS.
"""

import multiprocessing
import os

bind = os.environ.get("BLOG_BIND", "127.0.0.1:8000")
# Sync workers: one request at a time each, as many as the cores can keep busy.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("BLOG_THREADS", "1"))
worker_class = "gthread" if threads > 1 else "sync"
# Recycle workers now and then so a slow leak never grows without bound.
max_requests = 5000
max_requests_jitter = 500
timeout = 30
graceful_timeout = 30
keepalive = 5
# Logs go to stdout and stderr, for the process supervisor to keep.
# BLOG_ACCESS_LOG= (empty) turns the access log off, as the benchmark does.
accesslog = os.environ.get("BLOG_ACCESS_LOG", "-") or None
errorlog = "-"
# Trust X-Forwarded-* only from a proxy on this machine.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# gunicorn 25+ opens a control socket at one path per user, so two instances
# on one host would share it; gunicornc users can set a path per instance.
control_socket_disable = True
