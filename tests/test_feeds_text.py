"""One bad byte must never break a feed: text XML forbids is removed."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from lxml import etree

from blog.feeds.builders import build_feed
from blog.feeds.content import absolute_links
from blog.feeds.entries import FeedInfo, FeedItem, Label, Person
from blog.rendering import xml_safe
from tests.factories import (
    make_article,
    make_category,
    make_comment,
    make_tag,
    make_user,
)
from tests.feed_helpers import STRICT, every_feed_path, json_of, parsed, xml_of

# Every control character XML 1.0 forbids, and a lone surrogate.
FORBIDDEN = (
    "".join(map(chr, range(0x00, 0x09)))
    + "\x0b\x0c"
    + "".join(map(chr, range(0x0E, 0x20)))
    + "\ud800"
)


def storable(text: str, app) -> str:
    """What the database itself accepts: PostgreSQL refuses NUL in text and
    no driver encodes a lone surrogate, so those reach feeds only through
    the builder (tested below)."""
    text = text.replace("\ud800", "")
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        text = text.replace("\x00", "")
    return text


def test_forbidden_characters_in_a_title_and_a_comment_break_no_feed(
    app, client
) -> None:
    bad = storable(FORBIDDEN, app)
    with app.app_context():
        article = make_article(
            title=f"Bad{bad}title",
            slug="bad",
            summary=f"Bad{bad}summary",
            author=make_user(display_name=f"Bad{bad}name", slug="bad-author"),
            category=make_category(f"Bad{bad}category", slug="bad-category"),
            tags=[make_tag(f"Bad{bad}tag", slug="bad-tag")],
            body_markdown=f"Bad{bad}body",
        )
        make_comment(article, make_user(), body_markdown=f"Bad{bad}comment")

    paths = every_feed_path(
        category="bad-category", tag="bad-tag", author="bad-author", article="bad"
    )
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        if path.endswith(".json"):
            assert "Badtitle" in json.dumps(json_of(response), ensure_ascii=False)
            continue
        xml_of(response)  # strict: raises on any malformed byte
        assert "Badtitle" in parsed(response).entries[0].title, path


def item_with(text: str) -> FeedItem:
    moment = datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
    return FeedItem(
        id=f"tag:blog.test,2024-01-02:article/1{text}",
        url="http://blog.test/articles/a",
        title=f"Title{text}",
        content_html=f"<p>Body{text}</p>",
        summary=f"Summary{text}",
        published=moment,
        updated=moment,
        authors=(Person(f"Name{text}", "http://blog.test/author/a"),),
        labels=(Label(f"Tag{text}", "http://blog.test/tag/t"),),
    )


@pytest.mark.parametrize("format_name", ["rss", "atom", "json"])
def test_builders_remove_every_forbidden_character_from_every_string(
    format_name: str,
) -> None:
    info = FeedInfo(
        title=f"Site{FORBIDDEN}",
        description=f"About{FORBIDDEN}",
        home_url="http://blog.test/",
        self_url="http://blog.test/feed",
        updated=datetime(2024, 1, 2, tzinfo=UTC),
        author=Person(f"Site{FORBIDDEN}"),
        items=(item_with(FORBIDDEN),),
    )

    document = build_feed(format_name, info)

    text = document.decode("utf-8")  # a lone surrogate would fail here
    for word in ("Site", "About", "Title", "Body", "Summary", "Name", "Tag"):
        assert word in text
    assert not any(char in text for char in FORBIDDEN)
    if format_name == "json":
        assert json.loads(text)["items"][0]["title"] == "Title"
    else:
        etree.fromstring(document, STRICT)


def test_xml_safe_keeps_real_text_and_drops_what_xml_forbids() -> None:
    kept = "Tab\tnew\nline\r é ü 中文 😀 \ue000 \ufffd"

    assert xml_safe(kept) == kept
    assert xml_safe(FORBIDDEN + "\udfff\ufffe\uffff\x7f\x85") == ""


def test_absolute_links_resolve_only_link_attributes_of_tags() -> None:
    fragment = (
        '<p>Text says href="/not-a-link" &lt;a href="/x"&gt;</p>'
        '<p><a href="/a?b=1&amp;c=2" title="x > y">A</a>'
        '<img alt="a > b" src="pic.png"> <a href="#fn1">1</a>'
        '<a href="mailto:me@example.org">m</a><a href="https://other.example/">o</a></p>'
    )

    result = absolute_links(fragment, "http://blog.test/articles/post")

    assert 'Text says href="/not-a-link" &lt;a href="/x"&gt;' in result
    assert 'href="http://blog.test/a?b=1&amp;c=2"' in result
    assert 'src="http://blog.test/articles/pic.png"' in result
    assert 'href="http://blog.test/articles/post#fn1"' in result
    assert 'href="mailto:me@example.org"' in result
    assert 'href="https://other.example/"' in result
