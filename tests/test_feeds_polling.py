"""Feed readers poll forever: 304s, validators that move with the content
and only with it, a cache that renders nothing twice, few queries."""

from __future__ import annotations

from datetime import timedelta
from email.utils import format_datetime, parsedate_to_datetime

import pytest

from blog.extensions import cache, db
from blog.feeds import routes
from blog.models import Article, ArticleStatus, Comment, CommentStatus, utcnow
from tests.factories import (
    make_article,
    make_category,
    make_comment,
    make_tag,
    make_user,
)
from tests.feed_helpers import every_feed_path, validators

SCOPES = {"category": "news", "tag": "iraq", "author": "raymond-cao", "article": "a"}


@pytest.fixture
def site(app) -> dict[str, int]:
    """Two categories, each with an article an hour old, and a comment."""
    with app.app_context():
        author = make_user(display_name="Raymond Cao", slug="raymond-cao")
        news = make_article(
            slug="a",
            author=author,
            category=make_category("News"),
            tags=[make_tag("Iraq")],
        )
        sport = make_article(slug="b", category=make_category("Sport"))
        make_comment(news, make_user(), created_at=utcnow() - timedelta(minutes=5))
        return {"news": news.id, "sport": sport.id}


def poll_all(client, paths: list[str]) -> dict[str, dict[str, str]]:
    """Every feed fetched once: the validators a reader keeps for each."""
    return {path: validators(client.get(path)) for path in paths}


def changed(client, kept: dict[str, dict[str, str]]) -> set[str]:
    """The feeds that answer 200 (not 304) to the validators kept."""
    answers = {
        path: client.get(path, headers=headers) for path, headers in kept.items()
    }
    for path, response in answers.items():
        assert response.status_code in (200, 304), path
        if response.status_code == 304:
            assert response.data == b"", path
    return {path for path, response in answers.items() if response.status_code == 200}


def article_feeds(*prefixes: str) -> set[str]:
    return {
        f"{p}/{name}"
        for p in prefixes
        for name in ("feed.xml", "atom.xml", "feed.json")
    }


ALL = every_feed_path(**SCOPES) + ["/category/sport/feed.xml"]


def test_validators_sent_back_get_304_with_an_empty_body(client, site) -> None:
    for path in every_feed_path(**SCOPES):
        first = client.get(path)
        etag, last_modified = first.headers["ETag"], first.headers["Last-Modified"]

        by_etag = client.get(path, headers={"If-None-Match": etag})
        by_date = client.get(path, headers={"If-Modified-Since": last_modified})

        for response in (by_etag, by_date):
            assert response.status_code == 304, path
            assert response.data == b""
            assert response.headers["ETag"] == etag
            assert response.headers["Cache-Control"] == "public, max-age=300"


def test_an_older_date_or_another_etag_gets_the_whole_feed(client, site) -> None:
    first = client.get("/feed.xml")
    older = parsedate_to_datetime(first.headers["Last-Modified"]) - timedelta(seconds=1)

    assert (
        client.get("/feed.xml", headers={"If-None-Match": '"other"'}).status_code == 200
    )
    response = client.get(
        "/feed.xml", headers={"If-Modified-Since": format_datetime(older, usegmt=True)}
    )
    assert response.status_code == 200
    assert response.data == first.data


def test_publishing_changes_exactly_the_feeds_the_article_appears_in(
    app, client, site
) -> None:
    kept = poll_all(client, ALL)
    with app.app_context():
        author = db.session.get(Article, site["news"]).author
        make_article(
            author=author,
            category=db.session.get(Article, site["news"]).category,
            published_at=utcnow(),
        )

    assert changed(client, kept) == article_feeds(
        "", "/category/news", "/author/raymond-cao"
    )


def test_editing_changes_the_feeds_of_that_article_only(app, client, site) -> None:
    kept = poll_all(client, ALL)
    with app.app_context():
        article = db.session.get(Article, site["sport"])
        article.title, article.updated_at = (
            "Sport, revised",
            utcnow() + timedelta(seconds=1),
        )
        db.session.commit()
        author_slug = article.author.slug

    assert changed(client, kept) == article_feeds("") | {"/category/sport/feed.xml"}
    assert "Sport, revised" in client.get(f"/author/{author_slug}/feed.xml").text


def test_a_visible_comment_changes_the_comment_feeds_only(app, client, site) -> None:
    kept = poll_all(client, ALL)
    with app.app_context():
        article = db.session.get(Article, site["news"])
        make_comment(article, make_user(), created_at=utcnow() + timedelta(seconds=1))
        make_comment(article, make_user(), status=CommentStatus.PENDING)

    assert changed(client, kept) == {
        "/comments/feed.xml",
        "/comments/atom.xml",
        "/articles/a/comments/feed.xml",
        "/articles/a/comments/atom.xml",
    }


def test_hiding_or_approving_a_comment_changes_its_feeds(app, client, site) -> None:
    paths = ["/comments/feed.xml", "/articles/a/comments/atom.xml", "/feed.xml"]
    kept = poll_all(client, paths)
    with app.app_context():
        comment = db.session.scalars(db.select(Comment)).one()
        comment.status = CommentStatus.HIDDEN
        db.session.commit()
    etags = {p: {"If-None-Match": h["If-None-Match"]} for p, h in kept.items()}

    assert changed(client, etags) == set(paths[:2])
    assert "A thoughtful comment" not in client.get("/comments/feed.xml").text


def test_unpublishing_changes_validators_and_never_moves_the_date_back(
    app, client, site
) -> None:
    before = client.get("/feed.xml")
    with app.app_context():
        article = db.session.get(Article, site["sport"])
        article.status = ArticleStatus.DRAFT
        article.updated_at = utcnow() + timedelta(seconds=1)
        db.session.commit()

    after = client.get("/feed.xml", headers=validators(before))

    assert after.status_code == 200
    assert after.headers["ETag"] != before.headers["ETag"]
    assert parsedate_to_datetime(
        after.headers["Last-Modified"]
    ) > parsedate_to_datetime(before.headers["Last-Modified"])
    # A reader that keeps only the date is not told "unchanged" either.
    only_date = {"If-Modified-Since": before.headers["Last-Modified"]}
    assert client.get("/feed.xml", headers=only_date).status_code == 200


def test_a_scheduled_article_changes_the_validators_when_its_time_comes(
    app, client, site, clock
) -> None:
    with app.app_context():
        make_article(title="Soon", published_at=clock.now + timedelta(hours=1))
    before = client.get("/feed.xml")
    assert "Soon" not in before.text

    clock.advance(timedelta(minutes=59))  # nothing is written while time passes
    assert client.get("/feed.xml", headers=validators(before)).status_code == 304
    clock.advance(timedelta(minutes=2))

    after = client.get("/feed.xml", headers=validators(before))
    assert after.status_code == 200 and "Soon" in after.text


def test_a_repeated_request_renders_nothing_and_asks_at_most_the_version(
    client, site, count_queries, version_reads, monkeypatch
) -> None:
    for path in every_feed_path(**SCOPES):
        client.get(path)
    renders = []
    monkeypatch.setattr(routes, "build_feed", lambda *a: renders.append(a) or b"")

    for path in every_feed_path(**SCOPES):
        with count_queries() as queries:
            response = client.get(path)
        assert response.status_code == 200
        assert len(questions(queries)) == version_reads, (path, queries)
    assert renders == []


def questions(statements: list[str]) -> list[str]:
    """The SQL that asks something: SQLite's BEGIN is transaction control the
    engine sends for every request, not a question."""
    return [s for s in statements if not s.strip().upper().startswith("BEGIN")]


def test_building_a_feed_costs_the_same_queries_for_5_and_20_items(
    app, client, count_queries
) -> None:
    def queries_for(path: str) -> int:
        with count_queries() as queries:
            assert client.get(path).status_code == 200
        return len(questions(queries))

    with app.app_context():
        author = make_user(slug="writer")
        category, reader = make_category("News"), make_user()
        for _ in range(5):
            article = make_article(author=author, category=category)
            make_comment(article, reader)
    small = {
        path: queries_for(path)
        for path in ("/feed.xml", "/author/writer/atom.xml", "/comments/feed.xml")
    }
    with app.app_context():
        tags = [make_tag(f"tag {n}") for n in range(8)]
        for _ in range(15):
            article = make_article(author=author, category=category, tags=tags)
            make_comment(article, reader)
    large = {path: queries_for(path) for path in small}

    assert large == small
    # Site version, next scheduled time, the site's settings (a memo, once
    # per version), validators, items, their tags.
    assert small["/feed.xml"] <= 7


def test_a_feed_sets_no_cookie(client, site) -> None:
    for path in every_feed_path(**SCOPES) + ["/subscribe"]:
        assert "Set-Cookie" not in client.get(path).headers, path


def test_an_unreachable_cache_still_serves_feeds(
    app, client, site, monkeypatch
) -> None:
    def broken(*_args: object) -> None:
        raise ConnectionError("cache down")

    backend = app.extensions["cache"][cache]
    monkeypatch.setattr(backend, "get", broken)
    monkeypatch.setattr(backend, "set", broken)

    assert client.get("/atom.xml").status_code == 200
    assert client.get("/").status_code == 200  # pages too


def test_links_and_ids_ignore_the_host_a_client_claims(app, client) -> None:
    with app.app_context():
        make_article(title="Hosted")

    one = client.get("/feed.xml", base_url="http://one.example")
    two = client.get("/feed.xml", base_url="http://evil.example")

    assert "http://blog.test/articles/" in one.text
    assert "evil.example" not in two.text
    assert one.headers["ETag"] == two.headers["ETag"]


def test_a_comment_sent_back_to_moderation_moves_last_modified_forward(
    app, client, site
) -> None:
    before = client.get("/comments/feed.xml")
    with app.app_context():
        comment = db.session.scalars(db.select(Comment)).one()
        comment.status = CommentStatus.PENDING
        comment.edited_at = utcnow()
        db.session.commit()

    only_date = {"If-Modified-Since": before.headers["Last-Modified"]}
    after = client.get("/comments/feed.xml", headers=only_date)

    assert after.status_code == 200
    assert "A thoughtful comment" not in after.text
