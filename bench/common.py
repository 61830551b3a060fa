"""What every part of the bench shares: paths, bounded subprocesses, servers
that are always stopped, a small HTTP client with cookies, process memory.

Every network call here goes to 127.0.0.1 only, and every call that could
hang has a timeout.
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent
BENCH = REPOSITORY / "bench"
RESULTS = BENCH / "results"
BIN = Path(sys.executable).parent
GUNICORN_CONF = REPOSITORY / "gunicorn.conf.py"
LOOPBACK = "127.0.0.1"
HTTP_TIMEOUT = 30.0
CSRF_TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
# The password of every account the seed creates (bench data only).
PASSWORD = "bench password 2026"  # noqa: S105 - a throwaway bench account
SECRET_KEY = "bench secret key, not for production"  # noqa: S105 - bench only


class BenchError(RuntimeError):
    """Something the bench needs did not work; the message says what."""


def log(message: str) -> None:
    """One progress line on stderr, flushed, so `make bench` shows progress."""
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def executable(name: str) -> str:
    """The absolute path of a program: the venv's first, then $PATH."""
    local = BIN / name
    if local.exists():
        return str(local)
    found = shutil.which(name)
    if found is None:
        raise BenchError(f"{name} is not installed")
    return found


def run_command(
    command: list[str],
    *,
    timeout: float,
    env: Mapping[str, str] | None = None,
    cwd: Path = REPOSITORY,
    check: bool = True,
) -> subprocess.CompletedProcess[str]:
    """Run a command to completion within `timeout` seconds, output captured.
    Raises BenchError (with the output's tail) when it fails and check is set;
    a command that overruns is killed by subprocess.run."""
    try:
        result = subprocess.run(  # noqa: S603 - the bench's own command lines
            command,
            cwd=cwd,
            env=dict(env) if env is not None else None,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise BenchError(f"{command[0]} took longer than {timeout:.0f} s") from error
    if check and result.returncode != 0:
        tail = (result.stdout + result.stderr)[-3000:]
        raise BenchError(f"{' '.join(command)} exited {result.returncode}:\n{tail}")
    return result


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        return probe.getsockname()[1]


def stop_process(process: subprocess.Popen, timeout: float = 20.0) -> None:
    """Terminate a process we started (SIGTERM, then SIGKILL), and reap it.
    gunicorn and nginx stop their workers themselves on SIGTERM."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


@dataclass
class Server:
    """A server process we started, on 127.0.0.1:port."""

    name: str
    process: subprocess.Popen
    port: int
    log_path: Path

    @property
    def base_url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    def log_tail(self, size: int = 3000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-size:]
        except OSError:
            return ""


@contextmanager
def serving(
    name: str,
    command: list[str],
    *,
    port: int,
    env: Mapping[str, str],
    log_path: Path,
    ready_path: str = "/",
    start_timeout: float = 60.0,
) -> Iterator[Server]:
    """Start a server, wait until GET ready_path answers (any status below
    500), yield it, and terminate it when the block ends, whatever happens."""
    with log_path.open("w") as log_file:
        process = subprocess.Popen(  # noqa: S603 - the bench's own command lines
            command,
            cwd=REPOSITORY,
            env=dict(env),
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
        server = Server(name, process, port, log_path)
        try:
            wait_until_ready(server, ready_path, start_timeout)
            yield server
        finally:
            stop_process(process)


def wait_until_ready(server: Server, path: str, timeout: float) -> None:
    """Poll the server until it answers, or raise with its log's tail."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise BenchError(f"{server.name} exited:\n{server.log_tail()}")
        try:
            if fetch(server.base_url, path, timeout=2).status < 500:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise BenchError(f"{server.name} did not start:\n{server.log_tail()}")


def gunicorn_command(app: str) -> list[str]:
    """gunicorn with the repository's gunicorn.conf.py, as production runs it.

    Two changes. Access lines are dropped (bench/quietlog.py), as the
    reference WordPress runs with nginx's access_log off; the config has no
    switch for that, and its default ("-") would make the bench measure log
    formatting and the pipe to our log file. And no control socket: gunicorn
    27 puts every instance's at the same path (~/.gunicorn/gunicorn.ctl), so
    two instances (bench-cluster, or a server someone else runs) would take
    each other's."""
    return [
        executable("gunicorn"),
        "--config",
        str(GUNICORN_CONF),
        "--logger-class",
        "bench.quietlog.NoAccessLog",
        "--no-control-socket",
        app,
    ]


def settle_workers(master_pid: int, timeout: float = 15.0) -> list[int]:
    """Wait until the number of gunicorn workers has stayed the same for a
    second (they boot one after the other), and return their pids."""
    deadline = time.monotonic() + timeout
    seen, stable_since = child_pids(master_pid), time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(0.2)
        now = child_pids(master_pid)
        if now != seen:
            seen, stable_since = now, time.monotonic()
        elif time.monotonic() - stable_since >= 1.0:
            break
    return seen


@dataclass
class Answer:
    """One HTTP response, read whole."""

    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


def fetch(
    base_url: str,
    path: str,
    *,
    method: str = "GET",
    headers: Mapping[str, str] | None = None,
    form: Mapping[str, str] | None = None,
    timeout: float = HTTP_TIMEOUT,
) -> Answer:
    """One request to a server on 127.0.0.1, redirects not followed."""
    parts = urllib.parse.urlsplit(base_url)
    if parts.hostname != LOOPBACK:
        raise BenchError(f"refusing to send traffic to {parts.hostname}")
    connection = http.client.HTTPConnection(
        parts.hostname, parts.port or 80, timeout=timeout
    )
    all_headers = dict(headers or {})
    body = None
    if form is not None:
        body = urllib.parse.urlencode(form).encode()
        all_headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        connection.request(method, path, body=body, headers=all_headers)
        response = connection.getresponse()
        return Answer(response.status, response.headers, response.read())
    finally:
        connection.close()


@dataclass
class Browser:
    """One user's cookies, sent from an address of their own through
    X-Forwarded-For (the bench's servers trust one proxy), so that the
    per-address login limit counts each user apart."""

    base_url: str
    address: str = ""
    cookies: dict[str, str] = field(default_factory=dict)

    def request(self, path: str, form: Mapping[str, str] | None = None) -> Answer:
        headers = {}
        if self.cookies:
            headers["Cookie"] = self.cookie_header
        if self.address:
            headers["X-Forwarded-For"] = self.address
        method = "POST" if form is not None else "GET"
        answer = fetch(self.base_url, path, method=method, headers=headers, form=form)
        self.keep_cookies(answer)
        return answer

    def keep_cookies(self, answer: Answer) -> None:
        for header in answer.headers.get_all("Set-Cookie") or []:
            parsed = SimpleCookie()
            parsed.load(header)
            for name, morsel in parsed.items():
                if morsel["expires"] and "1970" in morsel["expires"]:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value

    @property
    def cookie_header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())

    def csrf_token(self, path: str) -> str:
        """The CSRF token of the form on this page (which also puts the
        token's secret into this browser's session cookie)."""
        page = self.request(path)
        found = CSRF_TOKEN.search(page.text)
        if page.status != 200 or found is None:
            raise BenchError(f"no form on {path}: {page.status} {page.text[:300]}")
        return found.group(1)

    def log_in(self, email: str, password: str = PASSWORD) -> None:
        """Log in through the real form; raises unless the blog answers 303."""
        form = {
            "csrf_token": self.csrf_token("/auth/login"),
            "email": email,
            "password": password,
        }
        answer = self.request("/auth/login", form)
        if answer.status != 303:
            raise BenchError(f"login as {email}: {answer.status} {answer.text[:300]}")


def child_pids(pid: int) -> list[int]:
    """The direct children of a process (gunicorn's workers), from /proc."""
    children = Path(f"/proc/{pid}/task/{pid}/children")
    try:
        return [int(child) for child in children.read_text().split()]
    except OSError:
        return []


def rss_kib(pid: int) -> int | None:
    """VmRSS of a process in KiB, or None when it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def workers_rss_mib(master_pid: int) -> dict[str, float]:
    """Resident memory of each gunicorn worker, in MiB, keyed by pid."""
    sizes = {}
    for pid in child_pids(master_pid):
        kib = rss_kib(pid)
        if kib is not None:
            sizes[str(pid)] = round(kib / 1024, 1)
    return sizes


def clean_environment(**settings: str) -> dict[str, str]:
    """This process's environment with the bench's settings on top. Other
    BLOG_* knobs (BLOG_THREADS, WEB_CONCURRENCY...) pass through on purpose,
    so the lead can try a setting with `BLOG_THREADS=4 make bench`."""
    environment = dict(os.environ)
    environment.update(settings)
    return environment


def inherited_settings() -> dict[str, str]:
    """The tuning variables this run inherited (recorded with the results)."""
    names = ("WEB_CONCURRENCY", "GUNICORN_CMD_ARGS")
    return {
        key: value
        for key, value in sorted(os.environ.items())
        if (key.startswith("BLOG_") or key in names)
        and not any(word in key for word in ("SECRET", "PASSWORD", "URL"))
    }
