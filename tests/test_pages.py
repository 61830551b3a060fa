"""Pages: an About or a Contact page an author writes in the same editor,
standing alone at /<slug>: never in a listing, a feed or the archive, but
found by search engines and by the site's search."""

from __future__ import annotations

import json
from datetime import timedelta

import feedparser
import pytest
from lxml import etree, html

from blog.extensions import db
from blog.models import Article, ArticleKind, ArticleStatus, Role, utcnow
from tests.factories import make_article, make_category, make_tag, make_user
from tests.test_studio import editor_form


@pytest.fixture
def site_with_a_page(app):
    """An article and an About page by the same author, in the same category
    and tag as far as the data allows (a page keeps neither)."""
    with app.app_context():
        author = make_user(display_name="Ada", slug="ada", role=Role.AUTHOR)
        make_article(
            title="Tides of March",
            slug="tides",
            author=author,
            category=make_category("Sea"),
            tags=[make_tag("salt")],
        )
        make_article(
            title="About this harbour",
            slug="about",
            kind=ArticleKind.PAGE,
            author=author,
            comments_open=False,
            body_markdown="We write about the harbour and its keepers.\n",
        )
    return app


def test_a_page_stands_alone_at_its_own_address(site_with_a_page, client) -> None:
    response = client.get("/about")
    assert response.status_code == 200
    page = html.fromstring(response.text)
    assert page.findtext(".//h1") == "About this harbour"
    assert "the harbour and its keepers" in page.text_content()
    assert page.find(".//p[@class='meta byline']") is None  # no date, no author line
    assert page.find(".//nav[@class='neighbours']") is None
    assert page.find(".//*[@id='comments']") is None  # no comments unless opened
    canonical = page.find(".//link[@rel='canonical']").get("href")
    assert canonical == "http://blog.test/about"
    data = json.loads(page.find(".//script[@type='application/ld+json']").text)
    assert data["@type"] == "WebPage"
    assert data["mainEntityOfPage"] == "http://blog.test/about"


def test_an_article_s_links_reach_a_page_and_a_page_s_address_no_article(
    site_with_a_page, client
) -> None:
    moved = client.get("/articles/about")
    assert moved.status_code == 301
    assert moved.headers["Location"].endswith("/about")
    assert client.get("/tides").status_code == 404
    assert client.get("/nothing-here").status_code == 404


LISTINGS = [
    "/",
    "/category/sea",
    "/tag/salt",
    "/author/ada",
    f"/archive/{utcnow().year}",
    f"/archive/{utcnow().year}/{utcnow().month}",
    "/archive",
]


@pytest.mark.parametrize("path", LISTINGS)
def test_a_page_is_in_no_listing(site_with_a_page, client, path) -> None:
    # Around a month's turn the article may sit in the previous month.
    text = client.get(path).text
    assert "About this harbour" not in text
    assert "/about" not in text.replace('href="/author', "")


@pytest.mark.parametrize(
    "path",
    [
        "/feed.xml",
        "/atom.xml",
        "/feed.json",
        "/author/ada/feed.xml",
        "/author/ada/feed.json",
        "/category/sea/atom.xml",
    ],
)
def test_a_page_is_in_no_feed(site_with_a_page, client, path) -> None:
    body = client.get(path).data
    if path.endswith(".json"):
        titles = [item["title"] for item in json.loads(body)["items"]]
    else:
        titles = [entry.title for entry in feedparser.parse(body).entries]
    assert titles == ["Tides of March"]


def test_a_page_is_in_the_sitemap_and_in_search(site_with_a_page, client) -> None:
    sitemap = etree.fromstring(client.get("/sitemap.xml").data)
    locations = [
        element.text for element in sitemap.iter() if element.tag.endswith("loc")
    ]
    assert "http://blog.test/about" in locations
    assert "http://blog.test/articles/about" not in locations
    found = html.fromstring(client.get("/search?q=keepers").text)
    links = [link.get("href") for link in found.iter("a")]
    assert "/about" in links


def test_a_draft_page_is_nobody_s_business(app, client) -> None:
    with app.app_context():
        make_article(
            slug="contact",
            kind=ArticleKind.PAGE,
            status=ArticleStatus.DRAFT,
            published_at=None,
        )
        make_article(
            slug="later",
            kind=ArticleKind.PAGE,
            published_at=utcnow() + timedelta(days=1),
        )
    assert client.get("/contact").status_code == 404
    assert client.get("/later").status_code == 404


def new_page(client, **fields: object):
    """The editor's form as a browser sends it for a new page: comments
    unticked (as the page editor opens) unless the test ticks them."""
    form = editor_form(publish="1", kind="page", **fields)
    if "comments_open" not in fields:
        del form["comments_open"]
    return client.post("/studio/articles/new", data=form)


def test_an_author_writes_a_page_in_the_editor(app, client_as) -> None:
    author, _user = client_as(Role.AUTHOR)
    editor = html.fromstring(author.get("/studio/articles/new?kind=page").text)
    assert editor.findtext(".//title").startswith("New page")
    assert editor.get_element_by_id("kind").get("value") == "page"
    assert editor.find(".//input[@name='category']") is None
    assert editor.find(".//input[@name='comments_open']").get("checked") is None

    response = new_page(author, title="Colophon", slug="colophon")
    assert response.status_code == 303
    with app.app_context():
        page = db.session.scalars(db.select(Article)).one()
        assert page.kind is ArticleKind.PAGE
        assert page.category is None
        assert not page.comments_open
    assert app.test_client().get("/colophon").status_code == 200
    dashboard = html.fromstring(author.get("/studio/").text)
    row = dashboard.xpath("//tr[td/a[text()='Colophon']]")[0]
    assert "page" in row.text_content()


@pytest.mark.parametrize(
    ("fields", "address"),
    [
        ({"title": "Our archive", "slug": "archive"}, "/archive"),
        ({"title": "Search"}, "/search"),  # the slug made from the title
        ({"title": "Admin", "slug": "wp-admin"}, "/wp-admin"),
        ({"title": "Feed", "slug": "feed"}, "/feed"),
        ({"title": "Studio", "slug": "studio"}, "/studio"),
    ],
)
def test_a_page_may_not_take_an_address_the_site_uses(
    app, client_as, client, fields, address
) -> None:
    author, _user = client_as(Role.AUTHOR)
    response = new_page(author, **fields)
    assert response.status_code == 400
    assert f"{address} is an address the blog uses itself" in response.text
    assert fields["title"] in response.text  # nothing typed is lost
    with app.app_context():
        assert db.session.scalars(db.select(Article)).first() is None


def test_an_article_may_take_a_word_a_page_may_not(app, client_as) -> None:
    author, _user = client_as(Role.AUTHOR)
    form = editor_form(publish="1", title="The archive", slug="archive")
    assert author.post("/studio/articles/new", data=form).status_code == 303
    assert app.test_client().get("/articles/archive").status_code == 200


def test_comments_switched_on_for_a_page_work_there(app, client_as) -> None:
    author, _user = client_as(Role.AUTHOR)
    new_page(author, title="Guestbook", slug="guestbook", comments_open="y")
    reader, _reader = client_as(Role.READER)
    page = html.fromstring(reader.get("/guestbook").text)
    assert page.find(".//form[@id='comment-form']") is not None
    posted = reader.post("/articles/guestbook/comments", data={"body": "Hello!"})
    assert posted.status_code == 303
    followed = reader.get(posted.headers["Location"], follow_redirects=True)
    assert followed.request.path == "/guestbook"
    assert "Hello!" in followed.text


def test_import_markdown_takes_type_page(app, runner, tmp_path) -> None:
    source = tmp_path / "about.md"
    source.write_text(
        "---\ntitle: About us\nslug: about-us\nauthor: Ada\ntype: page\n---\n"
        "Who we are.\n"
    )
    result = runner.invoke(args=["import-markdown", str(source)])
    assert result.exit_code == 0, result.output
    with app.app_context():
        page = db.session.scalars(db.select(Article)).one()
        assert page.kind is ArticleKind.PAGE
        assert not page.comments_open
    assert app.test_client().get("/about-us").status_code == 200

    source.write_text("---\ntitle: About us\nslug: about-us\nauthor: Ada\n---\nx\n")
    result = runner.invoke(args=["import-markdown", str(source)])
    assert result.exit_code != 0
    assert "is a page: its type cannot change" in result.output

    source.write_text("---\ntitle: X\nauthor: Ada\ntype: post\n---\nx\n")
    result = runner.invoke(args=["import-markdown", str(source)])
    assert "type 'post' is not article or page" in result.output


def test_what_scanners_ask_for_is_a_404_without_looking_for_a_page(
    site_with_a_page, client, count_queries
) -> None:
    client.get("/no-such-page")  # the 404 page's own memos, once
    for path in ("/wp-login.php", "/.env", "/About", "/x_y"):
        with count_queries() as queries:
            assert client.get(path).status_code == 404
        assert not [q for q in queries if "articles.slug =" in q], path
    with count_queries() as queries:
        client.get("/no-such-page")
    assert [q for q in queries if "articles.slug =" in q]
