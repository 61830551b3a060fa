"""Lighthouse scores of the home page, an article with a cover image, a page
and an author's page, and of the owner's studio pages (settings, menus, the
page editor, the profile), mobile and desktop, on the demo blog served by
gunicorn. The studio is audited logged in as the demo author made admin.

    make lighthouse         (or: .venv/bin/python -m bench.lighthouse)

Installs lighthouse 12.2.3 from npm into bench/.lighthouse/ the first time
(12.2.3: the newest that runs on Node 20), drives Debian's Chromium (never a
downloaded browser), saves each JSON report under bench/results/lighthouse/,
prints the scores and the audits that cost points, and exits 1 when a score
is under its floor: 100 for accessibility, best practices and SEO, 95 for
performance (the studio's pages, which ask not to be indexed, have no SEO
floor).
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import sqlite3
import subprocess  # nosec B404 # npm and lighthouse, with arguments we made
import sys
import tempfile
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

from blog.demo.content import DEMO_AUTHOR_EMAIL
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.browser.screenshots import demo_site

BENCH = Path(__file__).resolve().parent
INSTALL = BENCH / ".lighthouse"
LIGHTHOUSE = INSTALL / "node_modules" / ".bin" / "lighthouse"
RESULTS = BENCH / "results" / "lighthouse"
VERSION = "12.2.3"
FLOORS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
FORM_FACTORS = ("mobile", "desktop")
DEMO_AUTHOR_SLUG = "ada-demo"


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


def audit(url: str, form_factor: str, report: Path, cookie: str = "") -> dict[str, Any]:
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
    if cookie:
        command.append(f"--extra-headers={json.dumps({'Cookie': cookie})}")
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


def admin_cookie(folder: Path, url: str, password: str) -> str:
    """The session cookie of the demo author, made admin: the studio's owner
    pages need one."""
    database = sqlite3.connect(folder / "blog.sqlite")
    with database:
        database.execute(
            "UPDATE users SET role = 'admin' WHERE email = ?", (DEMO_AUTHOR_EMAIL,)
        )
    database.close()
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    login_page = opener.open(f"{url}/auth/login").read().decode()  # nosec B310
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', login_page)
    assert token, "the login form has no CSRF token"  # noqa: S101
    form = {"email": DEMO_AUTHOR_EMAIL, "password": password, "csrf_token": token[1]}
    data = urllib.parse.urlencode(form).encode()
    opener.open(f"{url}/auth/login", data=data)  # nosec B310 # our own server
    return "; ".join(f"{cookie.name}={cookie.value}" for cookie in jar)


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
        url, password, slug, _article_id = site
        cookie = admin_cookie(Path(folder), url, password)
        pages = {
            "home": (f"{url}/", ""),
            "article with a cover": (f"{url}/articles/{slug}", ""),
            "page": (f"{url}/about", ""),
            "author": (f"{url}/author/{DEMO_AUTHOR_SLUG}", ""),
            "settings": (f"{url}/studio/settings", cookie),
            "menus": (f"{url}/studio/navigation", cookie),
            "page editor": (f"{url}/studio/articles/new?kind=page", cookie),
            "profile": (f"{url}/studio/profile", cookie),
        }
        for page, (address, sent_cookie) in pages.items():
            for form_factor in FORM_FACTORS:
                name = f"{page.replace(' ', '-')}-{form_factor}"
                report = RESULTS / f"{name}.json"
                result = audit(address, form_factor, report, sent_cookie)
                got = scores(result)
                rows.append((page, form_factor, got))
                for category, floor in FLOORS.items():
                    # The studio asks search engines not to index it: SEO
                    # is scored and shown, but no floor applies.
                    if sent_cookie and category == "seo":
                        continue
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
