"""Giving the app its job queue."""

from __future__ import annotations

import logging

import click
from flask import Flask
from flask.helpers import get_debug_flag
from werkzeug.serving import is_running_from_reloader

from blog.jobs.consumer import start_embedded_consumer
from blog.jobs.queue import configure_queue


def init_app(app: Flask) -> None:
    """Give the queue its storage; under `flask run`, start its consumer
    (gunicorn starts it from gunicorn.conf.py, after forking)."""
    configure_queue(app)
    # huey logs each task it runs at INFO, a line a minute for the sweep
    # alone; the blog logs what a job did, and huey's warnings stay.
    logging.getLogger("huey").setLevel(logging.WARNING)
    context = click.get_current_context(silent=True)
    if context is not None and context.info_name == "run" and serves(context):
        start_embedded_consumer(app)


def serves(context: click.Context) -> bool:
    """False in the reloader's watcher (`flask run --debug`), which loads the
    app too but never serves, and is never restarted when code changes: the
    consumer belongs in the child it restarts."""
    reload = context.params.get("reload")
    if reload is None:
        reload = get_debug_flag()
    return not reload or is_running_from_reloader()
