"""Readers: search, archives, the sitemap, page metadata and query budgets."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from lxml import etree, html

from blog.extensions import db
from blog.inputs import CONTROL_CHARACTERS
from blog.models import Article, ArticleStatus, Role, User, utcnow
from tests.factories import make_article, make_category, make_tag, make_user

HOSTILE_QUERIES = [
    '"unbalanced',
    "(((",
    "a AND OR NOT b",
    "NEAR(a b, 2)",
    "title: x",
    "*",
    "a*",
    "'; DROP TABLE articles; --",
    "\\",
    "%_%",
    "🙂 ünïcödé",
    "x" * 2000,
    " ".join(["word"] * 500),
    "\x00\x01",
]


def test_search_ranks_a_title_match_above_a_body_match_and_marks_terms(
    app, client
) -> None:
    with app.app_context():
        make_article(
            title="Notes from a garden",
            slug="body-only",
            body_markdown="The word volcano appears here, volcano, volcano.\n",
            published_at=utcnow() - timedelta(hours=1),
        )
        make_article(
            title="A volcano wakes",
            slug="title-match",
            body_markdown="It rumbled all night.\n",
            published_at=utcnow() - timedelta(hours=5),
        )
        make_article(title="Unrelated", slug="unrelated", body_markdown="Rain.\n")

    page = client.get("/search?q=volcano")

    assert page.status_code == 200
    tree = html.fromstring(page.text)
    titles = [a.text for a in tree.xpath("//article[@class='card']/h2/a")]
    assert titles == ["A volcano wakes", "Notes from a garden"]
    marks = tree.xpath("//p[@class='card-summary snippet']/mark/text()")
    assert "volcano" in [mark.lower() for mark in marks]


def test_search_finds_words_of_the_body_with_other_forms(app, client) -> None:
    with app.app_context():
        make_article(title="Weather", body_markdown="Storms were forming offshore.\n")
    assert "Weather" in client.get("/search?q=storm").text


def test_search_leaves_out_drafts_and_scheduled_articles(app, client) -> None:
    with app.app_context():
        make_article(title="Secret draft comet", status=ArticleStatus.DRAFT)
        make_article(title="Future comet", published_at=utcnow() + timedelta(days=1))
    page = client.get("/search?q=comet").text
    assert "Secret draft comet" not in page and "Future comet" not in page
    assert "0 articles" in page


def test_search_escapes_the_article_text_in_snippets(app, client) -> None:
    with app.app_context():
        make_article(
            title="Markup",
            body_markdown="The word rarely matters; `<em>` stays text.\n",
        )
    page = client.get("/search?q=rarely").text
    snippet = html.fromstring(page).xpath("//p[@class='card-summary snippet']")[0]
    assert snippet.xpath("./*") == snippet.xpath("./mark")  # no other element
    assert snippet.xpath("./mark/text()") == ["rarely"]


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
def test_any_search_text_answers_200(app, client, query: str) -> None:
    """Any text: a control character is no text, and the input policy's 400."""
    with app.app_context():
        make_article(title="Something", body_markdown="word near title\n")
    expected = 400 if CONTROL_CHARACTERS.search(query) else 200
    assert client.get("/search", query_string={"q": query}).status_code == expected


def test_archive_pages_list_a_year_and_a_month(app, client) -> None:
    with app.app_context():
        make_article(title="March piece", published_at=datetime(2024, 3, 5, tzinfo=UTC))
        make_article(title="July piece", published_at=datetime(2024, 7, 9, tzinfo=UTC))
        make_article(title="Older piece", published_at=datetime(2023, 7, 9, tzinfo=UTC))

    year = client.get("/archive/2024").text
    month = client.get("/archive/2024/3").text

    assert "March piece" in year and "July piece" in year and "Older" not in year
    assert "March piece" in month and "July piece" not in month
    assert "March 2024" in month
    assert client.get("/archive/2024/13").status_code == 404
    assert "No articles here yet" in client.get("/archive/1999").text


def test_archive_months_follow_the_site_time_zone(app_factory) -> None:
    app = app_factory(TIMEZONE="America/New_York")
    with app.app_context():
        # 02:00 UTC on 1 March is still February in New York.
        make_article(
            title="Late night", published_at=datetime(2024, 3, 1, 2, tzinfo=UTC)
        )
    client = app.test_client()
    assert "Late night" in client.get("/archive/2024/2").text
    assert "Late night" not in client.get("/archive/2024/3").text


def test_sitemap_lists_public_articles_and_listings_with_lastmod(app, client) -> None:
    with app.app_context():
        author = make_user(slug="writer", role=Role.AUTHOR)
        make_article(
            slug="public-one",
            author=author,
            category=make_category("Science"),
            tags=[make_tag("space")],
            published_at=datetime(2024, 5, 1, tzinfo=UTC),
        )
        make_article(slug="hidden-draft", status=ArticleStatus.DRAFT)

    response = client.get("/sitemap.xml")

    assert response.mimetype == "application/xml"
    tree = etree.fromstring(response.data)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    urls = dict(
        zip(
            tree.xpath("//s:loc/text()", namespaces=ns),
            tree.xpath("//s:lastmod/text()", namespaces=ns),
            strict=True,
        )
    )
    base = "http://blog.test"
    for path in [
        "/",
        "/articles/public-one",
        "/category/science",
        "/tag/space",
        "/author/writer",
        "/archive/2024",
        "/archive/2024/5",
    ]:
        assert base + path in urls, path
    assert urls[base + "/archive/2024/5"].startswith("2024-05-01")
    assert not [url for url in urls if "hidden-draft" in url]


def test_robots_txt_points_at_the_sitemap(client) -> None:
    robots = client.get("/robots.txt")
    assert robots.mimetype == "text/plain"
    assert "Sitemap: http://blog.test/sitemap.xml" in robots.text
    assert "Disallow: /studio/" in robots.text


def test_article_pages_carry_seo_metadata(app, client) -> None:
    with app.app_context():
        make_article(
            title="Meta matters",
            slug="meta-matters",
            summary="Why tags in the head help.",
            category=make_category("Web"),
        )

    tree = html.fromstring(client.get("/articles/meta-matters?utm=x").text)

    def meta(attribute: str, name: str) -> str:
        return tree.xpath(f"//meta[@{attribute}='{name}']/@content")[0]

    assert tree.xpath("//title/text()")[0].startswith("Meta matters")
    assert meta("name", "description") == "Why tags in the head help."
    canonical = tree.xpath("//link[@rel='canonical']/@href")
    assert canonical == ["http://blog.test/articles/meta-matters"]
    assert meta("property", "og:type") == "article"
    assert meta("property", "og:title").startswith("Meta matters")
    assert meta("name", "twitter:card") == "summary"
    data = json.loads(tree.xpath("//script[@type='application/ld+json']/text()")[0])
    assert data["@type"] == "Article" and data["headline"] == "Meta matters"
    assert data["articleSection"] == "Web"


def test_article_page_links_to_its_neighbours_and_says_updated(app, client) -> None:
    with app.app_context():
        make_article(title="First", slug="first", published_at=utcnow() - timedelta(3))
        make_article(
            title="Middle",
            slug="middle",
            published_at=utcnow() - timedelta(2),
            updated_at=utcnow() - timedelta(1),
        )
        make_article(title="Last", slug="last", published_at=utcnow() - timedelta(1))
        make_article(title="Draft", slug="draft", status=ArticleStatus.DRAFT)

    tree = html.fromstring(client.get("/articles/middle").text)

    assert tree.xpath("//a[@rel='prev']/@href") == ["/articles/first"]
    assert tree.xpath("//a[@rel='next']/@href") == ["/articles/last"]
    assert "updated" in tree.xpath("string(//p[@class='meta byline'])")
    newest = html.fromstring(client.get("/articles/last").text)
    assert newest.xpath("//a[@rel='next']") == []


def test_listing_entries_show_reading_time_and_comment_count(app, client) -> None:
    with app.app_context():
        make_article(title="Counted", comment_count=3, body_markdown="word " * 660)
    text = html.fromstring(client.get("/").text).xpath("string(//p[@class='meta'])")
    assert "3 min read" in text
    assert "3 comments" in text


def add_articles(count: int, *, start: int, author: User, category, tags) -> None:
    """Many public articles at once (one commit), each with every tag."""
    for number in range(start, start + count):
        body = f"Paragraph {number} about a volcano.\n"
        db.session.add(
            Article(
                title=f"Bulk {number} volcano",
                slug=f"bulk-{number}",
                body_markdown=body,
                body_html=f"<p>{body}</p>",
                body_text=body,
                summary=body,
                author=author,
                category=category,
                tags=tags,
                status=ArticleStatus.PUBLISHED,
                published_at=utcnow() - timedelta(hours=number + 1),
            )
        )
    db.session.commit()


PAGES_WITH_A_QUERY_BUDGET = [
    "/",
    "/?page=2",
    "/articles/bulk-0",
    "/category/volcanoes",
    "/tag/shared",
    "/author/bulk-author",
    "/search?q=volcano",
    "/archive/{year}",
]


@pytest.mark.parametrize("path", PAGES_WITH_A_QUERY_BUDGET)
def test_pages_issue_as_many_queries_for_300_articles_as_for_3(
    app, client, count_queries, path: str
) -> None:
    url = path.format(year=utcnow().year)

    def queries_for_page() -> int:
        with count_queries() as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    with app.app_context():
        author = make_user(role=Role.AUTHOR, slug="bulk-author")
        category = make_category("Volcanoes")
        tags = [make_tag(f"tag {n}") for n in range(8)] + [make_tag("shared")]
        author, category = db.session.merge(author), db.session.merge(category)
        tags = [db.session.merge(tag) for tag in tags]
        add_articles(
            3 if "page=2" not in url else 13,
            start=0,
            author=author,
            category=category,
            tags=tags,
        )
    with_few = queries_for_page()
    with app.app_context():
        author, category = db.session.merge(author), db.session.merge(category)
        tags = [db.session.merge(tag) for tag in tags]
        add_articles(297, start=100, author=author, category=category, tags=tags)
    with_many = queries_for_page()

    assert with_few == with_many
