"""Whole-page caching for anonymous readers: fast, never stale, never personal."""

from __future__ import annotations

from datetime import timedelta

from blog.cache.memo import FINGERPRINT
from blog.cache.middleware import page_key
from blog.extensions import cache, db
from blog.models import Article, Comment, CommentStatus, Role, User
from blog.models.site_state import SiteState
from blog.security import SECURITY_HEADERS
from tests.factories import (
    make_article,
    make_category,
    make_comment,
    make_tag,
    make_user,
)

PAGES = ["/", "/articles/cached", "/category/news", "/tag/t", "/sitemap.xml"]


def stored_page(app, version: int, path: str, query: str = "") -> str:  # noqa: ANN001
    """The key the middleware stores a page under."""
    environ = {"PATH_INFO": path, "QUERY_STRING": query}
    return page_key(app.extensions[FINGERPRINT], version, environ)


def publish_cached_article(app) -> None:  # noqa: ANN001
    with app.app_context():
        make_article(
            title="Cached piece",
            slug="cached",
            category=make_category("News"),
            tags=[make_tag("t")],
        )


def test_a_repeated_anonymous_page_asks_at_most_for_the_version(
    app, client, count_queries, version_reads
) -> None:
    publish_cached_article(app)
    for path in PAGES:
        first = client.get(path)
        with count_queries() as queries:
            second = client.get(path)
        assert second.status_code == 200, path
        assert second.data == first.data, path
        assert len(queries) == version_reads, (path, queries)
        assert "Set-Cookie" not in second.headers


def test_a_cached_page_carries_the_headers_of_the_rendered_one(app, client) -> None:
    publish_cached_article(app)
    first = client.get("/articles/cached")
    second = client.get("/articles/cached")
    # The same headers but for the request's own id.
    assert first.headers["X-Request-ID"] != second.headers["X-Request-ID"]
    del first.headers["X-Request-ID"], second.headers["X-Request-ID"]
    assert dict(second.headers) == dict(first.headers)
    for name, value in SECURITY_HEADERS.items():
        assert second.headers[name] == value
    assert second.headers["Cache-Control"] == "no-cache"
    assert second.headers["Content-Type"] == "text/html; charset=utf-8"


def test_a_head_request_gets_the_headers_without_the_body(app, client) -> None:
    publish_cached_article(app)
    page = client.get("/articles/cached")
    head = client.head("/articles/cached")
    assert head.status_code == 200
    assert head.data == b""
    assert head.headers["Content-Length"] == str(len(page.data))
    assert head.headers["ETag"] == page.headers["ETag"]


def test_a_first_request_with_an_old_etag_is_rendered_stored_and_answered(
    app, client, count_queries, version_reads
) -> None:
    publish_cached_article(app)
    etag = client.get("/articles/cached").headers["ETag"]
    with app.app_context():
        db.session.scalar(db.select(Article)).title = "Edited title"
        db.session.commit()

    changed = client.get("/articles/cached", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and "Edited title" in changed.text
    with count_queries() as queries:
        same = client.get(
            "/articles/cached", headers={"If-None-Match": changed.headers["ETag"]}
        )
    assert same.status_code == 304
    assert len(queries) == version_reads


def test_another_worker_s_change_shows_at_once(app, app_factory, client) -> None:
    """Two apps on one database stand for two gunicorn workers: each has its
    own page cache, and a commit through either empties both."""
    publish_cached_article(app)
    other_worker = app_factory()
    assert "Cached piece" in client.get("/articles/cached").text
    assert "Cached piece" in other_worker.test_client().get("/articles/cached").text

    with other_worker.app_context():
        db.session.scalar(db.select(Article)).title = "Renamed elsewhere"
        db.session.commit()

    assert "Renamed elsewhere" in client.get("/articles/cached").text


def test_an_unreadable_version_falls_back_to_the_app(app, client, monkeypatch) -> None:
    publish_cached_article(app)
    client.get("/")
    cached_app = app.wsgi_app.app  # inside the request log

    def unreadable() -> None:
        raise RuntimeError("database gone")

    monkeypatch.setattr(cached_app.site_version, "current", unreadable)
    assert "Cached piece" in client.get("/").text


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


def test_a_login_does_not_empty_the_cache(
    app, client, count_queries, version_reads
) -> None:
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
    assert len(queries) == version_reads


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


def test_logged_in_readers_see_new_categories_and_neighbours_at_once(
    app, client_as, clock
) -> None:
    """The navigation and an article's neighbours are remembered per content
    version for pages the cache cannot hold; they move with the content and
    with the clock like cached pages do."""
    with app.app_context():
        make_article(
            title="First piece",
            slug="first",
            category=make_category("News"),
            published_at=clock.now - timedelta(hours=2),
        )
    reader, _ = client_as(Role.READER)
    page = reader.get("/articles/first").text
    assert "/category/news" in page and 'rel="next"' not in page

    with app.app_context():
        make_article(title="Second piece", category=make_category("Sport"))
    page = reader.get("/articles/first").text
    assert "/category/sport" in page
    assert 'rel="next" href="/articles/article-' in page

    with app.app_context():
        make_article(
            title="Later piece",
            category=make_category("Later"),
            published_at=clock.now + timedelta(hours=1),
        )
    assert "/category/later" not in reader.get("/articles/first").text
    clock.advance(timedelta(minutes=61))
    assert "/category/later" in reader.get("/articles/first").text


def test_a_worker_keeps_no_pages_of_an_older_version(app, client) -> None:
    """In-process, pages of a version nobody will ask for again would hold
    the worker's memory until the cache's threshold pruned them."""
    publish_cached_article(app)
    for path in PAGES:
        client.get(path)
    backend = app.extensions["cache"][cache]
    with app.app_context():
        old = db.session.scalar(db.select(SiteState.content_version))
    assert backend.has(stored_page(app, old, "/articles/cached"))

    with app.app_context():
        db.session.scalar(db.select(Article)).title = "Edited title"
        db.session.commit()
    client.get("/")

    assert not any(backend.has(stored_page(app, old, path)) for path in PAGES)


def test_logged_in_readers_see_an_edited_article_at_once(app, client_as) -> None:
    """The article's own part of its page (title, body, tags, metadata) is
    rendered once per content version for the pages the cache cannot hold;
    an edit moves the version, so the next view shows it."""
    publish_cached_article(app)
    reader, _ = client_as(Role.READER)
    page = reader.get("/articles/cached").text
    assert '<h1 dir="auto">Cached piece</h1>' in page and 'href="/tag/t"' in page

    with app.app_context():
        article = db.session.scalar(db.select(Article))
        article.title = "Edited piece"
        article.body_html = "<p>Fresh words.</p>"
        article.tags = [make_tag("later")]
        db.session.commit()
    page = reader.get("/articles/cached").text

    assert '<h1 dir="auto">Edited piece</h1>' in page and "<p>Fresh words.</p>" in page
    assert 'href="/tag/later"' in page and 'href="/tag/t"' not in page
    assert '<meta property="article:tag" content="later">' in page


def test_a_logged_in_article_page_asks_three_questions_once_warm(
    app, client_as, count_queries
) -> None:
    """The content version, the reader and the article: the rest (the
    article's own part, its neighbours, the navigation, and the discussion as
    readers without a comment there see it) comes from what the first view
    remembered."""
    publish_cached_article(app)
    with app.app_context():
        article = db.session.scalar(db.select(Article))
        make_comment(article, make_user(), body_markdown="Someone else's words")
    reader, _ = client_as(Role.READER)
    reader.get("/articles/cached")

    with count_queries() as queries:
        page = reader.get("/articles/cached")

    assert page.status_code == 200 and "Someone else" in page.text
    asked = [" ".join(query.split())[:60] for query in queries]
    assert len(queries) == 3, asked
    assert not any("FROM comments" in query for query in queries), asked


def test_readers_share_a_discussion_until_they_take_part_in_it(app, client_as) -> None:
    """Readers without a comment on the article see the same discussion,
    rendered once; one who has commented sees their own comment (pending
    too) with Edit and Delete links, and a moderator their buttons, never
    anyone else."""
    publish_cached_article(app)
    with app.app_context():
        article = db.session.scalar(db.select(Article))
        make_comment(article, make_user(), body_markdown="A first word")
    first, _ = client_as(Role.READER)
    second, _ = client_as(Role.READER)
    shared = first.get("/articles/cached").text
    assert "A first word" in shared and ">Reply<" in shared
    assert ">Edit<" not in shared and ">Delete<" not in shared

    response = second.post(
        "/articles/cached/comments",
        data={"body": "My own reply", "csrf_token": "unused in tests"},
    )
    assert response.status_code == 303
    own = second.get("/articles/cached").text
    others = first.get("/articles/cached").text

    # A first comment waits for approval: shown to its author alone.
    assert "My own reply" in own and "Awaiting moderation" in own
    assert ">Edit<" in own and ">Delete<" in own
    assert "My own reply" not in others and "Awaiting moderation" not in others
    assert ">Edit<" not in others and ">Delete<" not in others
    editor, _ = client_as(Role.EDITOR)
    moderated = editor.get("/articles/cached").text
    assert 'value="hide"' in moderated and ">Edit<" not in moderated
    assert 'value="hide"' not in first.get("/articles/cached").text


def test_query_strings_cannot_grow_a_worker_past_its_cache_budget(
    app_factory,
) -> None:
    """Anyone can make new page-cache keys (?x=1, ?x=2...); without Redis,
    what a worker keeps stays under BLOG_CACHE_MAX_MIB however many."""
    app = app_factory(CACHE_MAX_MIB=1)
    with app.app_context():
        make_article(slug="long", body_markdown="Many words. " * 4000)
        make_article(slug="huge", body_markdown="Many words. " * 30000)
    client = app.test_client()
    backend = app.extensions["cache"][cache]

    for number in range(40):  # each page is about 50 KB: 2 MB in all
        assert client.get(f"/articles/long?x={number}").status_code == 200

    assert backend.stored_bytes() <= 1024 * 1024
    newest = stored_page(app, current_version(app), "/articles/long", "x=39")
    assert backend.has(newest)

    # A page over a quarter of the budget is served, not kept: it would
    # otherwise push every other page out.
    assert client.get("/articles/huge").status_code == 200
    assert not backend.has(stored_page(app, current_version(app), "/articles/huge"))
    assert backend.has(newest)


def current_version(app) -> int:  # noqa: ANN001
    with app.app_context():
        return db.session.scalar(db.select(SiteState.content_version))


def test_a_shared_discussion_follows_the_article_and_its_commenters(
    app, client_as
) -> None:
    """What every reader without a comment sees moves with the content: a
    commenter's new name, a comment from a deleted account, comments
    closing; and ?reply_to= still puts the form under the comment."""
    publish_cached_article(app)
    with app.app_context():
        article = db.session.scalar(db.select(Article))
        commenter = make_user(display_name="Old Name")
        comment = make_comment(article, commenter, body_markdown="Worth a reply")
        orphan = make_comment(article, None, body_markdown="From a gone account")
        comment_id, orphan_id = comment.id, orphan.id
        commenter_id, article_id = commenter.id, article.id
    reader, _ = client_as(Role.READER)
    page = reader.get("/articles/cached").text
    assert "Old Name" in page and "From a gone account" in page
    assert page.count(">Reply<") == 2 and ">Delete<" not in page

    reply = reader.get(f"/articles/cached?reply_to={comment_id}").text
    form_at = reply.index('id="reply-form"')
    assert reply.index(f'id="comment-{comment_id}"') < form_at
    assert form_at < reply.index(f'id="comment-{orphan_id}"')

    with app.app_context():
        db.session.get(User, commenter_id).display_name = "New Name"
        db.session.commit()
    assert "New Name" in reader.get("/articles/cached").text

    with app.app_context():
        db.session.get(Article, article_id).comments_open = False
        db.session.commit()
    closed = reader.get("/articles/cached").text
    assert "Comments are closed" in closed and ">Reply<" not in closed
