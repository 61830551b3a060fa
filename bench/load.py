"""Load from wrk: one run, and the medians of several.

wrk reports through bench/lua/report.lua (or writes.lua), which prints the
run's summary as one JSON line; nothing here scrapes wrk's human output.
"""

from __future__ import annotations

import json
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from bench.common import BENCH, LOOPBACK, BenchError, executable, run_command

LUA = BENCH / "lua"
READS_SCRIPT = LUA / "report.lua"
WRITES_SCRIPT = LUA / "writes.lua"
# Long enough for the slowest reference page (WordPress's 200-comment post has a
# p99 near 7 s): a slow answer is measured, not dropped as a timeout.
WRK_TIMEOUT_S = 30
MARKER = "WRK_JSON "


@dataclass
class Run:
    """One wrk run, as wrk's done() hook reported it."""

    connections: int
    requests: int
    seconds: float
    bytes: int
    errors: dict[str, int]
    latency_us: dict[str, float]
    statuses: dict[str, int] = field(default_factory=dict)
    # Write case: the comment ids the 303 answers named.
    acknowledged_ids: list[int] = field(default_factory=list, repr=False)

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def socket_errors(self) -> int:
        return sum(self.errors[key] for key in ("connect", "read", "write", "timeout"))

    @property
    def bad_statuses(self) -> int:
        """Answers that were not 2xx or 3xx (wrk counts status >= 400)."""
        return self.errors["status"]


@dataclass
class Summary:
    """Several runs of one case at one concurrency: medians and totals."""

    connections: int
    runs: list[Run]

    @property
    def rps(self) -> float:
        return statistics.median(run.rps for run in self.runs)

    @property
    def p50_ms(self) -> float:
        return statistics.median(run.latency_us["p50"] for run in self.runs) / 1000

    @property
    def p99_ms(self) -> float:
        return statistics.median(run.latency_us["p99"] for run in self.runs) / 1000

    @property
    def socket_errors(self) -> int:
        return sum(run.socket_errors for run in self.runs)

    @property
    def bad_statuses(self) -> int:
        return sum(run.bad_statuses for run in self.runs)

    @property
    def bytes_per_response(self) -> float:
        requests = sum(run.requests for run in self.runs)
        return sum(run.bytes for run in self.runs) / requests if requests else 0.0

    def as_dict(self) -> dict[str, object]:
        return {
            "connections": self.connections,
            "rps_median": round(self.rps, 1),
            "p50_ms_median": round(self.p50_ms, 2),
            "p99_ms_median": round(self.p99_ms, 2),
            "socket_errors": self.socket_errors,
            "non_2xx_3xx": self.bad_statuses,
            "bytes_per_response_with_headers": round(self.bytes_per_response),
            "runs": [run_dict(run) for run in self.runs],
        }


def run_dict(run: Run) -> dict[str, object]:
    """A run for the results file: ids are checked, not kept."""
    data = asdict(run) | {"rps": round(run.rps, 1)}
    del data["acknowledged_ids"]
    return data


def threads_for(connections: int) -> int:
    """wrk threads: 1 for a single connection, 2 otherwise (2-core machines)."""
    return 1 if connections == 1 else 2


def wrk(
    url: str,
    *,
    connections: int,
    seconds: int,
    headers: Mapping[str, str] | None = None,
    script: Path = READS_SCRIPT,
    script_args: Sequence[str] = (),
) -> Run:
    """One wrk run against a URL on 127.0.0.1; raises BenchError when wrk
    fails or reports nothing. Bounded: wrk is killed `seconds + 60` s in."""
    if not url.startswith(f"http://{LOOPBACK}:"):
        raise BenchError(f"refusing to load {url}: 127.0.0.1 only")
    command = [
        executable("wrk"),
        f"--threads={threads_for(connections)}",
        f"--connections={connections}",
        f"--duration={seconds}s",
        f"--timeout={WRK_TIMEOUT_S}s",
        "--latency",
        f"--script={script}",
    ]
    for name, value in (headers or {}).items():
        command.append(f"--header={name}: {value}")
    command.append(url)
    if script_args:
        command += ["--", *script_args]
    result = run_command(command, timeout=seconds + 60, cwd=BENCH)
    return parse(result.stdout, connections)


def parse(output: str, connections: int) -> Run:
    """The Run in wrk's output (the line our Lua hook printed)."""
    for line in output.splitlines():
        if line.startswith(MARKER):
            data = json.loads(line[len(MARKER) :])
            return Run(
                connections=connections,
                requests=data["requests"],
                seconds=data["duration_us"] / 1e6,
                bytes=data["bytes"],
                errors=data["errors"],
                latency_us=data["latency_us"],
                statuses=data.get("statuses", {}),
                acknowledged_ids=data.get("acknowledged_ids", []),
            )
    raise BenchError(f"wrk printed no summary:\n{output[-2000:]}")


def measure(
    url: str,
    *,
    connections: int,
    runs: int,
    seconds: int,
    headers: Mapping[str, str] | None = None,
) -> Summary:
    """`runs` wrk runs of `seconds` each, one after the other."""
    return Summary(
        connections,
        [
            wrk(url, connections=connections, seconds=seconds, headers=headers)
            for _ in range(runs)
        ],
    )
