"""`make bench-cluster`: two blog instances behind nginx, on PostgreSQL + Redis.

    python -m bench.cluster [--runs N] [--duration S]
                            [--postgres-url URL] [--redis-url URL]

Starts two gunicorn instances of the blog (A and B, the repository's
gunicorn.conf.py, on free 127.0.0.1 ports) on one fresh PostgreSQL database and
one Redis database, and nginx (its own config and prefix in a temporary
folder) balancing between them. Then:

- loads the read cases through nginx and prints their throughput;
- checks that a comment posted through A shows at once on B: in the article
  page, the article's comment feed and the site comment feed, each fetched
  from B directly after B had cached them;
- checks that the login limit (10 a minute per client) counts across both:
  11 failed logins from one client through nginx, which alternates between A
  and B, and the 11th must be answered 429.

Prints PASS or FAIL for each check and exits 1 when one fails. Everything it
starts is stopped, whatever happens.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from bench.cases import Settings, blog_cases, measure_all
from bench.common import (
    LOOPBACK,
    RESULTS,
    BenchError,
    Browser,
    Server,
    executable,
    fetch,
    free_port,
    log,
    run_command,
    serving,
    settle_workers,
)
from bench.database import DEFAULT_POSTGRES, fresh_database
from bench.machine import machine_info, machine_line
from bench.report import latency_pair, rate_and_p99
from bench.run import app_settings, ensure_wrk, gunicorn, server_environment
from bench.seed import Manifest, seed

CLUSTER_REDIS = f"redis://{LOOPBACK}:6379/15"
LOGIN_LIMIT = 10  # blog/auth/routes.py: "10/minute" per client address
NGINX_CONF = """\
daemon off;
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  client_body_temp_path {prefix}/client_body;
  proxy_temp_path {prefix}/proxy;
  fastcgi_temp_path {prefix}/fastcgi;
  uwsgi_temp_path {prefix}/uwsgi;
  scgi_temp_path {prefix}/scgi;
  upstream blog {{
    server {host}:{port_a};
    server {host}:{port_b};
  }}
  server {{
    listen {host}:{port};
    location / {{
      proxy_pass http://blog;
      proxy_set_header Host $http_host;
      # The blog trusts one proxy (BLOG_PROXY_COUNT=1): the client is the
      # address nginx appends here.
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      # Big pages stay in memory: no temporary files for the workers to write.
      proxy_buffers 64 16k;
      proxy_max_temp_file_size 0;
      # Which instance answered, so the checks can see the alternation.
      add_header X-Upstream $upstream_addr always;
    }}
  }}
}}
"""


@dataclass
class Check:
    name: str
    passed: bool
    detail: str

    def line(self) -> str:
        return f"{'PASS' if self.passed else 'FAIL'}  {self.name}: {self.detail}"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="make bench-cluster ARGS=...", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--runs", type=int, default=1, help="runs a case [1]")
    parser.add_argument("--duration", type=int, default=5, help="seconds a run [5]")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES)
    parser.add_argument("--redis-url", default=CLUSTER_REDIS)
    return parser.parse_args(argv)


def ensure_nginx() -> str:
    """nginx's path, installing Debian's package when it is missing. The
    package's own service is not started here (and not used)."""
    if not shutil.which("nginx"):
        log("nginx is missing: apt-get install -y nginx")
        run_command(
            [
                executable("apt-get"),
                "install",
                "-y",
                "--no-install-recommends",
                "nginx",
            ],
            timeout=600,
            env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"),
        )
    return executable("nginx")


@contextmanager
def nginx(port: int, port_a: int, port_b: int) -> Iterator[Server]:
    """nginx on 127.0.0.1:port balancing A and B, stopped afterwards."""
    prefix = Path(tempfile.mkdtemp(prefix="blog-bench-nginx-"))
    # Workers run as nobody: they must reach the temporary paths in here.
    prefix.chmod(0o755)
    conf = prefix / "nginx.conf"
    conf.write_text(
        NGINX_CONF.format(
            prefix=prefix, host=LOOPBACK, port=port, port_a=port_a, port_b=port_b
        )
    )
    binary = ensure_nginx()
    command = [
        binary,
        "-p",
        str(prefix),
        "-c",
        str(conf),
        "-e",
        str(prefix / "error.log"),
    ]
    try:
        run_command([*command, "-t"], timeout=30)
        with serving(
            "nginx",
            command,
            port=port,
            env=dict(os.environ),
            log_path=prefix / "nginx.out",
            ready_path="/healthz",
        ) as server:
            yield server
    finally:
        shutil.rmtree(prefix, ignore_errors=True)


def comment_check(a: Server, b: Server, manifest: Manifest) -> list[Check]:
    """A comment posted through A is on B's page and feeds at once, though B
    had just served (and could have cached) all three."""
    slug = manifest.article10
    pages = {
        "B's article page": f"/articles/{slug}",
        "B's article comment feed": f"/articles/{slug}/comments/feed.xml",
        "B's site comment feed": "/comments/feed.xml",
    }
    for path in pages.values():  # warm B's caches with the old versions
        fetch(b.base_url, path)
        fetch(b.base_url, path)
    browser = Browser(a.base_url, "10.78.0.1")
    browser.log_in(manifest.writer_emails[0])
    text = f"Cluster check {uuid.uuid4().hex}"
    token = browser.csrf_token(f"/articles/{slug}")
    posted = browser.request(
        f"/articles/{slug}/comments", {"csrf_token": token, "body": text}
    )
    checks = [
        Check("comment posted through A", posted.status == 303, f"{posted.status}")
    ]
    for name, path in pages.items():
        answer = fetch(b.base_url, path)
        found = text in answer.text
        detail = f"GET {path} on B: {answer.status}, comment "
        detail += "found" if found else "MISSING"
        checks.append(
            Check(
                f"comment shows at once in {name}",
                answer.status == 200 and found,
                detail,
            )
        )
    return checks


def rate_limit_check(proxy: Server) -> Check:
    """11 failed logins from one client through nginx: the 11th gets 429,
    though nginx sent them to A and B by turns."""
    browser = Browser(proxy.base_url)
    token = browser.csrf_token("/auth/login")
    statuses, upstreams = [], []
    for attempt in range(LOGIN_LIMIT + 1):
        form = {
            "csrf_token": token,
            # A new address each time: only the per-client limit can refuse.
            "email": f"nobody{attempt}-{uuid.uuid4().hex[:6]}@bench.invalid",
            "password": "not the password",
        }
        answer = browser.request("/auth/login", form)
        statuses.append(answer.status)
        upstreams.append(answer.headers.get("X-Upstream", "?"))
    both = len(set(upstreams[:LOGIN_LIMIT])) == 2
    passed = 429 not in statuses[:LOGIN_LIMIT] and statuses[-1] == 429 and both
    return Check(
        f"login limit counts across instances ({LOGIN_LIMIT + 1}th failed login → 429)",
        passed,
        f"statuses {statuses}, answered by {sorted(set(upstreams))}",
    )


def reader_cookie_from(server: Server, manifest: Manifest) -> str:
    """Log the reader in on instance A directly, from an address of its own,
    so no login through nginx counts against the rate-limit check's client;
    the cookie works on both instances (same secret key)."""
    browser = Browser(server.base_url, "10.78.0.2")
    browser.log_in(manifest.reader_email)
    browser.request(f"/articles/{manifest.article10}")
    return browser.cookie_header


def throughput_table(results: dict[str, Any], settings: Settings) -> str:
    lines = [
        f"| case (through nginx, c={settings.connections}) | req/s | p50 · p99 "
        "| socket errors / ≥400 |",
        "| --- | --- | --- | --- |",
    ]
    for result in results.values():
        top = result.get("c16")
        if top is None:
            lines.append(
                f"| {result['label']} | skipped: {result.get('skipped')} | | |"
            )
            continue
        lines.append(
            f"| {result['label']} | {rate_and_p99(result).split(' · ')[0]} | "
            f"{latency_pair(top)} | {top['socket_errors']} / {top['non_2xx_3xx']} |"
        )
    return "\n".join(lines)


def run(args: argparse.Namespace) -> tuple[dict[str, Any], list[Check]]:
    ensure_wrk()
    ensure_nginx()
    settings = Settings(args.runs, args.duration, c1_runs=0, c1_seconds=1)
    workdir = Path(tempfile.mkdtemp(prefix="blog-bench-cluster-"))
    os.environ["BLOG_INSTANCE_PATH"] = str(workdir / "instance")
    try:
        with fresh_database(
            "postgres",
            workdir,
            name="blog_bench_cluster",
            postgres_url=args.postgres_url,
            redis_url=args.redis_url,
        ) as database:
            manifest = seed(database.url, workdir / "instance")
            log(f"seeded in {manifest.seconds:.1f} s")
            with ExitStack() as stack:
                port_a, port_b, port = free_port(), free_port(), free_port()
                settings_a = app_settings(database)
                a = stack.enter_context(
                    gunicorn("A", "blog:create_app()",
                             server_environment(settings_a, port_a), port_a, workdir)
                )  # fmt: skip
                b = stack.enter_context(
                    gunicorn("B", "blog:create_app()",
                             server_environment(settings_a, port_b), port_b, workdir)
                )  # fmt: skip
                settle_workers(a.process.pid)
                settle_workers(b.process.pid)
                proxy = stack.enter_context(nginx(port, port_a, port_b))
                log(f"A {a.base_url}, B {b.base_url}, nginx {proxy.base_url}")
                cookie = reader_cookie_from(a, manifest)
                cases = blog_cases(manifest, cookie)
                results = measure_all(
                    proxy.base_url, cases, settings, idle_path="/healthz"
                )
                checks = [rate_limit_check(proxy), *comment_check(a, b, manifest)]
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return {
        "date": datetime.now().strftime("%Y-%m-%d"),
        "machine": machine_info(),
        "settings": asdict(settings),
        "cases": results,
        "checks": [asdict(check) for check in checks],
    }, checks


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    started = time.monotonic()
    try:
        results, checks = run(args)
    except BenchError as error:
        log(f"FAILED: {error}")
        return 1
    settings = Settings(**results["settings"])
    report = "\n".join(
        [
            f"## bench-cluster {results['date']}: 2 gunicorn instances behind nginx, "
            "PostgreSQL + Redis",
            "",
            f"Machine: {machine_line(results['machine'])}.",
            "",
            throughput_table(results["cases"], settings),
            "",
            *[f"- {check.line()}" for check in checks],
        ]
    )
    RESULTS.mkdir(parents=True, exist_ok=True)
    stem = RESULTS / f"{results['date']}-cluster"
    stem.with_suffix(".json").write_text(json.dumps(results, indent=2) + "\n")
    stem.with_suffix(".md").write_text(report + "\n")
    print(report)
    log(f"took {time.monotonic() - started:.0f} s")
    return 0 if all(check.passed for check in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
