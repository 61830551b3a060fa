"""The design's promises that hold without a browser: colours that read in
both modes, an accent the owner can choose but not make unreadable, files
cached for a year under names that change with them, and the home page,
footer, archive and search that a reader finds their way by."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from lxml import html

from blog import create_app
from blog.colors import (
    DEFAULT_ACCENT,
    LIGHT_BACKGROUND,
    accent_from,
    contrast_ratio,
)
from blog.config import ConfigError
from blog.rendering import code_css, render_article
from tests import conftest
from tests.factories import make_article, make_category

STATIC = Path(__file__).resolve().parent.parent / "blog" / "static"


def stylesheet() -> str:
    return (STATIC / "site.css").read_text()


def custom_property(css: str, name: str) -> str:
    match = re.search(rf"--{name}: (#[0-9a-f]{{6}});", css)
    assert match, name
    return match.group(1)


def light_and_dark(css: str) -> tuple[str, str]:
    light, dark = css.split("@media (prefers-color-scheme: dark)", 1)
    return light, dark


def test_the_stylesheet_accent_is_the_default_accent_in_both_modes() -> None:
    light, dark = light_and_dark(stylesheet())
    accent = accent_from(DEFAULT_ACCENT)

    assert custom_property(light, "accent") == accent.light
    assert custom_property(dark, "accent") == accent.dark


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_text_colours_meet_wcag_aa_on_every_surface(mode: str) -> None:
    css = dict(zip(("light", "dark"), light_and_dark(stylesheet()), strict=True))[mode]
    surfaces = ["bg", "surface", "surface-raised"]
    for text in ["text", "muted", "accent", "error"]:
        for surface in surfaces:
            ratio = contrast_ratio(
                custom_property(css, text), custom_property(css, surface)
            )
            assert ratio >= 4.5, (mode, text, surface, ratio)
    # The pending note and a highlighted search word, on their own fills.
    assert (
        contrast_ratio(
            custom_property(css, "pending"), custom_property(css, "pending-surface")
        )
        >= 4.5
    )
    assert (
        contrast_ratio(custom_property(css, "text"), custom_property(css, "mark"))
        >= 4.5
    )
    # Form fields' borders: 3:1 for the parts of a control (WCAG 1.4.11).
    assert (
        contrast_ratio(custom_property(css, "border"), custom_property(css, "bg")) >= 3
    )


def test_code_colours_are_generated_and_read_on_the_code_background() -> None:
    generated = code_css()
    assert (STATIC / "code.css").read_text() == generated, "run `make code-css`"
    light_rules, dark_rules = generated.split("@media", 1)
    light_css, dark_css = light_and_dark(stylesheet())
    for rules, css in ((light_rules, light_css), (dark_rules, dark_css)):
        background = custom_property(css, "code-bg")
        for rule in re.findall(r"\{([^{}]*)\}", rules):
            colour = re.search(r"(?<!-)color: (#[0-9A-Fa-f]{6})", rule)
            own_fill = re.search(r"background-color: (#[0-9A-Fa-f]{6})", rule)
            if colour:
                fill = own_fill.group(1) if own_fill else background
                assert contrast_ratio(colour.group(1), fill) >= 4.5, rule


def test_a_chosen_accent_colours_links_and_buttons_through_its_own_stylesheet(
    app_factory,
) -> None:
    app = app_factory(ACCENT_COLOR="#7c3aed")
    client = app.test_client()

    tree = html.fromstring(client.get("/").text)
    stylesheets = tree.xpath("//link[@rel='stylesheet']/@href")
    theme = next(href for href in stylesheets if href.startswith("/theme.css"))
    response = client.get(theme)

    assert response.status_code == 200
    assert response.mimetype == "text/css"
    assert "--accent: #7c3aed;" in response.text
    dark = response.text.split("prefers-color-scheme: dark", 1)[1]
    assert "--accent: #b089f4;" in dark  # lightened until it reads on dark pages
    assert "immutable" in response.headers["Cache-Control"]
    assert client.get("/theme.css?v=old").headers["Cache-Control"] == "no-cache"


def test_the_default_accent_needs_no_extra_stylesheet(client) -> None:
    tree = html.fromstring(client.get("/").text)

    assert not [h for h in tree.xpath("//link/@href") if h.startswith("/theme.css")]


@pytest.mark.parametrize(
    ("colour", "message"),
    [
        ("#ffd400", "contrast of 1.29:1"),  # yellow on a white page
        ("#9ca3af", "contrast of 2.28:1"),
        ("blue", "is not a colour"),
        ("#12345", "is not a colour"),
    ],
)
def test_an_accent_too_faint_to_read_is_refused_with_its_contrast(
    tmp_path, colour: str, message: str
) -> None:
    settings = conftest.test_settings(f"sqlite:///{tmp_path / 'x.sqlite'}")
    with pytest.raises(ConfigError, match="BLOG_ACCENT_COLOR") as refused:
        create_app({**settings, "ACCENT_COLOR": colour})
    assert message in str(refused.value)


def test_accent_colours_that_pass_keep_their_contrast_in_both_modes() -> None:
    for colour in ["#1f5bb8", "#b4232a", "#0f766e", "#5b21b6", "#000000"]:
        accent = accent_from(colour)
        assert contrast_ratio(accent.light, LIGHT_BACKGROUND) >= 4.5
        assert contrast_ratio(accent.dark, "#131417") >= 6


def test_stylesheets_are_kept_a_year_under_a_name_that_changes_with_them(
    client,
) -> None:
    tree = html.fromstring(client.get("/").text)
    site_css = next(h for h in tree.xpath("//link/@href") if "site.css" in h)

    current, stale, font = (
        fetched(client, address)
        for address in (
            site_css,
            "/static/site.css?v=000000000000",
            "/static/fonts/source-serif-4-latin-wght-normal.woff2",
        )
    )

    assert re.fullmatch(r"/static/site\.css\?v=[0-9a-f]{12}", site_css)
    assert current.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert "immutable" not in stale.headers.get("Cache-Control", "")
    assert stale.data == current.data
    assert "immutable" in font.headers["Cache-Control"]


def fetched(client, address: str):  # noqa: ANN001, ANN201
    """A static file's response, read and closed."""
    with client.get(address) as response:
        response.get_data()
        return response


def test_the_home_page_introduces_the_site(app_factory) -> None:
    app = app_factory(
        SITE_NAME="Field Notes",
        SITE_TAGLINE="Small discoveries, written down",
        SITE_DESCRIPTION="A notebook about gardens.",
    )
    tree = html.fromstring(app.test_client().get("/").text)

    assert tree.xpath("string(//h1)") == "Field Notes"
    assert (
        tree.xpath("string(//p[@class='tagline'])") == "Small discoveries, written down"
    )
    assert "A notebook about gardens." in tree.xpath("string(//footer)")
    assert tree.xpath("//meta[@name='description']/@content") == [
        "A notebook about gardens."
    ]


def test_the_footer_leads_to_the_archive_search_and_feeds(client) -> None:
    tree = html.fromstring(client.get("/").text)
    footer_links = tree.xpath("//footer//a/@href")

    assert "/archive" in footer_links
    assert "/search" in footer_links
    assert "/subscribe" in footer_links
    assert "http://blog.test/feed.xml" in footer_links


def test_the_archive_counts_articles_by_month_in_the_site_time_zone(
    app_factory,
) -> None:
    app = app_factory(TIMEZONE="America/New_York")
    with app.app_context():
        # 1 March 02:00 UTC is still February in New York.
        make_article(published_at=datetime(2026, 3, 1, 2, 0, tzinfo=UTC))
        make_article(published_at=datetime(2026, 2, 10, 12, 0, tzinfo=UTC))
        make_article(published_at=datetime(2025, 12, 24, 12, 0, tzinfo=UTC))
    tree = html.fromstring(app.test_client().get("/archive").text)

    years = [" ".join(h.text_content().split()) for h in tree.xpath("//main//h2")]
    months = [" ".join(li.text_content().split()) for li in tree.xpath("//main//ul/li")]
    assert years == ["2026 2 articles", "2025 1 article"]
    assert months == ["February (2)", "December (1)"]
    assert tree.xpath("//main//ul/li/a/@href") == [
        "/archive/2026/2",
        "/archive/2025/12",
    ]


def test_a_category_page_shows_its_own_feeds(client, app) -> None:
    with app.app_context():
        make_article(category=make_category("News"))
    tree = html.fromstring(client.get("/category/news").text)

    visible = tree.xpath("//main//p[@class='listing-feeds']//a/@href")
    assert "http://blog.test/category/news/feed.xml" in visible
    assert "/subscribe" in visible


def test_an_article_names_its_category_feed_under_the_text(client, app) -> None:
    with app.app_context():
        make_article(slug="post", category=make_category("News"))
    tree = html.fromstring(client.get("/articles/post").text)

    links = tree.xpath("//article//footer[@class='article-feeds']//a/@href")
    assert "http://blog.test/category/news/atom.xml" in links


def test_the_search_page_has_its_own_box_for_phones(client) -> None:
    tree = html.fromstring(client.get("/search?q=words").text)

    assert tree.xpath("//main//form[@role='search']//input[@name='q']/@value") == [
        "words"
    ]


def test_wide_code_and_tables_scroll_by_keyboard() -> None:
    body = render_article("```\nx = 1\n```\n\n| a | b |\n| - | - |\n| 1 | 2 |\n")

    assert '<pre tabindex="0">' in body
    assert '<div class="table-scroll" tabindex="0"><table>' in body
    assert body.count("</table></div>") == 1
