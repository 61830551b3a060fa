"""Giving the app its job queue."""

from __future__ import annotations

import logging

import click
from flask import Flask

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
    if context is not None and context.info_name == "run":
        start_embedded_consumer(app)
