"""A site whose owner chose French speaks French to everyone: the home page,
an article with its comments and comment form, logging in, registering, the
account page, error pages and the feeds' own words show no English string of
the blog's catalogue, and dates are French."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from types import SimpleNamespace

import feedparser
import pytest
from babel.messages.pofile import read_po
from lxml import html

from blog.models import Role
from tests.conftest import log_in
from tests.factories import (
    make_article,
    make_category,
    make_comment,
    make_tag,
    make_user,
)
from tests.test_translation_catalogue import catalogue_path, forms
from tests.test_translations import TextCollector

PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%%")
FRENCH_MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
    "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip


def english_phrases() -> set[str]:
    """The English text of every catalogue string French words differently,
    cut at its placeholders and tags: none of it may show on a French page.
    Pieces of one word ("Log", "in") are left out: French may share them."""
    with catalogue_path("fr", "po").open("rb") as file:
        catalogue = read_po(file, locale="fr")
    phrases = set()
    for message in catalogue:
        if not message.id:
            continue
        for english, french in zip(
            forms(message.id), forms(message.string), strict=False
        ):
            if english == french:
                continue
            text = re.sub(r"<[^>]+>", "\0", PLACEHOLDER.sub("\0", english))
            phrases |= {
                " ".join(piece.split())
                for piece in text.split("\0")
                if len(piece.split()) >= 2 or piece.strip() == english.strip()
            }
    return {phrase for phrase in phrases if any(c.isalpha() for c in phrase)}


@pytest.fixture(scope="module")
def english() -> set[str]:
    return english_phrases()


@pytest.fixture
def french_site(app_factory):
    app = app_factory(LANGUAGE="fr", COMMENT_MODERATION="none", TIMEZONE="Europe/Paris")
    with app.app_context():
        author = make_user(role=Role.AUTHOR, display_name="Claire Autrice")
        reader = make_user(display_name="Louis Lecteur")
        article = make_article(
            title="La marée basse",
            slug="maree",
            author=author,
            category=make_category("Côtes"),
            tags=[make_tag("mer")],
            published_at=datetime(2026, 8, 14, 9, tzinfo=UTC),
        )
        first = make_comment(article, reader, body_markdown="Très beau texte.")
        make_comment(article, author, body_markdown="Merci !", parent=first)
        reader_email = reader.email
    return app, reader_email


def shown_text(page: str) -> list[str]:
    collector = TextCollector()
    collector.feed(page)
    collector.close()
    return [" ".join(text.split()) for text in collector.found if text.strip()]


def english_on(page: str, english: set[str]) -> list[str]:
    """Every piece of text on the page that is, or holds, a catalogue
    string's English."""
    found = []
    for text in shown_text(page):
        found += [
            phrase
            for phrase in english
            if phrase == text or (len(phrase.split()) >= 2 and phrase in text)
        ]
    return found


def test_every_page_a_reader_meets_is_in_french(french_site, english) -> None:
    app, reader_email = french_site
    anonymous = app.test_client()
    pages = {
        "/": anonymous,
        "/articles/maree": anonymous,
        "/category/cotes": anonymous,
        "/archive": anonymous,
        "/search?q=marée": anonymous,
        "/subscribe": anonymous,
        "/auth/login": anonymous,
        "/auth/register": anonymous,
        "/auth/reset": anonymous,
        "/no-such-page": anonymous,  # 404
        "/auth/logout": anonymous,  # 405: logging out is a POST
        "/studio/users": log_in(app.test_client(), SimpleNamespace(email=reader_email)),
    }
    for path, client in pages.items():
        response = client.get(path)
        assert response.status_code in (200, 403, 404, 405), path
        page = response.text
        assert '<html lang="fr">' in page, path
        assert english_on(page, english) == [], path


def test_a_logged_in_reader_comments_and_manages_their_account_in_french(
    french_site, english
) -> None:
    app, reader_email = french_site
    client = log_in(app.test_client(), SimpleNamespace(email=reader_email))
    for path in ("/articles/maree", "/auth/account"):
        page = client.get(path).text
        assert english_on(page, english) == [], path
    refused = client.post("/articles/maree/comments", data={"body": ""})
    assert refused.status_code == 400
    assert english_on(refused.text, english) == []
    # WTForms' own messages too, from its French catalogue.
    assert "This field is required" not in refused.text


def test_dates_are_written_in_french(french_site) -> None:
    app, _email = french_site
    page = html.fromstring(app.test_client().get("/articles/maree").text)
    published = page.xpath("//p[contains(@class, 'byline')]//time")[0].text
    assert published == "14 août 2026"
    assert "août 2026" in app.test_client().get("/archive/2026/8").text


def test_the_feeds_fixed_words_and_language_are_french(french_site, english) -> None:
    app, _email = french_site
    client = app.test_client()
    paths = ("/feed.xml", "/atom.xml", "/comments/feed.xml", "/category/cotes/feed.xml")
    for path in paths:
        document = client.get(path)
        feed = feedparser.parse(document.data)
        assert feed.feed.get("language", "fr").startswith("fr"), path
        for text in (feed.feed.get("title", ""), feed.feed.get("subtitle", "")):
            assert english_on(f"<p>{text}</p>", english) == [], (path, text)
        for entry in feed.entries:
            assert english_on(f"<p>{entry.title}</p>", english) == [], path
    rss = client.get("/feed.xml").text
    assert "<language>fr</language>" in rss
    assert client.get("/feed.json").json["language"] == "fr"
