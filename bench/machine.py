"""Facts about the machine and the code a run measured, stored with its results."""

from __future__ import annotations

import os
import platform
import sqlite3
from importlib import metadata
from pathlib import Path

from bench.common import BenchError, executable, inherited_settings, run_command


def cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def memory_mib() -> int:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) // 1024
    return 0


def load_average() -> list[float]:
    """The 1, 5 and 15 minute load: a busy machine makes slower numbers."""
    return [round(value, 2) for value in os.getloadavg()]


def git(*args: str) -> str:
    """A read-only git command's output, or "" outside a checkout."""
    try:
        return run_command([executable("git"), *args], timeout=20).stdout.strip()
    except BenchError:
        return ""


def version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def wrk_version() -> str:
    output = run_command([executable("wrk"), "--version"], timeout=10, check=False)
    first_line = (output.stdout + output.stderr).splitlines()[0]
    return " ".join(first_line.split()[:2])  # "wrk debian/4.1.0-3+b2"


def machine_info() -> dict[str, object]:
    """nproc, CPU, memory, kernel, load, versions and the commit measured."""
    return {
        "nproc": len(os.sched_getaffinity(0)),
        "cpu_model": cpu_model(),
        "memory_mib": memory_mib(),
        "kernel": platform.release(),
        "load_average_at_start": load_average(),
        "python": platform.python_version(),
        "gunicorn": version("gunicorn"),
        "flask": version("flask"),
        "sqlalchemy": version("sqlalchemy"),
        "sqlite": sqlite3.sqlite_version,
        "wrk": wrk_version(),
        "git_commit": git("rev-parse", "HEAD"),
        # Uncommitted changes to tracked files: the numbers are for those too.
        "git_dirty": bool(git("status", "--porcelain", "--untracked-files=no")),
        "inherited_settings": inherited_settings(),
    }


def machine_line(info: dict[str, object]) -> str:
    """One line naming the machine, for tables and the README."""
    commit = str(info.get("git_commit", ""))[:10] or "unknown"
    dirty = " + uncommitted changes" if info.get("git_dirty") else ""
    return (
        f"{info['nproc']} cores ({info['cpu_model']}), "
        f"{int(info['memory_mib']) / 1024:.0f} GiB RAM, Linux {info['kernel']}, "
        f"Python {info['python']}, gunicorn {info['gunicorn']}, {info['wrk']}; "
        f"commit {commit}{dirty}"
    )
