"""Review: `flask --app blog run --debug` (the reloader). Flask loads the
app in the reloader's watcher process too; the embedded consumer must run
in the serving child, which is restarted when code changes, not in the
watcher, which never is (jobs would run the code of the first start)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.smtp_server import free_port

pytestmark = pytest.mark.slow

FLASK = str(Path(sys.executable).with_name("flask"))


def lock_holder(lock: Path) -> int | None:
    """The pid holding a flock on this file, from /proc/locks."""
    if not lock.exists():
        return None
    inode = lock.stat().st_ino
    for line in Path("/proc/locks").read_text().splitlines():
        fields = line.split()
        if "FLOCK" in fields and fields[-3].endswith(f":{inode}"):
            return int(fields[-4])
    return None


@pytest.mark.skipif(not Path("/proc/locks").exists(), reason="needs Linux /proc")
def test_the_embedded_consumer_runs_in_the_reloaded_child(tmp_path) -> None:
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith("BLOG_")
    }
    environment["BLOG_INSTANCE_PATH"] = str(tmp_path / "instance")
    subprocess.run(  # noqa: S603 - our own command
        [FLASK, "--app", "blog", "db", "upgrade"],
        env=environment,
        check=True,
        capture_output=True,
    )
    server = subprocess.Popen(  # noqa: S603 - our own command
        [FLASK, "--app", "blog", "run", "--debug", "--port", str(free_port())],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        lock = tmp_path / "instance" / "queue.lock"
        deadline = time.monotonic() + 30
        while (holder := lock_holder(lock)) is None:
            assert time.monotonic() < deadline, "no process took the queue's lock"
            time.sleep(0.1)
        child_environment = Path(f"/proc/{holder}/environ").read_bytes()
        assert holder != server.pid, "the reloader's watcher runs the consumer"
        assert b"WERKZEUG_RUN_MAIN=true" in child_environment
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=10)
