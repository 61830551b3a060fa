"""Markdown tables from a run's results (the dictionary run.py saves as JSON).

Every figure printed comes from that dictionary: nothing here is typed in.
"""

from __future__ import annotations

from typing import Any

from bench.cases import ANCHOR_EQUIVALENT, LABELS
from bench.machine import machine_line

FEED_CASES = {"feed_rss", "feed_atom", "feed_json", "feed_304", "comments_feed"}
CASE_ORDER = list(LABELS)


def rate(value: float) -> str:
    """Requests a second, as precise as is meaningful."""
    if value >= 100:
        return f"{value:,.0f}"
    return f"{value:.1f}"


def millis(value: float) -> str:
    if value >= 100:
        return f"{value:,.0f} ms"
    return f"{value:.1f} ms"


def high(result: dict[str, Any] | None) -> dict[str, Any] | None:
    """The c=16 summary of a case result, or None when it was not measured."""
    if not result or "c16" not in result:
        return None
    return result["c16"]


def rate_and_p99(result: dict[str, Any] | None) -> str:
    summary = high(result)
    if summary is None:
        return f"skipped: {result['skipped']}" if result else "–"
    if not summary["rps_median"]:
        return "0 (no answer within the run)"
    return f"{rate(summary['rps_median'])} · {millis(summary['p99_ms_median'])}"


def ratio(ours: dict[str, Any] | None, theirs: dict[str, Any] | None) -> str:
    mine, other = high(ours), high(theirs)
    if mine is None or other is None or not other["rps_median"]:
        return "–"
    return f"{mine['rps_median'] / other['rps_median']:,.1f}×"


def ceiling_share(key: str, results: dict[str, Any]) -> str:
    """Ours as a share of the bare-Flask ceiling for the same kind of answer."""
    if key.startswith("ceiling") or key == "write":
        return ""
    ceiling_key = "ceiling_feed" if key in FEED_CASES else "ceiling_page"
    mine, ceiling = (
        high(results["blog"].get(key)),
        high(results["ceiling"].get(ceiling_key)),
    )
    if mine is None or ceiling is None or not ceiling["rps_median"]:
        return "–"
    return f"{100 * mine['rps_median'] / ceiling['rps_median']:.0f} %"


def comparison_table(results: dict[str, Any]) -> str:
    """One row a case: ours at c=16, share of the ceiling, each reference
    blog measured in the same run and the ratio to it."""
    anchors = results.get("anchors", {})
    connections = results["settings"]["connections"]
    header = [f"case (c={connections}, medians)", "blog req/s · p99", "of ceiling"]
    for name in anchors:
        header += [f"{name} req/s · p99", f"blog ÷ {name}"]
    lines = [row(header), row(["---"] * len(header))]
    ours = {**results["blog"], **results["ceiling"]}
    for key in CASE_ORDER:
        if key not in ours:
            continue
        cells = [LABELS[key], rate_and_p99(ours[key]), ceiling_share(key, results)]
        for cases in anchors.values():
            theirs = cases.get(ANCHOR_EQUIVALENT.get(key, key))
            if key.startswith("ceiling") or key == "write":
                theirs = None
            note = " (anonymous)" if key in ANCHOR_EQUIVALENT and theirs else ""
            cells += [rate_and_p99(theirs) + note if theirs else "–"]
            cells += [ratio(ours[key], theirs)]
        lines.append(row(cells))
    return "\n".join(lines)


def detail_table(results: dict[str, Any]) -> str:
    """Ours in full: both concurrencies, errors, sizes, SQL per request."""
    header = [
        "case",
        "c=1 req/s",
        "c=1 p50 · p99",
        "c=16 req/s",
        "c=16 p50 · p99",
        "socket errors / ≥400",
        "body bytes",
        "SQL cold / warm",
    ]
    lines = [row(header), row(["---"] * len(header))]
    ours = {**results["blog"], **results["ceiling"]}
    for key in CASE_ORDER:
        result = ours.get(key)
        if result is None:
            continue
        lines.append(row(detail_cells(key, result, results.get("queries", {}))))
    return "\n".join(lines)


def detail_cells(key: str, result: dict[str, Any], queries: dict) -> list[str]:
    low, top = result.get("c1"), result.get("c16")
    count = queries.get(key)
    sql = f"{count['cold']} / {count['warm']}" if count else "–"
    if top is None:
        return [LABELS[key], "–", "–", "–", result.get("skipped", "–"), "–", "–", sql]
    errors = sum(s["socket_errors"] for s in (low, top) if s)
    bad = sum(s["non_2xx_3xx"] for s in (low, top) if s)
    return [
        LABELS[key],
        rate(low["rps_median"]) if low else "–",
        latency_pair(low) if low else "–",
        rate(top["rps_median"]),
        latency_pair(top),
        f"{errors} / {bad}",
        f"{result['body_bytes']:,}" if "body_bytes" in result else "–",
        sql,
    ]


def latency_pair(summary: dict[str, Any]) -> str:
    return f"{summary['p50_ms_median']:.1f} · {summary['p99_ms_median']:.1f} ms"


def write_summary(results: dict[str, Any]) -> str:
    """The write case in words: acknowledged vs stored, rate, errors."""
    write = results["blog"].get("write")
    if not write or "c16" not in write:
        reason = write.get("skipped", "not run") if write else "not run"
        return f"Write case: {reason}."
    in_flight = write["stored"] - write["acknowledged"]
    return (
        f"Write case ({write['users']} logged-in users, "
        f"{len(write['c16']['runs'])} × {results['settings']['seconds']} s): "
        f"{write['comments_per_second_median']:,.0f} comments/s stored (median), "
        f"{write['acknowledged']:,} acknowledged (303), {write['stored']:,} stored "
        f"({in_flight:+,} answered after wrk stopped listening), "
        f"{write['acknowledged_not_stored']:,} acknowledged but not stored; "
        f"statuses {write['statuses']}; "
        f"{write['c16']['socket_errors']} socket errors; article comment_count "
        f"{'matches' if write['comment_count_matches'] else 'DOES NOT match'} "
        "the visible comments."
    )


def memory_summary(results: dict[str, Any]) -> str:
    """Workers' memory, the reference blogs' memory, and whether drafts and
    scheduled articles stayed hidden."""
    lines = []
    unpublished = results.get("checks", {}).get("unpublished")
    if unpublished:
        verdict = "stay hidden" if unpublished["hidden"] else "ARE VISIBLE"
        lines.append(
            f"drafts and scheduled articles {verdict}: {unpublished['statuses']}"
        )
    for name in ("blog", "ceiling"):
        memory = results.get("memory", {}).get(name)
        if not memory:
            continue
        rest, after = memory["at_rest"].values(), memory["after"].values()
        lines.append(
            f"{name} gunicorn workers ({len(memory['at_rest'])}): at rest "
            f"{span(rest)} MiB, after the run {span(after)} MiB, largest seen "
            f"{memory['peak_mib']} MiB"
            + (f" ({memory['workers_replaced']} replaced by max_requests)"
               if memory.get("workers_replaced") else "")
        )  # fmt: skip
    if results.get("checks", {}).get("server_errors"):
        lines.append("the blog's server logged a traceback (see the JSON)")
    for name, value in results.get("anchor_memory_mib", {}).items():
        lines.append(f"{name}: {value} MiB resident after its run (all processes)")
    return "\n".join(f"- {line}" for line in lines)


def span(values: Any) -> str:
    values = sorted(values)
    if not values:
        return "–"
    return f"{values[0]}" if values[0] == values[-1] else f"{values[0]}–{values[-1]}"


def row(cells: list[str]) -> str:
    return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"


def markdown(results: dict[str, Any]) -> str:
    """The whole report: machine, comparison, details, writes, memory."""
    settings = results["settings"]
    parts = [
        f"## Bench {results['date']} on {results['database']['kind']}",
        "",
        f"Machine: {machine_line(results['machine'])}.",
        f"Load: wrk, c=1 ({settings['c1_runs']} × {settings['c1_seconds']} s) and "
        f"c={settings['connections']} ({settings['runs']} × {settings['seconds']} s), "
        f"medians; command `{results['command']}`; took {results['elapsed_s']:.0f} s.",
        f"Load average (1 min) when the bench started: "
        f"{results['machine']['load_average_at_start'][0]} on "
        f"{results['machine']['nproc']} cores (other processes at work then "
        "make every figure lower; each case's load is in the JSON).",
        "",
        comparison_table(results),
        "",
        write_summary(results),
        "",
        detail_table(results),
        "",
        memory_summary(results),
    ]
    for name, error in results.get("anchor_errors", {}).items():
        parts.append(f"- {name} could not be measured: {error.splitlines()[-1]}")
    return "\n".join(parts) + "\n"
