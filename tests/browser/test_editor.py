"""The studio editor in a real browser: the preview follows the typing with
no page load, and nothing typed is lost when the author leaves the page,
when the session ends, or when the browser goes away without warning.
Without JavaScript the same form still previews, saves and publishes."""

from __future__ import annotations

from typing import Any

from blog.extensions import db
from blog.models import Article, ArticleStatus, User
from tests.browser.live_site import LiveSite
from tests.factories import PASSWORD, make_article

AUTHOR_EMAIL = "author@example.com"


def draft_of_the_author(site: LiveSite, title: str) -> int:
    with site.app.app_context():
        author = db.session.scalars(User.select_by_email(AUTHOR_EMAIL)).one()
        article = make_article(
            title=title,
            author=author,
            status=ArticleStatus.DRAFT,
            published_at=None,
            body_markdown="The first line.\n",
        )
        return article.id


def open_editor(chromium: Any, state: Any, site: LiveSite, article_id: int) -> Any:
    context = chromium.new_context(storage_state=state)
    page = context.new_page()
    page.goto(f"{site.url}/studio/articles/{article_id}/edit")
    return page


def type_at_the_end(page: Any, text: str) -> None:
    page.locator("#body").click()
    page.keyboard.press("Control+End")
    page.keyboard.type(text)


def log_in_again(page: Any, site: LiveSite, next_path: str) -> None:
    page.goto(f"{site.url}/auth/login?next={next_path}")
    page.get_by_label("Email").fill(AUTHOR_EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{site.url}{next_path}")


def test_the_preview_follows_the_text_without_a_page_load(
    site: LiveSite, chromium: Any, logins: dict[str, Any]
) -> None:
    article_id = draft_of_the_author(site, "Previewed as typed")
    page = open_editor(chromium, logins["author"], site, article_id)
    loads = []
    page.on("load", lambda _page: loads.append(1))

    type_at_the_end(page, "\n\nA **strong** claim.")

    page.locator(".live-preview strong", has_text="strong").wait_for()
    assert loads == []
    assert "words" in page.locator(".word-count").inner_text()
    page.context.close()


def test_text_typed_then_left_behind_comes_back(
    site: LiveSite, chromium: Any, logins: dict[str, Any]
) -> None:
    article_id = draft_of_the_author(site, "Left behind")
    page = open_editor(chromium, logins["author"], site, article_id)
    type_at_the_end(page, "\n\nWords written before wandering off.")
    page.get_by_text("Saved", exact=False).wait_for()
    warnings = []
    page.on("dialog", lambda dialog: (warnings.append(dialog.type), dialog.accept()))
    type_at_the_end(page, " More.")  # unsaved again: leaving warns

    page.close(run_before_unload=True)
    again = page.context.new_page()
    again.goto(f"{site.url}/studio/articles/{article_id}/edit")

    assert warnings == ["beforeunload"]
    assert "Words written before wandering off." in again.locator("#body").input_value()
    again.context.close()


def test_a_browser_that_vanishes_loses_nothing_saved_to_the_server(
    site: LiveSite, chromium: Any, logins: dict[str, Any]
) -> None:
    article_id = draft_of_the_author(site, "Crash")
    page = open_editor(chromium, logins["author"], site, article_id)
    type_at_the_end(page, "\n\nTyped just before the crash.")
    page.get_by_text("Saved", exact=False).wait_for()

    page.context.close()  # no unload handler runs, no local copy survives
    elsewhere = open_editor(chromium, logins["author"], site, article_id)

    assert "Typed just before the crash." in elsewhere.locator("#body").input_value()
    assert elsewhere.get_by_text("unsaved changes", exact=False).is_visible()
    elsewhere.context.close()


def test_text_typed_after_the_session_ended_survives_logging_in_again(
    site: LiveSite, chromium: Any, logins: dict[str, Any]
) -> None:
    article_id = draft_of_the_author(site, "Session ends")
    page = open_editor(chromium, logins["author"], site, article_id)
    page.context.clear_cookies()  # the session is gone, as after expiry

    type_at_the_end(page, "\n\nWritten while logged out.")

    page.locator(".autosave-state.failed").wait_for()
    assert "kept in this browser" in page.locator(".autosave-state").inner_text()
    edit_path = f"/studio/articles/{article_id}/edit"
    log_in_again(page, site, edit_path)
    assert "Written while logged out." in page.locator("#body").input_value()
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_load_state()
    with site.app.app_context():
        saved = db.session.get(Article, article_id)
        assert saved is not None
        assert "Written while logged out." in saved.body_markdown
    page.context.close()


def test_without_javascript_the_editor_previews_saves_and_publishes(
    site: LiveSite, chromium: Any, logins: dict[str, Any]
) -> None:
    context = chromium.new_context(
        storage_state=logins["author"], java_script_enabled=False
    )
    page = context.new_page()
    page.goto(f"{site.url}/studio/articles/new")
    page.get_by_label("Title").fill("Written with no script")
    page.get_by_label("Text (Markdown)").fill("Plain *HTML* forms still work.")

    page.get_by_role("button", name="Preview").click()
    assert page.locator(".live-preview em", has_text="HTML").is_visible()
    page.get_by_role("button", name="Save draft").click()
    assert "saved as a draft" in page.locator(".flashes").inner_text()
    page.get_by_role("button", name="Publish now").click()

    assert "is saved and public" in page.locator(".flashes").inner_text()
    page.goto(f"{site.url}/")
    assert page.get_by_role("link", name="Written with no script").is_visible()
    context.close()
