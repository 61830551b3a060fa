"""Whole-page caching for anonymous readers: fast, never stale, never personal."""

from __future__ import annotations

from datetime import timedelta

from blog.extensions import db
from blog.models import Article, Comment, CommentStatus, Role, User
from tests.factories import (
    make_article,
    make_category,
    make_comment,
    make_tag,
    make_user,
)

PAGES = ["/", "/articles/cached", "/category/news", "/tag/t", "/sitemap.xml"]


def publish_cached_article(app) -> None:  # noqa: ANN001
    with app.app_context():
        make_article(
            title="Cached piece",
            slug="cached",
            category=make_category("News"),
            tags=[make_tag("t")],
        )


def test_a_repeated_anonymous_page_asks_the_database_one_question(
    app, client, count_queries
) -> None:
    publish_cached_article(app)
    for path in PAGES:
        first = client.get(path)
        with count_queries() as queries:
            second = client.get(path)
        assert second.status_code == 200, path
        assert second.data == first.data, path
        assert len(queries) == 1, (path, queries)
        assert "Set-Cookie" not in second.headers


def test_anonymous_pages_answer_304_to_their_etag(app, client) -> None:
    publish_cached_article(app)
    first = client.get("/articles/cached")
    again = client.get(
        "/articles/cached", headers={"If-None-Match": first.headers["ETag"]}
    )
    assert again.status_code == 304
    assert again.data == b""
    assert "Cookie" in again.headers["Vary"]


def test_every_kind_of_change_shows_at_once(app, client) -> None:
    publish_cached_article(app)
    client.get("/articles/cached")

    with app.app_context():
        db.session.scalar(db.select(Article)).title = "Edited title"
        db.session.commit()
    assert "Edited title" in client.get("/articles/cached").text

    with app.app_context():
        article = db.session.scalar(db.select(Article))
        comment = make_comment(article, make_user(), status=CommentStatus.PENDING)
    assert "A thoughtful comment" not in client.get("/articles/cached").text
    with app.app_context():
        db.session.get(Comment, comment.id).status = CommentStatus.VISIBLE
        db.session.commit()
    assert "A thoughtful comment" in client.get("/articles/cached").text

    with app.app_context():
        article = db.session.scalar(db.select(Article))
        db.session.get(User, article.author_id).display_name = "Renamed Author"
        db.session.commit()
    assert "Renamed Author" in client.get("/articles/cached").text


def test_a_bulk_update_changes_the_version_too(app, client) -> None:
    publish_cached_article(app)
    client.get("/")
    with app.app_context():
        db.session.execute(db.update(Article).values(comment_count=7))
        db.session.commit()
    assert "7 comments" in client.get("/").text


def test_a_login_does_not_empty_the_cache(app, client, count_queries) -> None:
    publish_cached_article(app)
    client.get("/")
    with app.app_context():
        make_user(email="reader@example.com")  # new accounts show nowhere
    app.test_client().post(
        "/auth/login",
        data={"email": "reader@example.com", "password": "correct horse battery"},
    )
    with count_queries() as queries:
        client.get("/")
    assert len(queries) == 1


def test_a_scheduled_article_appears_on_cached_pages_at_its_time(
    app, client, clock
) -> None:
    publish_cached_article(app)
    with app.app_context():
        make_article(title="Later piece", published_at=clock.now + timedelta(hours=1))
    assert "Later piece" not in client.get("/").text

    clock.advance(timedelta(minutes=61))

    assert "Later piece" in client.get("/").text


def test_logged_in_readers_never_get_the_anonymous_page(app, client_as) -> None:
    publish_cached_article(app)
    app.test_client().get("/articles/cached")  # cached for anonymous readers
    reader, user = client_as(Role.READER)

    page = reader.get("/articles/cached")

    assert user.display_name in page.text
    assert "Log out" in page.text
    assert 'name="body"' in page.text  # the comment form, only for them
