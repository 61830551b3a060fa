"""Reading: the home page, article pages, listings, drafts and scheduled articles."""

from __future__ import annotations

import re
from datetime import timedelta

from lxml import html

from blog.extensions import db
from blog.models import ArticleStatus, utcnow
from tests.factories import make_article, make_category, make_tag, make_user


def test_home_lists_published_articles_newest_first(app, client) -> None:
    with app.app_context():
        make_article(title="Older", published_at=utcnow() - timedelta(days=2))
        make_article(title="Newer", published_at=utcnow() - timedelta(days=1))

    page = client.get("/")

    assert page.status_code == 200
    assert page.text.index("Newer") < page.text.index("Older")


def test_drafts_and_scheduled_articles_are_not_listed_nor_shown(app, client) -> None:
    with app.app_context():
        make_article(title="Visible one")
        make_article(title="Draft one", slug="draft", status=ArticleStatus.DRAFT)
        make_article(
            title="Scheduled one",
            slug="scheduled",
            published_at=utcnow() + timedelta(hours=1),
        )

    home = client.get("/").text

    assert "Visible one" in home
    assert "Draft one" not in home
    assert "Scheduled one" not in home
    assert client.get("/articles/draft").status_code == 404
    assert client.get("/articles/scheduled").status_code == 404


def test_a_scheduled_article_appears_by_itself_when_its_time_comes(app, client) -> None:
    with app.app_context():
        article = make_article(slug="soon", published_at=utcnow() + timedelta(hours=1))
        article.published_at = utcnow() - timedelta(seconds=1)
        db.session.commit()

    assert client.get("/articles/soon").status_code == 200


def test_home_paginates_ten_a_page(app, client) -> None:
    with app.app_context():
        for day in range(12):
            make_article(
                title=f"Piece {day:02d}", published_at=utcnow() - timedelta(days=day)
            )

    first, second = client.get("/"), client.get("/?page=2")

    assert first.text.count('class="card"') == 10
    assert second.text.count('class="card"') == 2
    assert 'rel="next" href="/?page=2"' in first.text
    assert client.get("/?page=3").status_code == 404
    assert client.get("/?page=abc").status_code == 200


def test_home_shows_an_empty_state_with_nothing_published(client) -> None:
    assert "Nothing is published yet" in client.get("/").text


def test_article_page_has_breadcrumb_single_h1_and_byline(app, client) -> None:
    with app.app_context():
        author = make_user(display_name="Raymond Cao", slug="raymond-cao")
        make_article(
            title="A Title",
            slug="a-title",
            author=author,
            category=make_category("News"),
            tags=[make_tag("Iraq")],
            body_markdown="# Body heading\n\nText.\n",
        )

    tree = html.fromstring(client.get("/articles/a-title").text)

    crumbs = tree.xpath('//nav[@aria-label="Breadcrumb"]//li')
    assert [li.text_content().strip() for li in crumbs] == ["Home", "News", "A Title"]
    assert [
        a.get("href") for a in tree.xpath('//nav[@aria-label="Breadcrumb"]//a')
    ] == [
        "/",
        "/category/news",
    ]
    assert [h.text_content() for h in tree.xpath("//h1")] == ["A Title"]
    assert tree.xpath("//div[@class='body']/h2/text()") == ["Body heading"]
    byline = tree.xpath('//a[@rel="author"]')[0]
    assert (byline.text, byline.get("href")) == ("Raymond Cao", "/author/raymond-cao")


def test_category_tag_and_author_listings(app, client) -> None:
    with app.app_context():
        author = make_user(display_name="Writer", slug="writer")
        make_article(
            title="Tagged piece",
            author=author,
            category=make_category("Science"),
            tags=[make_tag("space")],
        )
        make_article(title="Unrelated piece")

    for path in ("/category/science", "/tag/space", "/author/writer"):
        page = client.get(path)
        assert page.status_code == 200, path
        assert "Tagged piece" in page.text
        assert "Unrelated piece" not in page.text
    assert client.get("/category/nothing").status_code == 404


def test_search_finds_words_and_survives_any_text(app, client) -> None:
    with app.app_context():
        make_article(title="About sqlite", body_markdown="WAL mode is great.\n")
        make_article(title="Other", body_markdown="Nothing to see.\n")

    found = client.get("/search?q=wal+MODE").text
    assert "About sqlite" in found and "Other</a>" not in found
    for noise in ['"unbalanced (', "100%_\\", "NEAR(a b)", "x" * 3000]:
        assert client.get("/search", query_string={"q": noise}).status_code == 200


def test_home_sends_the_same_number_of_queries_for_3_and_30_articles(
    app, client, count_queries
) -> None:
    def queries_for_home() -> int:
        with count_queries() as queries:
            assert client.get("/").status_code == 200
        return len(queries)

    with app.app_context():
        category, tag = make_category("News"), make_tag("one")
        for _ in range(3):
            make_article(category=category, tags=[tag])
    with_three = queries_for_home()
    with app.app_context():
        for _ in range(27):
            make_article(category=category, tags=[tag, make_tag(f"t{_}")])
    with_thirty = queries_for_home()

    assert with_three == with_thirty


def test_deep_pages_of_a_tag_list_its_articles_in_order(app, client) -> None:
    """Pages are cut from the listing's ids first, then loaded: each page
    holds the next ten of the tag's public articles, newest first, whatever
    else is published around them."""
    with app.app_context():
        tag, other = make_tag("rivers"), make_tag("hills")
        for day in range(35):
            make_article(
                title=f"Tagged {day:02d}",
                tags=[tag] if day % 2 == 0 else [other],
                published_at=utcnow() - timedelta(days=day),
            )
        make_article(title="Tagged draft", tags=[tag], status=ArticleStatus.DRAFT)

    def titles(page: int) -> list[str]:
        html = client.get(f"/tag/rivers?page={page}").text
        return re.findall(r">(Tagged \d\d)</a>", html)

    expected = [f"Tagged {day:02d}" for day in range(0, 35, 2)]
    assert titles(1) == expected[:10]
    assert titles(2) == expected[10:]
    assert client.get("/tag/rivers?page=3").status_code == 404
