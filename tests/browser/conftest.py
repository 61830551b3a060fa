"""Debian's headless Chromium driven by Playwright, against the blog served
as in production (gunicorn, tests/browser/live_site.py) or, for the older
tests, a threaded server in the test process. Everything here is marked
`browser`; without Chromium or Playwright it is skipped with the reason."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import make_server

from tests.browser.live_site import ACCOUNTS, LiveSite, live_site
from tests.factories import PASSWORD

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveSite]:
    with live_site(tmp_path_factory.mktemp("live-site")) as running:
        yield running


@pytest.fixture(scope="session")
def logins(site: LiveSite, chromium: Any) -> dict[str, Any]:
    """Each account's cookies, from one login through the form."""
    states: dict[str, Any] = {"anonymous": None}
    for role, (email, _role) in ACCOUNTS.items():
        context = chromium.new_context()
        page = context.new_page()
        page.goto(site.url + "/auth/login")
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(site.url + "/")
        states[role] = context.storage_state()
        context.close()
    return states


@pytest.fixture
def live_app(app_factory) -> Flask:  # noqa: ANN001
    return app_factory(WTF_CSRF_ENABLED=True, SITE_URL="http://127.0.0.1")


@pytest.fixture
def live_url(live_app: Flask) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()


@pytest.fixture
def browser_page(chromium: Any) -> Iterator[Any]:
    """A fresh page; console errors and CSP violations are collected on it."""
    context = chromium.new_context()
    page = context.new_page()
    page.problems = []
    page.on(
        "console",
        lambda message: message.type == "error" and page.problems.append(message.text),
    )
    yield page
    context.close()
