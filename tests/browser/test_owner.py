"""The owner's journey: an admin who has never seen the code makes the site
theirs from the studio (title, tagline, logo, icon, accent colour, a page
about themselves first in the menu), and anonymous readers, whose pages were cached
before, see every change at once: the pages, the feed's channel, the link
preview tags and the favicon.

On a site of its own: the other browser tests share theirs and must not see
these changes.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import feedparser
import pytest
from PIL import Image, ImageDraw

from tests.browser.live_site import ACCOUNTS, LiveSite, live_site
from tests.browser.test_journeys import Journey
from tests.factories import PASSWORD

ACCENT = "#0f6e5a"


@pytest.fixture(scope="module")
def own_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveSite]:
    with live_site(tmp_path_factory.mktemp("owner-site"), site_name=None) as running:
        yield running


def drawn_images(folder: Path) -> tuple[Path, Path]:
    """A wide logo and a square icon, as an owner would upload them."""
    logo = Image.new("RGBA", (320, 80), (0, 0, 0, 0))
    ImageDraw.Draw(logo).ellipse((4, 4, 76, 76), fill=(15, 110, 90, 255))
    icon = Image.new("RGB", (512, 512), (15, 110, 90))
    ImageDraw.Draw(icon).ellipse((96, 96, 416, 416), fill=(250, 250, 245))
    logo.save(folder / "logo.png")
    icon.save(folder / "icon.png")
    return folder / "logo.png", folder / "icon.png"


def fetch(page: Any, url: str) -> Any:
    response = page.request.get(url)
    assert response.status == 200, url
    return response


def test_an_owner_makes_the_site_theirs_and_readers_see_it_at_once(
    chromium: Any, own_site: LiveSite, tmp_path: Path
) -> None:
    reader = Journey(chromium, own_site, "owner-reader")
    reader.go("/")  # the old home page is now in the page cache
    old_title = reader.page.locator("h1").inner_text()
    old_feed = fetch(reader.page, own_site.url + "/feed.xml")
    assert old_title != "Harbour Notes"

    owner = Journey(chromium, own_site, "owner")
    page = owner.page
    owner.go("/auth/login")
    page.get_by_label("Email").fill(ACCOUNTS["admin"][0])
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(own_site.url + "/")

    # Settings, reached from the studio's menu.
    page.get_by_role("link", name="Studio").click()
    page.get_by_role("navigation", name="Studio").get_by_role(
        "link", name="Settings"
    ).click()
    page.get_by_label("Site title").fill("Harbour Notes")
    page.get_by_label("Tagline").fill("Tides, boats and the people between")
    page.get_by_label("Accent colour").fill(ACCENT)
    logo, icon = drawn_images(tmp_path)
    page.get_by_label("Logo", exact=True).set_input_files(str(logo))
    page.get_by_label("Icon", exact=True).set_input_files(str(icon))
    owner.shot("settings")
    page.get_by_role("button", name="Save settings").click()
    assert "Settings saved" in page.locator(".flashes").inner_text()

    # An About page, from the dashboard.
    page.get_by_role("navigation", name="Studio").get_by_role(
        "link", name="Articles"
    ).click()
    page.get_by_role("link", name="New page").click()
    page.get_by_placeholder("Title").fill("Who we are")
    page.get_by_label("Text (Markdown)").fill(
        "We write about the harbour.\n\n## Contact\n\nharbour@example.org\n"
    )
    page.get_by_role("button", name="Publish now").click()
    assert "is saved and public" in page.locator(".flashes").inner_text()

    # First in the header menu.
    page.get_by_role("navigation", name="Studio").get_by_role(
        "link", name="Menus"
    ).click()
    header = page.locator("#menu-header")
    rows = header.locator("tbody tr")
    blank = next(
        number
        for number in range(rows.count())
        if header.locator(f"#header-items-{number}-target").input_value() == ""
    )
    header.locator(f"#header-items-{blank}-target").select_option(label="Who we are")
    for number in range(rows.count()):
        header.locator(f"#header-items-{number}-position").fill(str(number + 2))
    header.locator(f"#header-items-{blank}-position").fill("1")
    owner.shot("menus")
    header.get_by_role("button", name="Save menu").click()
    assert "Header menu saved" in page.locator(".flashes").inner_text()
    owner.close()

    # The anonymous reader, with no cookie, sees all of it at once.
    reader.go("/")
    home = reader.page
    assert home.locator("h1").inner_text() == "Harbour Notes"
    assert home.locator("title").inner_text() == "Harbour Notes"
    brand = home.locator("a.brand img")
    assert brand.get_attribute("alt") == "Harbour Notes"
    assert home.locator("p.tagline").inner_text().startswith("Tides, boats")
    site_name = home.locator("meta[property='og:site_name']")
    assert site_name.get_attribute("content") == "Harbour Notes"
    first_link = home.get_by_role("navigation", name="Main").get_by_role("link").first
    assert first_link.inner_text() == "Who we are"
    link_colour = home.evaluate(
        "getComputedStyle(document.querySelector('.feed-line a, main a')).color"
    )
    assert link_colour == "rgb(15, 110, 90)"
    reader.shot("home")
    first_link.click()
    home.wait_for_url(own_site.url + "/who-we-are")
    assert home.locator("h1").inner_text() == "Who we are"

    feed = fetch(
        home,
        own_site.url + "/feed.xml",
    )
    assert feedparser.parse(feed.body()).feed.title == "Harbour Notes"
    assert feed.headers["etag"] != old_feed.headers["etag"]
    icon_link = home.locator("link[rel='icon']").get_attribute("href")
    favicon = Image.open(io.BytesIO(fetch(home, own_site.url + icon_link).body()))
    assert favicon.size == (32, 32)
    ico = fetch(home, own_site.url + "/favicon.ico")
    assert ico.headers["content-type"] == "image/vnd.microsoft.icon"
    touch = home.locator("link[rel='apple-touch-icon']").get_attribute("href")
    assert Image.open(io.BytesIO(fetch(home, own_site.url + touch).body())).size == (
        180,
        180,
    )
    reader.close()
