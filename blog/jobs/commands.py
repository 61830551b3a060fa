"""`flask --app blog worker`: the queue's consumer as its own process."""

from __future__ import annotations

import click
from flask.cli import ScriptInfo, with_appcontext

from blog.cli import needs_current_schema


@click.command("worker")
@with_appcontext
@needs_current_schema
@click.option(
    "--threads",
    type=click.IntRange(1, 64),
    default=None,
    help="Jobs run at once (default: BLOG_QUEUE_THREADS).",
)
def worker_command(threads: int | None) -> None:
    """Run the job queue's consumer (mail, WebSub pings, mailings) until
    stopped. Start one per host with BLOG_QUEUE_CONSUMER=external on the web
    processes; without it, the web process runs its own."""
    from blog.jobs.consumer import run_worker

    app = click.get_current_context().ensure_object(ScriptInfo).load_app()
    if app.config["QUEUE_MODE"] != "huey":
        raise click.UsageError("BLOG_QUEUE_MODE is immediate: there is no queue")
    if threads is not None:
        app.config["QUEUE_THREADS"] = threads
    run_worker(app)
