"""What a person sees in a real browser: pages that load cleanly, a keyboard
that reaches the content, and the comment form that works without script."""

from __future__ import annotations

import re

from blog.models import Role
from tests.factories import PASSWORD, make_article, make_category, make_user


def publish(live_app) -> None:  # noqa: ANN001
    with live_app.app_context():
        make_article(
            title="A Page in a Browser",
            slug="in-a-browser",
            category=make_category("News"),
            body_markdown="## Part one\n\nSome `code` and *emphasis*.\n",
        )


def test_pages_load_with_no_console_error_or_csp_violation(
    live_app, live_url, browser_page
) -> None:
    publish(live_app)
    requested_hosts: set[str] = set()
    browser_page.on(
        "request", lambda request: requested_hosts.add(request.url.split("/")[2])
    )
    for path in ["/", "/articles/in-a-browser", "/category/news", "/search?q=code"]:
        response = browser_page.goto(live_url + path)
        assert response.status == 200, path
    browser_page.goto(live_url + "/subscribe")

    assert browser_page.problems == []
    assert requested_hosts == {live_url.split("/")[2]}  # nothing from elsewhere


def test_the_keyboard_reaches_the_content_first(
    live_app, live_url, browser_page
) -> None:
    publish(live_app)
    browser_page.goto(live_url + "/articles/in-a-browser")

    browser_page.keyboard.press("Tab")
    focused = browser_page.evaluate("document.activeElement.textContent")
    browser_page.keyboard.press("Enter")

    assert focused.strip() == "Skip to content"
    # The address changes after the key is handled: wait for it, or fail.
    browser_page.wait_for_url(re.compile(r".*#main$"), timeout=5000)


def test_a_reader_logs_in_and_comments_with_no_script_on_the_page(
    live_app, live_url, browser_page
) -> None:
    publish(live_app)
    with live_app.app_context():
        make_user(email="reader@example.com", display_name="Rita", role=Role.READER)
    browser_page.goto(live_url + "/articles/in-a-browser")
    assert browser_page.locator("script:not([type='application/ld+json'])").count() == 0

    browser_page.get_by_role("link", name="Log in to comment").click()
    browser_page.get_by_label("Email").fill("reader@example.com")
    browser_page.get_by_label("Password").fill(PASSWORD)
    browser_page.get_by_role("button", name="Log in").click()
    browser_page.get_by_label("Your comment").fill("Read it in **Chromium**.")
    browser_page.get_by_role("button", name="Post comment").click()

    assert browser_page.url.split("#")[0].endswith("/articles/in-a-browser")
    assert browser_page.get_by_text("awaiting moderation").first.is_visible()
    assert browser_page.locator("strong", has_text="Chromium").count() == 1
    assert browser_page.problems == []
