"""A live server on 127.0.0.1 and Debian's headless Chromium driven by
Playwright. These tests are marked `browser`: `make test` leaves them out and
.ci/run runs them once Chromium is installed."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator

import pytest
from flask import Flask
from werkzeug.serving import make_server

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
def browser_page() -> Iterator[object]:
    """A fresh page; console errors and CSP violations are collected on it."""
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        try:
            page = browser.new_page()
            page.problems = []  # type: ignore[attr-defined]
            page.on(
                "console",
                lambda message: (
                    message.type == "error" and page.problems.append(message.text)
                ),  # type: ignore[attr-defined]
            )
            yield page
        finally:
            browser.close()
