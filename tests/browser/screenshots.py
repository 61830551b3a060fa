"""The README's screenshots: the demo blog in headless Chromium, light and dark.

    make screenshots        (or: .venv/bin/python -m tests.browser.screenshots)

Loads the demo content (`flask demo`) into a fresh SQLite database, serves it
with gunicorn on 127.0.0.1 and saves, under docs/screenshots/, the home page,
an article, its comments and the studio editor at 1280 px, and the home
page and article on a 360 px phone, each in light and dark mode.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from unittest import mock

from flask_migrate import upgrade
from sqlalchemy import select

from blog import create_app
from blog.demo.content import load_demo
from blog.extensions import db
from blog.models import Article
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.test_comments_load import free_port, gunicorn

REPOSITORY = Path(__file__).resolve().parents[2]
OUTPUT = REPOSITORY / "docs" / "screenshots"
SITE = {
    "BLOG_SITE_NAME": "Field Notes",
    "BLOG_SITE_TAGLINE": "Essays on writing for the open web",
    "BLOG_SITE_DESCRIPTION": "A small blog about feeds, plain HTML and the "
    "habits that keep a site alive for years.",
}
DESKTOP = {"width": 1280, "height": 860}
PHONE = {"width": 360, "height": 780}


@contextmanager
def demo_site(folder: Path) -> Iterator[tuple[str, str, str, int]]:
    """(base URL, the demo author's password, the slug and id of the most
    discussed article with a cover), served until the block ends."""
    url = f"http://127.0.0.1:{free_port()}"
    environment = {
        **os.environ,
        **SITE,
        "BLOG_INSTANCE_PATH": str(folder / "instance"),
        "BLOG_DATABASE_URL": f"sqlite:///{folder / 'blog.sqlite'}",
        "BLOG_SECRET_KEY": "screenshots",
        "BLOG_SITE_URL": url,
        "BLOG_REQUEST_LOG": "0",
    }
    with mock.patch.dict(os.environ, environment):
        # Testing mode loads the migrations, as `flask db upgrade` would.
        app = create_app({"TESTING": True})
        with app.app_context():
            upgrade()
            demo = load_demo()
            # The most discussed of the articles with a cover.
            slug, article_id = db.session.execute(
                select(Article.slug, Article.id)
                .where(Article.cover_id.is_not(None))
                .order_by(Article.comment_count.desc())
                .limit(1)
            ).one()
            db.engine.dispose()
    assert demo.password and slug
    port = int(url.rsplit(":", 1)[1])
    with gunicorn(environment, folder / "gunicorn.log", workers=1, port=port):
        yield url, demo.password, slug, article_id


def take(
    browser: Any, url: str, password: str, slug: str, article_id: int
) -> list[Path]:
    OUTPUT.mkdir(parents=True, exist_ok=True)
    saved = []
    for scheme in ("light", "dark"):
        shots = [
            ("home", "/", DESKTOP, False),
            ("article", f"/articles/{slug}", DESKTOP, False),
            ("comments", f"/articles/{slug}#comments", DESKTOP, False),
            ("editor", None, DESKTOP, True),
            ("phone-home", "/", PHONE, False),
            ("phone-article", f"/articles/{slug}", PHONE, False),
        ]
        for name, path, viewport, as_author in shots:
            context = browser.new_context(
                viewport=viewport, color_scheme=scheme, device_scale_factor=1
            )
            page = context.new_page()
            if as_author:
                log_in(page, url, password)
                page.goto(f"{url}/studio/articles/{article_id}/edit")
                page.wait_for_selector(".live-preview .body p")
            else:
                page.goto(url + path)
            page.evaluate("document.fonts.ready")
            target = OUTPUT / f"{name}-{scheme}.png"
            page.screenshot(path=str(target))
            saved.append(target)
            context.close()
    return saved


def log_in(page: Any, url: str, password: str) -> None:
    page.goto(url + "/auth/login")
    page.get_by_label("Email").fill("demo@example.com")
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(url + "/")


def main() -> int:
    if not Path(CHROMIUM).exists():
        print(
            f"Chromium is not at {CHROMIUM}: apt-get install chromium", file=sys.stderr
        )
        return 1
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder, demo_site(Path(folder)) as site:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=CHROMIUM_ARGS
            )
            saved = take(browser, *site)
            browser.close()
    for path in saved:
        print(path.relative_to(REPOSITORY))
    return 0


if __name__ == "__main__":
    sys.exit(main())
