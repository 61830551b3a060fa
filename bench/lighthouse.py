"""Lighthouse scores of the home page and an article with a cover image,
mobile and desktop, on the demo blog served by gunicorn.

    make lighthouse         (or: .venv/bin/python -m bench.lighthouse)

Installs lighthouse 12.2.3 from npm into bench/.lighthouse/ the first time
(12.2.3: the newest that runs on Node 20), drives Debian's Chromium (never a
downloaded browser), saves each JSON report under bench/results/lighthouse/,
prints the scores and the audits that cost points, and exits 1 when a score
is under its floor: 100 for accessibility, best practices and SEO, 95 for
performance.
"""

from __future__ import annotations

import json
import os
import subprocess  # nosec B404 # npm and lighthouse, with arguments we made
import sys
import tempfile
from pathlib import Path
from typing import Any

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.browser.screenshots import demo_site

BENCH = Path(__file__).resolve().parent
INSTALL = BENCH / ".lighthouse"
LIGHTHOUSE = INSTALL / "node_modules" / ".bin" / "lighthouse"
RESULTS = BENCH / "results" / "lighthouse"
VERSION = "12.2.3"
FLOORS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
FORM_FACTORS = ("mobile", "desktop")


def install() -> None:
    if LIGHTHOUSE.exists():
        return
    INSTALL.mkdir(parents=True, exist_ok=True)
    subprocess.run(  # nosec B603 B607 # noqa: S603 # npm from PATH, our arguments
        ["npm", "install",  # noqa: S607 "--prefix", str(INSTALL), "--no-audit", "--no-fund",
         "--save-exact", f"lighthouse@{VERSION}"],
        check=True,
        env={**os.environ, "PUPPETEER_SKIP_DOWNLOAD": "1"},
    )  # fmt: skip


def audit(url: str, form_factor: str, report: Path) -> dict[str, Any]:
    command = [
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={report}",
        f"--only-categories={','.join(FLOORS)}",
        f"--chrome-flags={' '.join(CHROMIUM_ARGS)}",
    ]
    if form_factor == "desktop":
        command.append("--preset=desktop")
    subprocess.run(  # nosec B603 # noqa: S603 # our own command line
        command, check=True, env={**os.environ, "CHROME_PATH": CHROMIUM}
    )
    return dict(json.loads(report.read_text()))


def scores(result: dict[str, Any]) -> dict[str, int]:
    return {
        name: round((result["categories"][name]["score"] or 0) * 100) for name in FLOORS
    }


def lost_points(result: dict[str, Any], category: str) -> list[str]:
    """The audits of a category that did not pass, with what they measured."""
    lost = []
    for reference in result["categories"][category]["auditRefs"]:
        found = result["audits"][reference["id"]]
        if reference["weight"] and found["score"] is not None and found["score"] < 1:
            shown = found.get("displayValue", "")
            lost.append(f"{found['title']} ({found['score']:.2f}) {shown}".strip())
    return lost


def main() -> int:
    if not Path(CHROMIUM).exists():
        print(
            f"Chromium is not at {CHROMIUM}: apt-get install chromium", file=sys.stderr
        )
        return 2
    install()
    RESULTS.mkdir(parents=True, exist_ok=True)
    failures = []
    rows = []
    with tempfile.TemporaryDirectory() as folder, demo_site(Path(folder)) as site:
        url, _password, slug, _article_id = site
        pages = {"home": f"{url}/", "article with a cover": f"{url}/articles/{slug}"}
        for page, address in pages.items():
            for form_factor in FORM_FACTORS:
                name = f"{page.replace(' ', '-')}-{form_factor}"
                result = audit(address, form_factor, RESULTS / f"{name}.json")
                got = scores(result)
                rows.append((page, form_factor, got))
                for category, floor in FLOORS.items():
                    if got[category] < floor:
                        failures.append((name, category, lost_points(result, category)))
    print(f"{'page':<22}{'device':<9}" + "".join(f"{name:>16}" for name in FLOORS))
    for page, form_factor, got in rows:
        print(f"{page:<22}{form_factor:<9}" + "".join(f"{got[n]:>16}" for n in FLOORS))
    for name, category, lost in failures:
        print(f"\n{name}: {category} under {FLOORS[category]}:")
        for line in lost:
            print(f"  - {line}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
