"""Finding the feeds: autodiscovery links, the footer, the Subscribe page,
and WebSub for readers that want pushes instead of polls."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs

import pytest
from lxml import html

from blog.feeds.websub import announce, feed_urls_for, ping_websub
from blog.models import Article
from tests.factories import make_article, make_category, make_tag, make_user
from tests.feed_helpers import ATOM, xml_of

SITE_FEEDS = [
    ("application/rss+xml", "/feed.xml"),
    ("application/atom+xml", "/atom.xml"),
    ("application/feed+json", "/feed.json"),
]


@pytest.fixture
def site(app) -> None:
    with app.app_context():
        make_article(
            slug="post",
            author=make_user(slug="writer"),
            category=make_category("News"),
            tags=[make_tag("python")],
        )


def alternates(page_text: str) -> list[tuple[str, str]]:
    """The (type, path) of each feed a page names in its <head>."""
    tree = html.fromstring(page_text)
    return [
        (link.get("type"), link.get("href").removeprefix("http://blog.test"))
        for link in tree.xpath('//head/link[@rel="alternate"]')
    ]


def test_every_page_type_names_the_site_feeds(client, site) -> None:
    for path in (
        "/",
        "/articles/post",
        "/category/news",
        "/tag/python",
        "/author/writer",
        "/search?q=post",
        "/subscribe",
        "/auth/login",
        "/no-such-page",
    ):
        links = alternates(client.get(path).text)
        assert links[:3] == SITE_FEEDS, path


def test_scoped_pages_also_name_their_own_feeds(client, site) -> None:
    for scope in ("/category/news", "/tag/python", "/author/writer"):
        own = [(kind, f"{scope}{path}") for kind, path in SITE_FEEDS]
        assert set(own) <= set(alternates(client.get(scope).text)), scope


def test_an_article_page_names_its_comment_feeds(client, site) -> None:
    links = alternates(client.get("/articles/post").text)

    assert ("application/rss+xml", "/articles/post/comments/feed.xml") in links
    assert ("application/atom+xml", "/articles/post/comments/atom.xml") in links


def test_the_footer_links_to_the_feeds_and_the_subscribe_page(client, site) -> None:
    tree = html.fromstring(client.get("/").text)
    hrefs = [a.get("href") for a in tree.xpath("//footer//a")]

    for _kind, path in SITE_FEEDS:
        assert f"http://blog.test{path}" in hrefs
    assert "/subscribe" in hrefs


def test_the_subscribe_page_explains_feeds_to_newcomers(client) -> None:
    page = client.get("/subscribe")

    assert page.status_code == 200
    tree = html.fromstring(page.text)
    assert tree.xpath("//h1")[0].text_content() == "Subscribe"
    assert "feed reader" in page.text
    # Each address whole, in a labelled field to copy from (a Copy button
    # is added by subscribe.js, an external script).
    addresses = {
        tree.xpath(f"//label[@for='{field.get('id')}']")[0].text: field.get("value")
        for field in tree.xpath("//input[@class='copyable']")
    }
    assert addresses == {
        "RSS": "http://blog.test/feed.xml",
        "Atom": "http://blog.test/atom.xml",
        "JSON Feed": "http://blog.test/feed.json",
    }
    copyable = tree.xpath("//input[@class='copyable']")
    assert all(field.get("readonly") is not None for field in copyable)
    scripts = [script.get("src", "").split("?")[0] for script in tree.xpath("//script")]
    assert "/static/subscribe.js" in scripts


def test_without_a_hub_feeds_name_none_and_nothing_is_pinged(app, client, site) -> None:
    assert 'rel="hub"' not in client.get("/feed.xml").text
    with app.test_request_context():
        assert ping_websub(["http://blog.test/feed.xml"]) is False


class Hub(BaseHTTPRequestHandler):
    received: list[dict[str, list[str]]] = []

    def do_POST(self) -> None:
        length = int(self.headers["Content-Length"])
        Hub.received.append(parse_qs(self.rfile.read(length).decode()))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *_args: object) -> None:
        pass


@pytest.fixture
def hub_url():
    server = HTTPServer(("127.0.0.1", 0), Hub)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    Hub.received.clear()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()


def test_with_a_hub_feeds_name_it_and_publishing_pings_it(app_factory, hub_url) -> None:
    app = app_factory(WEBSUB_HUB=hub_url)
    with app.app_context():
        article = make_article(category=make_category("News"))
    client = app.test_client()

    atom = xml_of(client.get("/atom.xml"))
    rss = xml_of(client.get("/category/news/feed.xml"))
    feed_json = client.get("/feed.json").json

    assert atom.find(f"{ATOM}link[@rel='hub']").get("href") == hub_url
    assert rss.find(f"channel/{ATOM}link[@rel='hub']").get("href") == hub_url
    assert rss.find(f"channel/{ATOM}link[@rel='self']").get("href") == (
        "http://blog.test/category/news/feed.xml"
    )
    assert feed_json["hubs"] == [{"type": "WebSub", "url": hub_url}]
    with app.test_request_context():
        article = app.extensions["sqlalchemy"].session.get(Article, article.id)
        # Queued, and run at once after its commit (tests run jobs in place).
        assert announce(article) is True
        urls = feed_urls_for(article)
    assert Hub.received[0]["hub.mode"] == ["publish"]
    assert set(Hub.received[0]["hub.url"]) == set(urls)
    assert "http://blog.test/category/news/atom.xml" in urls


def test_a_failed_ping_is_logged_and_never_raised(app_factory, caplog) -> None:
    app = app_factory(WEBSUB_HUB="http://127.0.0.1:9/")  # nothing listens there
    with app.test_request_context():
        assert ping_websub(["http://blog.test/feed.xml"]) is False
    assert "WebSub ping to http://127.0.0.1:9/ failed" in caplog.text
