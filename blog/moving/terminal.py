"""What an import shows on the terminal: a progress bar while it writes,
then per kind how many were created, updated, unchanged, skipped or failed,
and the reason for each one skipped or failed (or changed on the way)."""

from __future__ import annotations

import time
from collections.abc import Callable

import click
from flask import current_app

from blog.moving.images import Fetch
from blog.moving.records import Bundle, Report
from blog.moving.writer import write_bundle

RESULTS = ("created", "updated", "matched", "unchanged", "skipped", "missing", "failed")
# Reasons listed one by one up to this many per kind and result; the rest counted.
SHOWN_REASONS = 20


def run_import(bundle: Bundle, *, fetch: Fetch, dry_run: bool) -> Report:
    """Write the bundle with a progress bar (on a terminal), print the
    summary; raise ClickException (exit 1) when anything failed."""
    started = time.monotonic()
    with (
        current_app.test_request_context(),  # url_for() for the images' addresses
        click.progressbar(
            length=len(bundle.posts), label="Importing posts", file=None
        ) as bar,
    ):
        report = write_bundle(bundle, fetch=fetch, dry_run=dry_run, progress=bar.update)
    print_summary(report, time.monotonic() - started, dry_run)
    if report.failed:
        raise click.ClickException(
            f"{len(report.failed)} items failed to import (listed above)"
        )
    return report


def plural(kind: str) -> str:
    return kind[:-1] + "ies" if kind.endswith("y") else kind + "s"


def print_summary(report: Report, seconds: float, dry_run: bool) -> None:
    echo: Callable[[str], None] = click.echo
    if dry_run:
        echo("Dry run: nothing was written. This is what an import would do:")
    for kind, counts in report.counts().items():
        figures = ", ".join(
            f"{counts[result]} {result}" for result in RESULTS if counts[result]
        )
        echo(f"{plural(kind) + ':':<12} {figures}")
    for result in ("failed", "missing", "skipped", "created", "updated", "matched"):
        with_reasons = [
            outcome
            for outcome in report.outcomes
            if outcome.result == result and outcome.reason
        ]
        if not with_reasons:
            continue
        echo(f"\n{result.capitalize()}, with reasons:")
        for outcome in with_reasons[:SHOWN_REASONS]:
            echo(f"  {outcome.kind} {outcome.name}: {outcome.reason}")
        if len(with_reasons) > SHOWN_REASONS:
            echo(f"  … and {len(with_reasons) - SHOWN_REASONS} more")
    echo(f"\nDone in {seconds:.1f} s.")
