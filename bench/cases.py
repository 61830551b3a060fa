"""The cases: what is requested on each site, and how one case is measured.

Every site's cases share keys ("home", "article10", "feed_304"...), so a
table can put the blog's figure beside WordPress's and Ghost's for the same
kind of page.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from bench.common import fetch, log
from bench.load import measure
from bench.seed import Manifest

# Row labels, in table order.
LABELS = {
    "home": "home",
    "article10": "article, 10 comments",
    "article200": "article, 200 comments",
    "category": "category",
    "tag": "tag",
    "search": "search",
    "feed_rss": "RSS feed",
    "feed_atom": "Atom feed",
    "feed_json": "JSON feed",
    "feed_304": "RSS feed, If-None-Match (304)",
    "comments_feed": "site comment feed",
    "logged_in": "article, logged-in reader",
    "write": "write: 16 users commenting",
    "ceiling_page": "ceiling: bare Flask, 20 KB page",
    "ceiling_feed": "ceiling: bare Flask, prebuilt feed",
}
# What a case is compared with on the reference sites when they have no such
# page: they have no logged-in page view, so their anonymous article page.
ANCHOR_EQUIVALENT = {"logged_in": "article10"}


@dataclass
class Case:
    """One URL to load, with its headers. A conditional case first GETs the
    path for its ETag and sends it back as If-None-Match, expecting 304."""

    key: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    conditional: bool = False

    @property
    def label(self) -> str:
        return LABELS.get(self.key, self.key)

    @property
    def expected_status(self) -> int:
        return 304 if self.conditional else 200


@dataclass
class Settings:
    """How long and how hard to load each case."""

    runs: int
    seconds: int
    c1_runs: int
    c1_seconds: int
    connections: int = 16


def blog_cases(manifest: Manifest, reader_cookie: str) -> list[Case]:
    """The blog's read cases on the seeded data (the write case is apart)."""
    return [
        Case("home", "/"),
        Case("article10", f"/articles/{manifest.article10}"),
        Case("article200", f"/articles/{manifest.article200}"),
        Case("category", f"/category/{manifest.category}"),
        Case("tag", f"/tag/{manifest.tag}"),
        Case("search", f"/search?q={manifest.search_word}"),
        Case("feed_rss", "/feed.xml"),
        Case("feed_atom", "/atom.xml"),
        Case("feed_json", "/feed.json"),
        Case("feed_304", "/feed.xml", conditional=True),
        Case("comments_feed", "/comments/feed.xml"),
        Case(
            "logged_in",
            f"/articles/{manifest.article10}",
            headers={"Cookie": reader_cookie},
        ),
    ]


def ceiling_cases() -> list[Case]:
    return [Case("ceiling_page", "/"), Case("ceiling_feed", "/feed.xml")]


def prepare_headers(base_url: str, case: Case) -> tuple[dict[str, str], str | None]:
    """The headers to load the case with, or a reason it cannot be measured:
    the page must answer the status the case expects (304 for a conditional
    case, else 200) before any load is sent."""
    headers = dict(case.headers)
    if case.conditional:
        first = fetch(base_url, case.path, headers=headers)
        etag = first.headers.get("ETag")
        if first.status != 200 or not etag:
            return headers, f"GET answered {first.status} without an ETag"
        headers["If-None-Match"] = etag
    check = fetch(base_url, case.path, headers=headers)
    if check.status != case.expected_status:
        where = check.headers.get("Location", "")
        return headers, f"expected {case.expected_status}, got {check.status} {where}"
    return headers, None


def measure_case(base_url: str, case: Case, settings: Settings) -> dict[str, object]:
    """Check the case answers as expected, then load it at c=1 and c=16.
    Returns everything measured, or the reason it was skipped."""
    result: dict[str, object] = {"key": case.key, "label": case.label}
    # Another busy process on the machine slows every figure: say so.
    result["load_average_before"] = round(os.getloadavg()[0], 2)
    result["path"] = case.path
    result["headers"] = headers_without_cookie(case.headers)
    try:
        headers, problem = prepare_headers(base_url, case)
        answer = fetch(base_url, case.path, headers=headers)
    except OSError as error:  # refused, reset or timed out: no load on a dead page
        problem = f"the check request failed: {error!r}"
        log(f"  {case.key}: skipped, {problem}")
        return result | {"skipped": problem}
    result["status"] = answer.status
    result["body_bytes"] = len(answer.body)
    if problem:
        log(f"  {case.key}: skipped, {problem}")
        result["skipped"] = problem
        return result
    url = base_url + case.path
    if settings.c1_runs:
        low = measure(
            url,
            connections=1,
            runs=settings.c1_runs,
            seconds=settings.c1_seconds,
            headers=headers,
        )
        result["c1"] = low.as_dict()
    high = measure(
        url,
        connections=settings.connections,
        runs=settings.runs,
        seconds=settings.seconds,
        headers=headers,
    )
    result["c16"] = high.as_dict()
    log(
        f"  {case.key}: {high.rps:,.0f} req/s at c={settings.connections}, "
        f"p99 {high.p99_ms:.1f} ms, {len(answer.body):,} bytes"
    )
    return result


def wait_until_idle(
    base_url: str, path: str, headers: Mapping[str, str], timeout: float = 180
) -> float:
    """Wait until the server answers `path` within a second again: wrk's
    connections are closed, but a server may still be working through
    requests they sent (a page taking seconds leaves a queue), and the next
    case must not start behind that queue. Returns the seconds waited."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        asked = time.monotonic()
        try:
            fetch(base_url, path, headers=headers, timeout=10)
            if time.monotonic() - asked < 1:
                break
        except OSError:
            pass
        time.sleep(0.5)
    return round(time.monotonic() - started, 1)


def measure_all(
    base_url: str,
    cases: list[Case],
    settings: Settings,
    after_each: Callable[[str], None] | None = None,
    idle_path: str = "/",
) -> dict[str, dict[str, object]]:
    """measure_case for each case, keyed by case, each starting on an idle
    server; after_each(key), if given, is called after every case (to
    sample memory)."""
    results = {}
    for case in cases:
        results[case.key] = measure_case(base_url, case, settings)
        host = {"Host": case.headers["Host"]} if "Host" in case.headers else {}
        waited = wait_until_idle(base_url, idle_path, host)
        results[case.key]["idle_wait_s"] = waited
        if waited > 2:
            log(f"  {case.key}: the server took {waited:.0f} s to become idle again")
        if after_each is not None:
            after_each(case.key)
    return results


def headers_without_cookie(headers: Mapping[str, str]) -> dict[str, str]:
    """Headers fit for the results file: a session cookie is a credential."""
    return {name: value for name, value in headers.items() if name != "Cookie"}
