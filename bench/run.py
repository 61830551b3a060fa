"""`make bench`: the blog under load, beside a bare-Flask ceiling and, on
request, WordPress and Ghost measured in the same run.

    python -m bench.run [--db sqlite|postgres] [--with-wordpress] [--with-ghost]
                        [--runs N] [--duration S] [--c1-runs N] [--c1-duration S]

Steps: seed a fresh database (bench/seed.py); count SQL queries per case
in-process; serve the blog with the repository's gunicorn.conf.py on a free
127.0.0.1 port and load every case with wrk at c=1 and c=16; run the write
case (16 logged-in users commenting); serve the ceiling app the same way and
load it; load the reference blogs; write bench/results/<date>-<db>.json and
.md and print the tables. Every server the bench starts is stopped, whatever
happens.

Defaults: every case 3 runs of 10 s at c=16, where the throughput and the
ratios to the other blogs are read, and one run of 2 s at c=1, which shows
latency, not capacity (`--c1-runs 3 --c1-duration 10` for more); the
ceiling only at c=16. That keeps `make bench` near 8½ minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from bench.anchors import Anchor, anchors
from bench.cases import (
    ANCHOR_EQUIVALENT,
    LABELS,
    Case,
    Settings,
    blog_cases,
    ceiling_cases,
    measure_all,
)
from bench.common import (
    LOOPBACK,
    RESULTS,
    SECRET_KEY,
    BenchError,
    Browser,
    Server,
    clean_environment,
    executable,
    fetch,
    free_port,
    gunicorn_command,
    log,
    run_command,
    serving,
    settle_workers,
    workers_rss_mib,
)
from bench.database import (
    DEFAULT_POSTGRES,
    DEFAULT_REDIS,
    Database,
    comment_tally,
    fresh_database,
    missing_comments,
    postgres_version,
)
from bench.load import WRITES_SCRIPT, Summary, wrk
from bench.machine import load_average, machine_info
from bench.queries import Probe, comment_form, count_queries, etag_of
from bench.report import markdown
from bench.seed import SEARCH_WORD, Manifest, seed

# Lifted for the bench, as an operator may (BLOG_COMMENT_RATE_LIMIT): the write
# case measures how fast comments are stored, not the per-user limit.
COMMENT_RATE_LIMIT = "100000/minute"
WRITERS_NETWORK = "10.77.0."  # each writer logs in from an address of its own
READER_ADDRESS = "10.77.1.1"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="make bench ARGS=...", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--with-wordpress", action="store_true")
    parser.add_argument("--with-ghost", action="store_true")
    parser.add_argument("--runs", type=int, default=3, help="runs at c=16 [3]")
    parser.add_argument(
        "--duration", type=int, default=10, help="seconds a run at c=16 [10]"
    )
    parser.add_argument("--c1-runs", type=int, default=1, help="runs at c=1 [1]")
    parser.add_argument(
        "--c1-duration", type=int, default=2, help="seconds a run at c=1 [2]"
    )
    parser.add_argument(
        "--cases",
        type=case_keys,
        help="only these cases, comma-separated (e.g. logged_in,write); "
        "the results are printed, not saved",
    )
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES)
    parser.add_argument("--redis-url", default=DEFAULT_REDIS)
    parser.add_argument(
        "--keep", action="store_true", help="keep the temporary folder and database"
    )
    args = parser.parse_args(argv)
    if args.runs < 1 or args.duration < 1 or args.c1_runs < 0 or args.c1_duration < 1:
        parser.error("--runs and --duration must be at least 1")
    return args


def case_keys(text: str) -> frozenset[str]:
    keys = frozenset(key.strip() for key in text.split(",") if key.strip())
    unknown = keys - LABELS.keys()
    if unknown or not keys:
        known = ", ".join(LABELS)
        raise argparse.ArgumentTypeError(f"unknown {sorted(unknown)}; cases: {known}")
    return keys


def chosen(cases: list[Case], keys: frozenset[str] | None) -> list[Case]:
    return [case for case in cases if keys is None or case.key in keys]


def with_comparisons(keys: frozenset[str] | None) -> frozenset[str] | None:
    """The chosen cases and what their ratios need: the ceiling's page and
    the reference blogs' equivalent pages."""
    if keys is None:
        return None
    return keys | {"ceiling_page"} | {ANCHOR_EQUIVALENT.get(key, key) for key in keys}


def ensure_wrk() -> None:
    """Install Debian's wrk when it is missing (needs root and apt)."""
    if shutil.which("wrk"):
        return
    log("wrk is missing: apt-get install -y wrk")
    run_command(
        [executable("apt-get"), "install", "-y", "--no-install-recommends", "wrk"],
        timeout=600,
        env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"),
    )


def app_settings(database: Database) -> dict[str, Any]:
    """The blog's settings for this run, as config keys (in-process apps)."""
    return {
        "DATABASE_URL": database.url,
        "REDIS_URL": database.redis_url,
        "SECRET_KEY": SECRET_KEY,
        "COMMENT_MODERATION": "none",
        "COMMENT_RATE_LIMIT": COMMENT_RATE_LIMIT,
        # Logins come from many addresses through X-Forwarded-For (see Browser).
        "PROXY_COUNT": 1,
    }


def server_environment(settings: dict[str, Any], port: int) -> dict[str, str]:
    """The same settings as BLOG_* variables, for gunicorn."""
    variables = {f"BLOG_{key}": str(value) for key, value in settings.items()}
    return clean_environment(BLOG_BIND=f"{LOOPBACK}:{port}", **variables)


def count_all_queries(settings: dict[str, Any], manifest: Manifest) -> dict:
    """SQL statements per request for every case, cold and warm."""
    probes = {case.key: Probe(case.path) for case in blog_cases(manifest, "")}
    probes["feed_304"] = Probe("/feed.xml", prepare_headers=etag_of("/feed.xml"))
    write_path = f"/articles/{manifest.write_article}/comments"
    probes["write"] = Probe(
        write_path, method="POST", prepare_form=comment_form(manifest.write_article)
    )
    counts = {}
    for key, probe in probes.items():
        needs_login = key in ("logged_in", "write")
        login = manifest.reader_email if needs_login else None
        counts[key] = count_queries(settings, probe, login_as=login).as_dict()
    log("SQL per request (cold/warm): " + ", ".join(
        f"{key} {value['cold']}/{value['warm']}" for key, value in counts.items()
    ))  # fmt: skip
    return counts


class MemoryWatch:
    """RSS of a gunicorn's workers: at rest, after each case, at the end."""

    def __init__(self, server: Server) -> None:
        self.master = server.process.pid
        settle_workers(self.master)
        self.at_rest = workers_rss_mib(self.master)
        self.samples: dict[str, dict[str, float]] = {}

    def sample(self, key: str) -> None:
        self.samples[key] = workers_rss_mib(self.master)

    def finish(self) -> dict[str, Any]:
        after = workers_rss_mib(self.master)
        seen = [self.at_rest, *self.samples.values(), after]
        pids = {pid for sizes in seen for pid in sizes}
        return {
            "at_rest": self.at_rest,
            "after": after,
            "peak_mib": max(size for sizes in seen for size in sizes.values()),
            "after_each_case": self.samples,
            "workers_replaced": len(pids) - len(after),
        }


@contextmanager
def gunicorn(
    name: str, app: str, environment: dict[str, str], port: int, workdir: Path
) -> Iterator[Server]:
    with serving(
        name,
        gunicorn_command(app),
        port=port,
        env=environment,
        log_path=workdir / f"{name}.log",
    ) as server:
        yield server


def reader_cookie(base_url: str, manifest: Manifest) -> str:
    """The Cookie header of the reader, logged in through the real form."""
    browser = Browser(base_url, READER_ADDRESS)
    browser.log_in(manifest.reader_email)
    browser.request(f"/articles/{manifest.article10}")  # shows the welcome flash
    return browser.cookie_header


def prepare_writers(base_url: str, manifest: Manifest, workdir: Path) -> Path:
    """Log every writer in through the real form and fetch their comment
    form's CSRF token; write one line per writer for bench/lua/writes.lua."""
    lines = []
    for number, email in enumerate(manifest.writer_emails):
        browser = Browser(base_url, f"{WRITERS_NETWORK}{number + 1}")
        browser.log_in(email)
        token = browser.csrf_token(f"/articles/{manifest.write_article}")
        quoted = urllib.parse.quote(token, safe="")
        lines.append(f"{browser.cookie_header}\t{quoted}\t{browser.address}")
    users = workdir / "writers.tsv"
    users.write_text("\n".join(lines) + "\n")
    return users


def write_case(
    server: Server, database: Database, manifest: Manifest, settings: Settings
) -> dict[str, Any]:
    """16 logged-in users post comments for `settings.seconds`, `runs` times;
    after each run the database says how many were stored, to set against
    the 303s the users got."""
    users = prepare_writers(server.base_url, manifest, server.log_path.parent)
    path = f"/articles/{manifest.write_article}/comments"
    runs, per_run, statuses = [], [], {}
    for number in range(settings.runs):
        before = comment_tally(database.url, manifest.write_article).stored
        run = wrk(
            server.base_url + path,
            connections=len(manifest.writer_emails),
            seconds=settings.seconds,
            script=WRITES_SCRIPT,
            script_args=[path, str(users), f"{os.getpid()}r{number}"],
        )
        stored = comment_tally(database.url, manifest.write_article).stored - before
        runs.append(run)
        per_run.append(
            {
                "acknowledged": run.statuses.get("303", 0),
                "acknowledged_ids": len(run.acknowledged_ids),
                "acknowledged_not_stored": missing_comments(
                    database.url, run.acknowledged_ids
                ),
                "stored": stored,
                "seconds": run.seconds,
            }
        )
        for status, count in run.statuses.items():
            statuses[status] = statuses.get(status, 0) + count
    tally = comment_tally(database.url, manifest.write_article)
    summary = Summary(len(manifest.writer_emails), runs)
    result = {
        "key": "write",
        "label": LABELS["write"],
        "path": path,
        "users": len(manifest.writer_emails),
        "c16": summary.as_dict(),
        "statuses": statuses,
        "acknowledged": sum(r["acknowledged"] for r in per_run),
        "stored": sum(r["stored"] for r in per_run),
        "acknowledged_not_stored": sum(r["acknowledged_not_stored"] for r in per_run),
        "comments_per_second_median": round(
            statistics.median(r["stored"] / r["seconds"] for r in per_run), 1
        ),
        "per_run": per_run,
        "comment_count_matches": tally.comment_count == tally.visible,
    }
    log(
        f"  write: {result['comments_per_second_median']:,.0f} comments/s, "
        f"{result['acknowledged']} acknowledged, {result['stored']} stored"
    )
    return result


def invisible_check(server: Server, manifest: Manifest) -> dict[str, Any]:
    """Drafts and scheduled articles stay out of sight under the bench's
    settings: their pages answer 404 and the feed does not name them."""
    feed = fetch(server.base_url, "/feed.xml").text
    statuses = {
        slug: fetch(server.base_url, f"/articles/{slug}").status
        for slug in (manifest.draft, manifest.scheduled)
    }
    hidden = all(status == 404 for status in statuses.values()) and not any(
        slug in feed for slug in statuses
    )
    return {"statuses": statuses, "hidden": hidden}


def measure_blog(
    database: Database,
    manifest: Manifest,
    settings: Settings,
    workdir: Path,
    keys: frozenset[str] | None = None,
) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """The blog under gunicorn: every read case, then the write case.
    Returns the cases' results, the workers' memory, and the checks (drafts
    hidden, the server's first traceback if it logged one)."""
    port = free_port()
    environment = server_environment(app_settings(database), port)
    with gunicorn("blog", "blog:create_app()", environment, port, workdir) as server:
        memory = MemoryWatch(server)
        log(f"blog: {len(memory.at_rest)} workers on {server.base_url}")
        hidden = invisible_check(server, manifest)
        cookie = reader_cookie(server.base_url, manifest)
        cases = chosen(blog_cases(manifest, cookie), keys)
        results = measure_all(
            server.base_url, cases, settings, memory.sample, idle_path="/healthz"
        )
        if keys is None or "write" in keys:
            results["write"] = write_case(server, database, manifest, settings)
            memory.sample("write")
        checks = {"server_errors": first_traceback(server), "unpublished": hidden}
        return results, memory.finish(), checks


def first_traceback(server: Server) -> str:
    """The first traceback in a server's log, or "" when it logged none."""
    server_log = server.log_tail(5_000_000)
    start = server_log.find("Traceback")
    return "" if start < 0 else server_log[start : start + 3000]


def measure_ceiling(
    settings: Settings, workdir: Path, keys: frozenset[str] | None = None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The bare-Flask ceiling under the same gunicorn settings."""
    port = free_port()
    environment = clean_environment(BLOG_BIND=f"{LOOPBACK}:{port}")
    with gunicorn("ceiling", "bench.ceiling:app", environment, port, workdir) as server:
        memory = MemoryWatch(server)
        log(f"ceiling: {len(memory.at_rest)} workers on {server.base_url}")
        cases = chosen(ceiling_cases(), keys)
        # The ceiling is there for c=16's throughput; its latency alone at
        # c=1 says nothing about the blog.
        at_c16 = replace(settings, c1_runs=0)
        results = measure_all(server.base_url, cases, at_c16, memory.sample)
        return results, memory.finish()


def measure_anchor(
    anchor: Anchor, settings: Settings, keys: frozenset[str] | None = None
) -> dict[str, Any]:
    cases = chosen(anchor.cases, keys)
    log(f"{anchor.name}: {len(cases)} cases on {anchor.base_url}")
    return measure_all(anchor.base_url, cases, settings)


def save(results: dict[str, Any]) -> tuple[Path, Path]:
    """bench/results/<date>-<db>.json (everything) and .md (the tables)."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    stem = f"{results['date']}-{results['database']['kind']}"
    json_path, md_path = RESULTS / f"{stem}.json", RESULTS / f"{stem}.md"
    json_path.write_text(json.dumps(results, indent=2) + "\n")
    md_path.write_text(markdown(results))
    return json_path, md_path


def public_manifest(manifest: Manifest) -> dict[str, Any]:
    data = asdict(manifest)
    data["writers"] = len(data.pop("writer_emails"))
    return data


def run(args: argparse.Namespace, argv: list[str]) -> dict[str, Any]:
    """The whole bench; returns the results dictionary."""
    started = time.monotonic()
    ensure_wrk()
    settings = Settings(args.runs, args.duration, args.c1_runs, args.c1_duration)
    results: dict[str, Any] = {
        "date": datetime.now().strftime("%Y-%m-%d"),
        "started_at": datetime.now().isoformat(timespec="seconds"),
        "command": " ".join(["python -m bench.run", *argv]),
        "settings": asdict(settings),
        "machine": machine_info(),
        "memory": {},
        "anchors": {},
        "anchor_memory_mib": {},
    }
    workdir = Path(tempfile.mkdtemp(prefix="blog-bench-"))
    os.environ["BLOG_INSTANCE_PATH"] = str(workdir / "instance")
    try:
        with anchors(args.with_wordpress, args.with_ghost, SEARCH_WORD) as (
            refs,
            errors,
        ):
            results["anchor_errors"] = errors
            with fresh_database(
                args.db,
                workdir,
                postgres_url=args.postgres_url,
                redis_url=args.redis_url,
                keep=args.keep,
            ) as database:
                results["database"] = describe(database)
                log(f"seeding {database.kind}")
                manifest = seed(database.url, workdir / "instance")
                log(f"seeded in {manifest.seconds:.1f} s")
                results["data"] = public_manifest(manifest)
                results["queries"] = count_all_queries(app_settings(database), manifest)
                results["blog"], results["memory"]["blog"], results["checks"] = (
                    measure_blog(database, manifest, settings, workdir, args.cases)
                )
            compared = with_comparisons(args.cases)
            results["ceiling"], results["memory"]["ceiling"] = measure_ceiling(
                settings, workdir, compared
            )
            for anchor in refs:
                results["anchors"][anchor.name] = measure_anchor(
                    anchor, settings, compared
                )
                results["anchor_memory_mib"][anchor.name] = anchor.memory_mib()
    finally:
        if args.keep:
            log(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    results["machine"]["load_average_at_end"] = load_average()
    results["elapsed_s"] = round(time.monotonic() - started, 1)
    return results


def describe(database: Database) -> dict[str, str]:
    """The database kind and server version (never its URL's credentials)."""
    if database.kind == "sqlite":
        return {"kind": "sqlite", "version": sqlite3.sqlite_version}
    return {"kind": "postgres", "version": postgres_version(database.url)}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    try:
        results = run(args, argv)
    except BenchError as error:
        log(f"FAILED: {error}")
        return 1
    print(markdown(results))
    if args.cases is None:
        json_path, md_path = save(results)
        log(f"results: {json_path.relative_to(RESULTS.parent.parent)}, {md_path.name}")
    log(f"took {results['elapsed_s']:.0f} s")
    skipped = [key for key, r in results["blog"].items() if r.get("skipped")]
    if skipped:
        log(f"WARNING: cases skipped: {', '.join(skipped)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
