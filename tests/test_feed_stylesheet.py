"""A feed opened in a browser reads as a page: the RSS and Atom documents
name a CSS stylesheet of ours, which lays out their title, items and what a
feed is. Feed readers parse the same documents as before.

(Not XSLT: Chromium is removing it, and stamps every page that uses it with
a banner of inline styles, which the Content-Security-Policy refuses.)"""

from __future__ import annotations

import re

import feedparser
import pytest

from tests.factories import make_article, make_category

XML_FEEDS = ["/feed.xml", "/atom.xml", "/category/news/feed.xml", "/comments/atom.xml"]


@pytest.fixture
def news(app) -> None:
    with app.app_context():
        make_article(title="Harbour Lights", category=make_category("News"))


@pytest.mark.parametrize("path", XML_FEEDS)
def test_each_xml_feed_names_our_stylesheet_right_after_its_declaration(
    client, news, path: str
) -> None:
    response = client.get(path)

    lines = response.data.split(b"\n", 2)
    assert lines[0].startswith(b"<?xml version=")
    stylesheet = rb'href="/static/feed\.css\?v=[0-9a-f]{12}"'
    assert re.fullmatch(
        rb'<\?xml-stylesheet type="text/css" ' + stylesheet + rb"\?>", lines[1]
    )
    # An XML type: Chromium shows application/rss+xml as text, unstyled.
    assert response.mimetype == "application/xml"
    assert not feedparser.parse(response.data).bozo


def test_the_json_feed_has_no_stylesheet(client, news) -> None:
    assert b"xml-stylesheet" not in client.get("/feed.json").data


def test_the_stylesheet_is_served_from_our_origin_and_says_what_a_feed_is(
    client, news
) -> None:
    href = re.search(rb'href="([^"]+)"', client.get("/feed.xml").data).group(1)

    stylesheet = client.get(href.decode())

    assert stylesheet.status_code == 200
    assert stylesheet.mimetype == "text/css"
    assert "This is a feed." in stylesheet.text
    assert (
        "@import" not in stylesheet.text
        and "url(http"
        not in stylesheet.text.replace("url(http://www.w3.org/2005/Atom)", "")
    )
    stylesheet.close()


def test_browsers_asking_for_favicon_ico_get_the_icon(client) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    again = client.get(
        "/favicon.ico", headers={"If-None-Match": response.headers["ETag"]}
    )
    assert again.status_code == 304
