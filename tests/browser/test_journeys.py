"""Three people's whole journeys through the blog, in headless Chromium
against gunicorn, each walked twice: with the mouse, then with the keyboard
alone (Tab to reach a control, Enter to use it, typing to fill it).

1. A reader arrives on an article, registers from the comment prompt, comes
   back to the article, comments, replies, edits and deletes.
2. A subscriber finds the page's feed from a visible link and from
   autodiscovery, opens it in the browser (readable) and fetches it as a
   feed reader would.
3. An author writes an article with a pasted image and a cover, watches the
   live preview, leaves and comes back, schedules it, publishes it and sees
   it on the home page in light and dark mode.

Every step saves a screenshot under build/journeys/ (BLOG_JOURNEY_SHOTS
names another folder); no page may log a console error or ask another origin.
"""

from __future__ import annotations

import base64
import io
import os
import re
import urllib.request
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import feedparser
import pytest
from PIL import Image

from blog.models import utcnow
from tests.browser.live_site import LiveSite
from tests.factories import PASSWORD

REPOSITORY = Path(__file__).resolve().parents[2]
SHOTS = Path(os.environ.get("BLOG_JOURNEY_SHOTS", REPOSITORY / "build" / "journeys"))
MODES = pytest.mark.parametrize(
    "keyboard_only", [False, True], ids=["mouse", "keyboard"]
)


class Hands:
    """Clicks and fills, or the same through the keyboard alone."""

    def __init__(self, page: Any, keyboard_only: bool) -> None:
        self.page, self.keyboard_only = page, keyboard_only

    def reach(self, locator: Any, limit: int = 150) -> None:
        """Tab until the control has the focus, as a keyboard user does."""
        locator.wait_for()
        target = locator.element_handle()
        for _ in range(limit):
            self.page.keyboard.press("Tab")
            if self.page.evaluate(
                "element => document.activeElement === element", target
            ):
                return
        raise AssertionError(f"Tab never reached {locator}")

    def use(self, locator: Any) -> None:
        if self.keyboard_only:
            self.reach(locator)
            self.page.keyboard.press("Enter")
        else:
            locator.click()

    def fill(self, locator: Any, text: str) -> None:
        if self.keyboard_only:
            self.reach(locator)
            self.page.keyboard.press("Control+A")
            self.page.keyboard.type(text)
        else:
            locator.fill(text)


class Journey:
    """A browser context for one journey: its page, hands, screenshots and
    the problems it saw (console errors, requests to other origins)."""

    def __init__(
        self, chromium: Any, site: LiveSite, name: str, **options: Any
    ) -> None:
        self.context = chromium.new_context(
            viewport={"width": 1280, "height": 900}, **options
        )
        self.page = self.context.new_page()
        self.site, self.name, self.step, self.problems = site, name, 0, []
        self.page.on(
            "console",
            lambda message: (
                message.type == "error"
                and self.problems.append(f"console: {message.text}")
            ),
        )
        self.page.on(
            "request",
            lambda request: (
                not request.url.startswith((site.url, "data:", "blob:"))
                and self.problems.append(f"other origin: {request.url}")
            ),
        )

    def go(self, path: str) -> None:
        self.page.goto(self.site.url + path)

    def shot(self, what: str) -> None:
        self.step += 1
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(
            path=str(SHOTS / f"{self.name}-{self.step:02d}-{what}.png")
        )

    def close(self) -> None:
        self.context.close()
        assert self.problems == []


@pytest.fixture
def journey(
    chromium: Any, site: LiveSite, request: pytest.FixtureRequest
) -> Iterator[Any]:
    opened: list[Journey] = []

    def start(name: str, **options: Any) -> Journey:
        opened.append(Journey(chromium, site, f"{request.node.name}-{name}", **options))
        return opened[-1]

    yield start
    for each in opened:
        each.close()


def focused_is(page: Any, selector: str) -> bool:
    return bool(page.evaluate(f"!!document.activeElement.closest({selector!r})"))


@MODES
def test_a_reader_registers_from_an_article_and_takes_part(
    site: LiveSite, journey: Any, keyboard_only: bool
) -> None:
    mode = "keyboard" if keyboard_only else "mouse"
    walk = journey("reader")
    page, hands = walk.page, Hands(walk.page, keyboard_only)
    article = f"/articles/{site.seeded.article_slug}"
    walk.go(article)
    walk.shot("arrives")

    hands.use(page.get_by_role("link", name="create an account"))
    page.wait_for_url(re.compile(r"/auth/register"))
    hands.fill(page.get_by_label("Email"), f"journey-{mode}@example.com")
    hands.fill(page.get_by_label("Display name"), f"Journey {mode.title()}")
    hands.fill(page.get_by_label("Password", exact=True), "a long enough password")
    hands.fill(page.get_by_label("Password again"), "a long enough password")
    walk.shot("registers")
    hands.use(page.get_by_role("button", name="Create account"))

    page.wait_for_url(f"{site.url}{article}#comment-form")
    form = page.locator("#comment-form")
    assert "first comment appears once a moderator" in form.inner_text()
    walk.shot("back-at-the-comment-form")
    hands.fill(form.get_by_label("Your comment"), f"First words from the {mode}.")
    hands.use(form.get_by_role("button", name="Post comment"))
    mine = page.locator("article.comment", has_text=f"First words from the {mode}.")
    assert "Awaiting moderation" in mine.inner_text()
    walk.shot("commented")

    first = page.locator(f"#comment-{site.seeded.comment_id}")
    hands.use(first.get_by_role("link", name=re.compile("^Reply")))
    page.locator("#reply-form").wait_for()
    assert focused_is(page, "#reply-form textarea")  # the cursor is in the box
    page.keyboard.type("A reply, typed where the cursor already was.")
    walk.shot("replying")
    hands.use(page.get_by_role("button", name="Post reply"))
    page.locator("article.comment", has_text="typed where the cursor").wait_for()

    hands.use(mine.get_by_role("link", name="Edit"))
    hands.fill(page.get_by_label("Your comment"), f"Better words from the {mode}.")
    hands.use(page.get_by_role("button", name="Save changes"))
    edited = page.locator("article.comment", has_text=f"Better words from the {mode}.")
    assert re.search(r"edited \d+ \w+ \d{4}, \d\d:\d\d", edited.inner_text())
    walk.shot("edited")

    hands.use(edited.get_by_role("link", name="Delete"))
    hands.use(page.get_by_role("button", name="Delete the comment"))
    page.wait_for_url(re.compile(re.escape(article)))
    assert page.locator("article.comment", has_text="Better words").count() == 0
    walk.shot("deleted")


# A feed in the browser is an XML document: its text is read through the
# styles its stylesheet gives each element.
SHOWN_FIRST = "getComputedStyle(document.querySelector('channel'), '::before').content"
STYLE = "selector => getComputedStyle(document.querySelector(selector))"
FONT_SIZE = STYLE + ".fontSize.replace('px', '') * 1"
DISPLAY = STYLE + ".display"


@MODES
def test_a_subscriber_finds_reads_and_follows_the_feed(
    site: LiveSite, journey: Any, keyboard_only: bool
) -> None:
    walk = journey("subscriber")
    page, hands = walk.page, Hands(walk.page, keyboard_only)
    walk.go("/category/news")
    visible = page.locator(".listing-feeds a[type='application/rss+xml']")
    discovered = page.locator("head link[rel=alternate][type='application/rss+xml']")
    feed_url = visible.get_attribute("href")
    assert feed_url.endswith("/category/news/feed.xml")
    assert feed_url in [
        discovered.nth(i).get_attribute("href") for i in range(discovered.count())
    ]
    walk.shot("finds-the-feed")

    hands.use(visible)
    page.wait_for_url(feed_url)
    # A readable page, laid out by our stylesheet, not a wall of XML: it says
    # what a feed is, shows the titles large and hides the raw HTML.
    assert "feed reader" in page.evaluate(SHOWN_FIRST)
    assert page.evaluate(FONT_SIZE, "item > title") > 20
    assert page.evaluate(DISPLAY, "item > description") == "block"
    assert page.evaluate(DISPLAY, "item > guid") == "none"
    walk.shot("reads-it-in-the-browser")

    browser_bytes = page.request.get(feed_url).body()
    with urllib.request.urlopen(feed_url) as response:  # noqa: S310 - our own site
        reader_bytes = response.read()
    assert browser_bytes == reader_bytes
    parsed = feedparser.parse(reader_bytes)
    assert not parsed.bozo
    assert parsed.entries[0].title == "Everything an Article Can Hold"


def jpeg_base64(size: tuple[int, int], colour: tuple[int, int, int]) -> str:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="JPEG")
    return base64.b64encode(buffer.getvalue()).decode()


PASTE_IMAGE = """([data, alt]) => {
  const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
  const transfer = new DataTransfer();
  transfer.items.add(new File([bytes], "pasted.jpg", { type: "image/jpeg" }));
  const paste = new ClipboardEvent("paste", {
    clipboardData: transfer, bubbles: true, cancelable: true,
  });
  document.getElementById("body").dispatchEvent(paste);
}"""


@MODES
def test_an_author_writes_illustrates_schedules_and_publishes(
    site: LiveSite, journey: Any, tmp_path: Path, keyboard_only: bool
) -> None:
    mode = "keyboard" if keyboard_only else "mouse"
    title = f"Field Notes from the {mode.title()}"
    walk = journey("author")
    page, hands = walk.page, Hands(walk.page, keyboard_only)
    walk.go("/auth/login?next=/studio/articles/new")
    hands.fill(page.get_by_label("Email"), "author@example.com")
    hands.fill(page.get_by_label("Password"), PASSWORD)
    hands.use(page.get_by_role("button", name="Log in"))
    page.wait_for_url(f"{site.url}/studio/articles/new")

    hands.fill(page.get_by_label("Title"), title)
    hands.fill(page.locator("#body"), "Notes from a *long* walk.\n\n")
    page.locator(".live-preview em", has_text="long").wait_for()  # no page load

    # A pasted image is described before it is uploaded, then inserted.
    page.locator("#body").focus()
    page.keyboard.press("Control+End")
    page.evaluate(PASTE_IMAGE, [jpeg_base64((900, 600), (20, 120, 90)), ""])
    page.locator("#image-alt").wait_for()
    page.keyboard.type("A green field under a grey sky")
    page.keyboard.press("Enter")
    page.locator(".live-preview img[alt='A green field under a grey sky']").wait_for()
    assert re.search(
        r"!\[A green field under a grey sky\]\(/uploads/",
        page.locator("#body").input_value(),
    )
    walk.shot("pasted-an-image")

    # The cover: a file chosen on disk is uploaded at once, with its text.
    cover = tmp_path / "cover.jpg"
    cover.write_bytes(base64.b64decode(jpeg_base64((1600, 900), (200, 120, 40))))
    hands.fill(page.get_by_label("Cover description (alt text)"), "An orange sunset")
    page.get_by_label("Or upload a new cover").set_input_files(str(cover))
    page.get_by_text("Cover uploaded").wait_for()
    assert "An orange sunset" in page.locator("#cover option:checked").inner_text()
    page.get_by_text(re.compile(r"Saved \d\d:\d\d")).wait_for()
    walk.shot("cover-and-autosave")

    # Leave, come back: the autosave kept everything.
    edit_url = page.url
    walk.go("/studio/")
    page.goto(edit_url)
    assert page.get_by_label("Title").input_value() == title
    assert "A green field" in page.locator("#body").input_value()
    assert "An orange sunset" in page.locator("#cover option:checked").inner_text()

    zone = ZoneInfo(site.app.config["TIMEZONE"])
    tomorrow = (
        (utcnow() + timedelta(days=1)).astimezone(zone).strftime("%Y-%m-%d %H:%M")
    )
    hands.fill(page.get_by_label("Publish at"), tomorrow)
    assert "Schedule publishes it" in page.locator(".publish-words").inner_text()
    hands.use(page.get_by_role("button", name="Schedule"))
    page.locator(".status.scheduled").wait_for()
    walk.shot("scheduled")

    hands.use(page.get_by_role("button", name="Publish now"))
    page.locator(".status.published").wait_for()
    walk.shot("published")

    for scheme in ("light", "dark"):
        reader = journey(f"home-{scheme}", color_scheme=scheme)
        reader.go("/")
        card = reader.page.locator("article.card", has_text=title)
        card.locator("picture img").wait_for()
        assert card.locator("picture img").evaluate(
            "img => img.complete && img.naturalWidth > 0"
        )
        reader.shot("on-the-home-page")
