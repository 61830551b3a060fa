"""Reading feeds the way subscribers' software does, for the feed tests."""

from __future__ import annotations

import json
import re
from typing import Any

import feedparser
from lxml import etree
from werkzeug.test import TestResponse

ATOM = "{http://www.w3.org/2005/Atom}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}"
DC = "{http://purl.org/dc/elements/1.1/}"
# What each feed is served as: RSS and Atom as XML, which a browser shows
# through the feed's stylesheet (application/rss+xml it shows as text).
MEDIA_TYPES = {
    "feed.xml": "application/xml",
    "atom.xml": "application/xml",
    "feed.json": "application/feed+json",
}
# A strict parser: no recovery, no entities, no network.
STRICT = etree.XMLParser(recover=False, resolve_entities=False, no_network=True)


def article_feed_paths(prefix: str = "") -> list[str]:
    return [f"{prefix}/{name}" for name in MEDIA_TYPES]


def comment_feed_paths(article_slug: str) -> list[str]:
    return [
        "/comments/feed.xml",
        "/comments/atom.xml",
        f"/articles/{article_slug}/comments/feed.xml",
        f"/articles/{article_slug}/comments/atom.xml",
    ]


def every_feed_path(*, category: str, tag: str, author: str, article: str) -> list[str]:
    paths = article_feed_paths()
    for prefix in (f"/category/{category}", f"/tag/{tag}", f"/author/{author}"):
        paths += article_feed_paths(prefix)
    return paths + comment_feed_paths(article)


def media_type(response: TestResponse) -> str:
    return response.headers["Content-Type"].split(";")[0].strip()


def xml_of(response: TestResponse) -> etree._Element:
    """The document parsed as strict XML: fails on any malformed byte."""
    return etree.fromstring(response.data, STRICT)


def parsed(response: TestResponse) -> feedparser.FeedParserDict:
    """What a feed reader sees; fails when feedparser finds the feed broken."""
    feed = feedparser.parse(response.data)
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


def json_of(response: TestResponse) -> dict[str, Any]:
    return json.loads(response.data.decode("utf-8"))


def validators(response: TestResponse) -> dict[str, str]:
    """The headers a reader sends back on its next poll."""
    return {
        "If-None-Match": response.headers["ETag"],
        "If-Modified-Since": response.headers["Last-Modified"],
    }


RFC_822 = re.compile(
    r"^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} \+0000$"
)
RFC_3339 = re.compile(
    r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$"
)
TAG_URI = re.compile(r"^tag:[a-z0-9.-]+,\d{4}-\d{2}-\d{2}:[a-z]+/\d+$")
RELATIVE_REFERENCE = re.compile(r'\s(href|src)="(?!https?://|mailto:)')


def assert_valid_rss(channel_parent: etree._Element, url: str) -> None:
    """What the W3C Feed Validation Service reports as errors in RSS 2.0,
    plus the warnings we promise to avoid (self link, guids, relative refs)."""
    assert channel_parent.tag == "rss" and channel_parent.get("version") == "2.0"
    (channel,) = channel_parent.findall("channel")
    for required in ("title", "link", "description"):
        assert channel.findtext(required), required
    self_link = channel.find(f"{ATOM}link[@rel='self']")
    assert (self_link.get("href"), self_link.get("type")) == (
        url,
        "application/rss+xml",
    )
    assert RFC_822.match(channel.findtext("lastBuildDate"))
    guids = [item.findtext("guid") for item in channel.findall("item")]
    assert len(guids) == len(set(guids))
    for item in channel.findall("item"):
        assert item.findtext("title") and item.findtext("link").startswith("http")
        assert item.find("guid").get("isPermaLink") == "false"
        assert TAG_URI.match(item.findtext("guid"))
        assert RFC_822.match(item.findtext("pubDate"))
        assert item.find("author") is None  # RSS wants an e-mail there
        assert item.findtext(f"{DC}creator")
        html = item.findtext(f"{CONTENT}encoded") or item.findtext("description")
        assert not RELATIVE_REFERENCE.search(html)


def assert_valid_atom(feed: etree._Element, url: str) -> None:
    """What the W3C Feed Validation Service reports as errors in Atom 1.0
    (RFC 4287), plus the warnings we promise to avoid."""
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert feed.findtext(f"{ATOM}{required}"), required
    assert RFC_3339.match(feed.findtext(f"{ATOM}updated"))
    assert feed.findtext(f"{ATOM}author/{ATOM}name")
    self_link = feed.find(f"{ATOM}link[@rel='self']")
    assert (self_link.get("href"), self_link.get("type")) == (
        url,
        "application/atom+xml",
    )
    assert feed.find(f"{ATOM}link[@rel='alternate']").get("href").startswith("http")
    ids = [entry.findtext(f"{ATOM}id") for entry in feed.findall(f"{ATOM}entry")]
    assert len(ids) == len(set(ids))
    for entry in feed.findall(f"{ATOM}entry"):
        assert TAG_URI.match(entry.findtext(f"{ATOM}id"))
        assert entry.findtext(f"{ATOM}title") and entry.findtext(
            f"{ATOM}author/{ATOM}name"
        )
        for when in ("updated", "published"):
            assert RFC_3339.match(entry.findtext(f"{ATOM}{when}")), when
        assert entry.find(f"{ATOM}link").get("href").startswith("http")
        content = entry.find(f"{ATOM}content")
        assert content.get("type") == "html"
        assert not RELATIVE_REFERENCE.search(content.text)
