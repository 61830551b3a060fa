"""No script through the feeds: every field a feed reader may render as HTML
holds either our sanitised HTML or text in which no markup can start, for
any text an author, a commenter or a reader types.

Fields are read from the raw documents (lxml for RSS and Atom, json for
JSON Feed), as the least careful reader would take them, then parsed as HTML;
feedparser must also read every document cleanly."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime

import feedparser
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from lxml import html as lxml_html

from blog.feeds.builders import build_feed
from blog.feeds.entries import FeedInfo, FeedItem, Label, Person
from blog.rendering import (
    ARTICLE_ATTRIBUTES,
    ARTICLE_TAGS,
    COMMENT_ATTRIBUTES,
    COMMENT_TAGS,
    KEYBOARD_SCROLLING_ATTRIBUTES,
    URL_SCHEMES,
    render_article,
)
from tests.test_comments_hostile import HOSTILE_BODIES, url_scheme

ATOM = "{http://www.w3.org/2005/Atom}"
CONTENT_ENCODED = "{http://purl.org/rss/1.0/modules/content/}encoded"
# Payloads split by the characters a cleaner removes: if it removed them after
# escaping or sanitising, they would come back together as live markup.
SPLIT_PAYLOADS = [
    "<scr\x00ipt>alert(1)</scr\x00ipt>",
    "<img src=x on\x00error=alert(1)>",
    "<img src=x on\x0berror=alert(1)>",
    '<a href="java\x0bscript:alert(1)">x</a>',
    "[x](java\x00script:alert(1))",
    "<\x00script>alert(1)<\x00/script>",
    "<svg/on\x1fload=alert(1)>",
    "\ufeff<script>alert(1)</script>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&amp;lt;script&amp;gt;alert(1)",
    "<![CDATA[<script>alert(1)</script>]]>",
    "]]><script>alert(1)</script>",
]
PAYLOADS = HOSTILE_BODIES + SPLIT_PAYLOADS
CONTENT_TAGS = ARTICLE_TAGS | COMMENT_TAGS
NOW = datetime(2026, 12, 3, 12, tzinfo=UTC)


def markup_in(value: str) -> list[str]:
    """The elements an HTML parser finds in a field's value."""
    if not value.strip():
        return []
    fragment = lxml_html.fragment_fromstring(value, create_parent="div")
    return [element.tag for element in fragment.iterdescendants()]


def assert_sanitised(value: str) -> None:
    """Only what the sanitiser allows: its tags, its attributes, its schemes."""
    if not value.strip():
        return
    fragment = lxml_html.fragment_fromstring(value, create_parent="div")
    for element in fragment.iterdescendants():
        if not isinstance(element.tag, str):
            continue  # a comment
        assert element.tag in CONTENT_TAGS, element.tag
        allowed = (
            ARTICLE_ATTRIBUTES.get(element.tag, set())
            | COMMENT_ATTRIBUTES.get(element.tag, set())
            | KEYBOARD_SCROLLING_ATTRIBUTES.get(element.tag, set())
        )
        for attribute, attribute_value in element.attrib.items():
            assert attribute in allowed | {"rel"}, (element.tag, attribute)
            if attribute in ("href", "src"):
                assert url_scheme(attribute_value) in URL_SCHEMES | {None}, (
                    attribute_value
                )


def xml_fields(document: bytes, content_tags: set[str]) -> tuple[list[str], list[str]]:
    """(text fields, content fields) of an RSS or Atom document: the text of
    every element, and of every attribute a reader may show."""
    texts, contents = [], []
    for element in etree.fromstring(document).iter():
        if not isinstance(element.tag, str):
            continue
        target = contents if is_content(element, content_tags) else texts
        target.append(element.text or "")
        texts.extend(element.attrib.values())
    return texts, contents


def is_content(element: etree._Element, content_tags: set[str]) -> bool:
    """An RSS item with no summary carries its content in <description>."""
    if element.tag in content_tags:
        return True
    parent = element.getparent()
    return (
        element.tag == "description"
        and parent is not None
        and parent.tag == "item"
        and parent.find(CONTENT_ENCODED) is None
    )


def json_fields(document: bytes) -> tuple[list[str], list[str]]:
    texts, contents = [], []

    def walk(value: object, key: str = "") -> None:
        if isinstance(value, dict):
            for name, inner in value.items():
                walk(inner, name)
        elif isinstance(value, list):
            for inner in value:
                walk(inner, key)
        elif isinstance(value, str):
            (contents if key == "content_html" else texts).append(value)

    walk(json.loads(document))
    return texts, contents


def fields_of(format_name: str, document: bytes) -> tuple[list[str], list[str]]:
    if format_name == "json":
        return json_fields(document)
    if format_name == "rss":
        return xml_fields(document, {CONTENT_ENCODED})
    return xml_fields(document, {f"{ATOM}content"})


def assert_feed_is_harmless(format_name: str, document: bytes) -> None:
    if format_name != "json":  # feedparser reads RSS and Atom only
        parsed = feedparser.parse(document)
        assert not parsed.bozo, parsed.get("bozo_exception")
    texts, contents = fields_of(format_name, document)
    for text in texts:
        assert markup_in(text) == [], text
    for content in contents:
        assert_sanitised(content)


hostile_text = st.one_of(
    st.text(),
    st.sampled_from(PAYLOADS),
    st.builds(
        lambda a, payload, b: a + payload + b,
        st.text(max_size=5),
        st.sampled_from(PAYLOADS),
        st.text(max_size=5),
    ),
)


def hostile_feed(title: str, name: str, summary: str, body: str) -> FeedInfo:
    """A feed whose every text field holds the generated strings."""
    person = Person(name, "https://blog.example/author/x")
    item = FeedItem(
        id="tag:blog.example,2026-12-03:article/1",
        url="https://blog.example/articles/x",
        title=title,
        content_html=render_article(body),
        summary=summary,
        published=NOW,
        updated=NOW,
        authors=(person,),
        labels=(Label(name, "https://blog.example/category/x"),),
    )
    return FeedInfo(
        title=f"{name} · {title}",
        description=f"The newest articles in {name} on {title}",
        home_url="https://blog.example/",
        self_url="https://blog.example/feed.xml",
        updated=NOW,
        author=person,
        items=(item,),
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=hostile_text, name=hostile_text, summary=hostile_text, body=hostile_text)
def test_no_feed_field_carries_markup_for_any_text(
    title: str, name: str, summary: str, body: str
) -> None:
    info = hostile_feed(title, name, summary, body)
    for format_name in ("rss", "atom", "json"):
        assert_feed_is_harmless(format_name, build_feed(format_name, info))


def test_each_payload_is_text_in_every_field_of_every_format() -> None:
    for payload in PAYLOADS:
        info = hostile_feed(payload, payload, payload, payload)
        for format_name in ("rss", "atom", "json"):
            assert_feed_is_harmless(format_name, build_feed(format_name, info))


def test_a_summary_reads_as_its_own_text_in_a_feed_reader() -> None:
    info = hostile_feed("Fish & Chips", "Ann", "Use <b> & <i> tags", "Body.")

    parsed = feedparser.parse(build_feed("rss", info))

    entry = parsed.entries[0]
    assert entry.title == "Fish & Chips"
    shown = lxml_html.fragment_fromstring(entry.summary, create_parent="div")
    assert shown.text_content() == "Use <b> & <i> tags"


def test_html_stored_before_the_fix_is_sanitised_again_in_feeds() -> None:
    """Bodies rendered before characters were stripped first may hold one
    inside a URL; removing it for XML must not re-form the scheme."""
    info = hostile_feed("Old", "Ann", "Old.", "")
    old_item = dataclasses.replace(
        info.items[0], content_html='<p><a href="java\x0bscript:alert(1)">x</a></p>'
    )
    info = dataclasses.replace(info, items=(old_item,))

    for format_name in ("rss", "atom", "json"):
        document = build_feed(format_name, info)
        assert b"javascript:" not in document
        assert_feed_is_harmless(format_name, document)
