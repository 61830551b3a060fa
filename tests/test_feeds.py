"""Feeds: every URL valid in its own format, and the items subscribers get."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

import pytest

from blog.extensions import db
from blog.models import Article, ArticleStatus, CommentStatus, utcnow
from tests.factories import (
    make_article,
    make_category,
    make_comment,
    make_tag,
    make_user,
)
from tests.feed_helpers import (
    ATOM,
    CONTENT,
    DC,
    MEDIA_TYPES,
    RFC_822,
    RFC_3339,
    article_feed_paths,
    assert_valid_atom,
    assert_valid_rss,
    comment_feed_paths,
    every_feed_path,
    json_of,
    media_type,
    parsed,
    xml_of,
)

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
BODY = (
    "Read [the background](/articles/background) first.\n\n"
    '![A map](/uploads/map.png "The map")\n\n'
    "A claim.[^1]\n\n[^1]: [A source](https://example.org/source).\n"
)


@pytest.fixture
def site(app) -> dict[str, str]:
    """An author with a categorised, tagged article that has a comment."""
    with app.app_context():
        author = make_user(display_name="Raymond Cao", slug="raymond-cao")
        article = make_article(
            title="The Mosul Offensive",
            slug="the-mosul-offensive",
            author=author,
            category=make_category("News"),
            tags=[make_tag("Iraq"), make_tag("Middle East")],
            summary="Where the offensive stands.",
            body_markdown=BODY,
            published_at=utcnow() - timedelta(days=1),
        )
        make_comment(
            article, make_user(display_name="Ann Reader"), body_markdown="Good *piece*."
        )
    return {
        "category": "news",
        "tag": "iraq",
        "author": "raymond-cao",
        "article": "the-mosul-offensive",
    }


def test_every_feed_answers_in_its_own_format_and_parses_cleanly(client, site) -> None:
    for path in every_feed_path(**site):
        response = client.get(path)

        assert response.status_code == 200, path
        assert media_type(response) == MEDIA_TYPES[path.rsplit("/", 1)[1]], path
        assert response.headers["Cache-Control"] == "public, max-age=300"
        assert response.headers["ETag"] and response.headers["Last-Modified"]
        if path.endswith(".json"):
            assert json_of(response)["version"] == "https://jsonfeed.org/version/1.1"
        else:
            xml_of(response)
            assert len(parsed(response).entries) == 1, path


def test_xml_feeds_meet_the_rules_the_w3c_validator_checks(client, site) -> None:
    for path in every_feed_path(**site):
        if path.endswith(".json"):
            continue
        document = xml_of(client.get(path))
        if path.endswith("feed.xml"):
            assert_valid_rss(document, f"http://blog.test{path}")
        else:
            assert_valid_atom(document, f"http://blog.test{path}")


def test_unknown_scopes_and_hidden_articles_have_no_feeds(app, client) -> None:
    with app.app_context():
        make_article(slug="draft", status=ArticleStatus.DRAFT)
        make_article(slug="later", published_at=utcnow() + timedelta(days=1))

    for path in (
        "/category/nothing/feed.xml",
        "/tag/nothing/atom.xml",
        "/author/nobody/feed.json",
        "/articles/nothing/comments/feed.xml",
        "/articles/draft/comments/feed.xml",
        "/articles/later/comments/atom.xml",
    ):
        assert client.get(path).status_code == 404, path


def test_rss_items_carry_content_summary_author_labels_and_a_stable_guid(
    client, site
) -> None:
    item = xml_of(client.get("/feed.xml")).find("channel/item")

    assert item.findtext("title") == "The Mosul Offensive"
    assert item.findtext("link") == "http://blog.test/articles/the-mosul-offensive"
    assert item.findtext("description") == "Where the offensive stands."
    assert item.findtext(f"{DC}creator") == "Raymond Cao"
    assert [c.text for c in item.findall("category")] == ["News", "Iraq", "Middle East"]
    guid = item.find("guid")
    assert guid.get("isPermaLink") == "false"
    assert re.fullmatch(r"tag:blog\.test,\d{4}-\d{2}-\d{2}:article/\d+", guid.text)
    assert RFC_822.match(item.findtext("pubDate"))
    content = item.findtext(f"{CONTENT}encoded")
    assert "<h2" not in content and "A claim." in content


def test_links_and_images_inside_content_are_absolute(client, site) -> None:
    content = xml_of(client.get("/feed.xml")).findtext(f"channel/item/{CONTENT}encoded")

    assert 'href="http://blog.test/articles/background"' in content
    assert 'src="http://blog.test/uploads/map.png"' in content
    assert 'href="https://example.org/source"' in content
    assert 'href="http://blog.test/articles/the-mosul-offensive#fn1"' in content
    assert not re.search(r'(href|src)="(?!https?://)', content)


def test_atom_entries_have_html_content_summary_dates_and_authors(client, site) -> None:
    feed = xml_of(client.get("/atom.xml"))
    entry = feed.find(f"{ATOM}entry")

    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == (
        "http://blog.test/atom.xml"
    )
    assert entry.find(f"{ATOM}content").get("type") == "html"
    assert entry.findtext(f"{ATOM}summary") == "Where the offensive stands."
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == "Raymond Cao"
    assert entry.findtext(f"{ATOM}author/{ATOM}uri") == (
        "http://blog.test/author/raymond-cao"
    )
    for when in ("published", "updated"):
        assert RFC_3339.match(entry.findtext(f"{ATOM}{when}"))
    assert RFC_3339.match(feed.findtext(f"{ATOM}updated"))
    terms = [c.get("term") for c in entry.findall(f"{ATOM}category")]
    assert terms == ["News", "Iraq", "Middle East"]


def test_json_feed_follows_version_1_1(client, site) -> None:
    feed = json_of(client.get("/feed.json"))
    item = feed["items"][0]

    assert feed["feed_url"] == "http://blog.test/feed.json"
    assert feed["home_page_url"] == "http://blog.test/"
    assert item["url"] == "http://blog.test/articles/the-mosul-offensive"
    assert item["id"].startswith("tag:blog.test,")
    assert item["summary"] == "Where the offensive stands."
    assert "A claim." in item["content_html"]
    assert item["authors"] == [
        {"name": "Raymond Cao", "url": "http://blog.test/author/raymond-cao"}
    ]
    assert item["tags"] == ["News", "Iraq", "Middle East"]
    for when in ("date_published", "date_modified"):
        assert RFC_3339.match(item[when])


def test_feeds_hold_the_twenty_newest_articles_newest_first(app, client) -> None:
    with app.app_context():
        for day in range(25):
            make_article(
                title=f"Day {day:02d}", published_at=utcnow() - timedelta(days=day)
            )

    rss = [i.title for i in parsed(client.get("/feed.xml")).entries]
    atom = [e.title for e in parsed(client.get("/atom.xml")).entries]
    json_titles = [i["title"] for i in json_of(client.get("/feed.json"))["items"]]

    assert rss == atom == json_titles == [f"Day {day:02d}" for day in range(20)]


def test_last_build_date_and_updated_equal_the_newest_change(app, client) -> None:
    edited = datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC)
    with app.app_context():
        make_article(published_at=edited - timedelta(days=3))
        newest = make_article(published_at=edited - timedelta(days=2))
        newest.updated_at = edited
        db.session.commit()

    rss, atom = client.get("/feed.xml"), client.get("/atom.xml")
    json_item = json_of(client.get("/feed.json"))["items"][0]

    assert parsedate_to_datetime(rss.headers["Last-Modified"]) == edited
    last_build = xml_of(rss).findtext("channel/lastBuildDate")
    assert parsedate_to_datetime(last_build) == edited
    assert datetime.fromisoformat(xml_of(atom).findtext(f"{ATOM}updated")) == edited
    assert datetime.fromisoformat(json_item["date_modified"]) == edited


def test_item_ids_survive_an_edit_and_a_slug_change(app, client, site) -> None:
    before = {i.id for i in parsed(client.get("/atom.xml")).entries}
    with app.app_context():
        article = db.session.scalar(Article.select_by_slug("the-mosul-offensive"))
        article.title, article.slug = "Mosul, revised", "mosul-revised"
        article.updated_at = utcnow()
        db.session.commit()

    for path in ("/feed.xml", "/atom.xml"):
        entry = parsed(client.get(path)).entries[0]
        assert entry.title == "Mosul, revised"
        assert entry.link == "http://blog.test/articles/mosul-revised"
        assert {entry.id} == before
    assert {i["id"] for i in json_of(client.get("/feed.json"))["items"]} == before


def test_scoped_feeds_hold_only_their_articles(app, client, site) -> None:
    with app.app_context():
        make_article(title="Elsewhere", category=make_category("Sport"))

    for scope in ("/category/news", "/tag/iraq", "/author/raymond-cao"):
        feed = parsed(client.get(f"{scope}/feed.xml"))
        assert [e.title for e in feed.entries] == ["The Mosul Offensive"], scope
        assert feed.feed.link == f"http://blog.test{scope}"
    assert (
        parsed(client.get("/category/news/atom.xml")).feed.title == "News · Test Blog"
    )


def test_drafts_scheduled_articles_and_unshown_comments_are_in_no_feed(
    app, client, site
) -> None:
    with app.app_context():
        category, tag = make_category("Sport"), make_tag("Iraq", slug="iraq-2")
        author = make_user(slug="secretive")
        hidden_ones = dict(category=category, tags=[tag], author=author)
        make_article(title="Draft piece", status=ArticleStatus.DRAFT, **hidden_ones)
        make_article(
            title="Future piece",
            published_at=utcnow() + timedelta(hours=1),
            **hidden_ones,
        )
        article = db.session.scalar(Article.select_by_slug("the-mosul-offensive"))
        reader = make_user()
        for status in ("pending", "hidden", "spam", "deleted"):
            make_comment(
                article,
                reader,
                body_markdown=f"{status} words",
                status=CommentStatus(status),
            )
        draft = make_article(status=ArticleStatus.DRAFT)
        make_comment(draft, reader, body_markdown="On a draft")

    paths = every_feed_path(**site) + [
        "/category/sport/feed.xml",
        "/tag/iraq-2/atom.xml",
        "/author/secretive/feed.json",
    ]
    for path in paths:
        text = client.get(path).text
        for secret in ("Draft piece", "Future piece", "pending words", "hidden words"):
            assert secret not in text, (path, secret)
        assert "spam words" not in text and "On a draft" not in text


def test_comment_feeds_list_visible_comments_newest_first(app, client, site) -> None:
    with app.app_context():
        article = db.session.scalar(Article.select_by_slug("the-mosul-offensive"))
        other = make_article(title="Another")
        make_comment(article, make_user(display_name="Bo"), body_markdown="Later words")
        gone = make_user(display_name="Gone")
        make_comment(other, gone, body_markdown="Elsewhere words")
        db.session.delete(gone)
        db.session.commit()

    site_feed = parsed(client.get("/comments/feed.xml")).entries
    article_feed = parsed(client.get("/articles/the-mosul-offensive/comments/atom.xml"))

    assert [e.title for e in site_feed] == [
        "deleted user on “Another”",
        "Bo on “The Mosul Offensive”",
        "Ann Reader on “The Mosul Offensive”",
    ]
    assert [e.author for e in article_feed.entries] == ["Bo", "Ann Reader"]
    first = article_feed.entries[0]
    assert re.fullmatch(r"tag:blog\.test,\d{4}-\d{2}-\d{2}:comment/\d+", first.id)
    assert re.fullmatch(
        r"http://blog\.test/articles/the-mosul-offensive#comment-\d+", first.link
    )
    assert "Later words" in first.content[0].value


def test_an_old_slug_sends_comment_feed_readers_to_the_new_one(
    app, client, site
) -> None:
    from blog.models import ArticleRedirect

    with app.app_context():
        article = db.session.scalar(Article.select_by_slug("the-mosul-offensive"))
        article.slug = "mosul"
        db.session.add(ArticleRedirect(old_slug="the-mosul-offensive", article=article))
        db.session.commit()

    response = client.get("/articles/the-mosul-offensive/comments/atom.xml")

    assert response.status_code == 301
    assert response.headers["Location"].endswith("/articles/mosul/comments/atom.xml")


def test_an_empty_site_has_valid_empty_feeds(client) -> None:
    assert_valid_rss(xml_of(client.get("/feed.xml")), "http://blog.test/feed.xml")
    assert_valid_atom(xml_of(client.get("/atom.xml")), "http://blog.test/atom.xml")
    assert json_of(client.get("/feed.json"))["items"] == []
    empty = client.get("/feed.xml")
    again = client.get("/feed.xml", headers={"If-None-Match": empty.headers["ETag"]})
    assert again.status_code == 304


def test_a_scope_with_nothing_public_has_no_feed_nor_page(app, client) -> None:
    """Its name may come from a draft: it does not exist for the public."""
    with app.app_context():
        make_category("Empty")
        make_article(
            slug="lonely",
            status=ArticleStatus.DRAFT,
            category=make_category("Embargoed Deals"),
            tags=[make_tag("Acme Merger")],
        )
        make_article(slug="public")

    for scope in ("category/empty", "category/embargoed-deals", "tag/acme-merger"):
        for name in ("feed.xml", "atom.xml", "feed.json"):
            assert client.get(f"/{scope}/{name}").status_code == 404, scope
        assert client.get(f"/{scope}").status_code == 404, scope
    empty = client.get("/articles/public/comments/feed.xml")
    assert parsed(empty).entries == []


@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_feed_is_in_the_sites_language(app_factory, language) -> None:
    """RSS <language>, Atom xml:lang and JSON Feed's language follow the
    site's, so readers can group and hyphenate the feed's text rightly."""
    app = app_factory(LANGUAGE=language)
    with app.app_context():
        article = make_article(slug="piece", category=make_category("News"))
        make_comment(article, make_user())
    client = app.test_client()
    paths = [
        *article_feed_paths(),
        *article_feed_paths("/category/news"),
        *comment_feed_paths("piece"),
    ]
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        if path.endswith(".json"):
            assert json_of(response)["language"] == language, path
            continue
        root = xml_of(response)
        if root.tag == f"{ATOM}feed":
            assert root.get(XML_LANG) == language, path
        else:
            assert root.findtext("channel/language") == language, path
