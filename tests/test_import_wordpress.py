"""Moving in from WordPress: its own export (trimmed from the anchor's, see
tests/data/README.md) imported by the operator's command, then read as a
reader and a search engine would: counts, threads, and every old address."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import html
from sqlalchemy import func, select

from blog.extensions import db
from blog.models import (
    Article,
    ArticleKind,
    ArticleStatus,
    Category,
    Comment,
    CommentStatus,
    ImportedItem,
    Tag,
)
from tests.wordpress_export import (
    MEDIA_DIR,
    SMALL_WXR,
    items,
    post_titled,
    published_posts,
    terms,
)


def import_wordpress(runner, *extra: str, path=SMALL_WXR):
    return runner.invoke(
        args=["import-wordpress", str(path), "--media-dir", str(MEDIA_DIR), *extra]
    )


def counts(app) -> dict[str, int]:
    with app.app_context():

        def count(model, *where) -> int:
            statement = select(func.count()).select_from(model).where(*where)
            return db.session.scalar(statement)

        return {
            "published": count(
                Article,
                Article.status == ArticleStatus.PUBLISHED,
                Article.kind == ArticleKind.ARTICLE,
            ),
            "articles": count(Article),
            "categories": count(Category),
            "tags": count(Tag),
            "visible comments": count(Comment, Comment.status == CommentStatus.VISIBLE),
            "comments": count(Comment),
        }


def our_id(app, kind: str, key: str) -> int:
    with app.app_context():
        return db.session.scalar(
            select(ImportedItem.local_id).where(
                ImportedItem.kind == kind, ImportedItem.external_id == key
            )
        )


@pytest.fixture
def imported(app, runner):
    result = import_wordpress(runner)
    assert result.exit_code == 0, result.output
    return result


def test_counts_equal_wordpress_s_own(app, imported) -> None:
    wordpress = items()
    approved = [c for post in wordpress for c in post.comments if c.approved == "1"]
    now_public = published_posts()
    scheduled = [post for post in wordpress if post.status == "future"]

    ours = counts(app)

    assert ours["published"] == len(now_public) + len(scheduled)
    assert ours["categories"] == len(terms("category"))
    assert ours["tags"] == len(terms("tag"))
    assert ours["visible comments"] == len(approved)
    assert "posts:" in imported.output and "Done in" in imported.output


def test_every_reply_hangs_under_the_comment_it_answered(app, imported) -> None:
    replies = [
        comment
        for post in items()
        for comment in post.comments
        if comment.parent not in ("0", "") and comment.approved in ("0", "1")
    ]
    assert len(replies) >= 3  # the fixture's thread three deep
    with app.app_context():
        for reply in replies:
            ours = db.session.get(Comment, our_id(app, "comment", reply.id))
            assert ours.parent_id == our_id(app, "comment", reply.parent), reply


def test_the_post_with_200_comments_shows_all_200(app, imported, client) -> None:
    busiest = max(items(), key=lambda post: len(post.comments))
    assert len(busiest.comments) == 200

    moved = client.get(busiest.link_path)
    page = client.get(moved.headers["Location"])

    assert moved.status_code == 301
    shown = html.fromstring(page.data).xpath("//article[starts-with(@id, 'comment-')]")
    assert len(shown) == 200


def test_each_old_permalink_answers_301_to_the_same_post(app, imported, client) -> None:
    for post in published_posts():
        moved = client.get(post.link_path)
        assert moved.status_code == 301, post.link_path
        page = html.fromstring(client.get(moved.headers["Location"]).data)
        assert page.xpath("string(//h1)").strip() == post.title.strip()
        # The richer posts: tests/test_import_wordpress_content.py
        if is_plain_text(post):
            body = page.xpath("//div[@class='body']")[0]
            assert len(body.xpath(".//p")) == post.content.count("<p>"), post.title


def is_plain_text(post) -> bool:
    """Only paragraph and heading blocks, as the anchor's 1,000 posts."""
    blocks = set(re.findall(r"<!-- wp:(\w+)", post.content))
    return bool(blocks) and blocks <= {"paragraph", "heading"}


def test_wordpress_s_other_addresses_answer_301(app, imported, client) -> None:
    post = published_posts()[0]
    category, tag = terms("category")[0], terms("tag")[0]
    expected = {
        "/feed/": "/feed.xml",
        "/comments/feed/": "/comments/feed.xml",
        "/feed/atom/": "/atom.xml",
        f"/?p={post.id}": None,  # the article, checked below
        f"/category/{category}/": f"/category/{category}",
        f"/tag/{tag}/": f"/tag/{tag}",
        "/author/admin/": "/author/admin",
    }
    for old, new in expected.items():
        answer = client.get(old)
        assert answer.status_code == 301, old
        if new is not None:
            assert answer.headers["Location"] == new, old
    by_id = client.get(f"/?p={post.id}").headers["Location"]
    assert by_id == client.get(post.link_path).headers["Location"]


def test_a_draft_s_old_address_is_a_404_to_readers(app, imported, client) -> None:
    draft = next(post for post in items() if post.status == "draft")

    assert client.get(f"/?p={draft.id}").status_code == 200  # the home page
    assert client.get(f"/?p={draft.id}").data == client.get("/").data
    assert client.get("/2099/01/01/nothing-here/").status_code == 404


def test_importing_the_same_file_twice_changes_no_counts(app, runner, imported) -> None:
    first = counts(app)

    again = import_wordpress(runner)

    assert again.exit_code == 0, again.output
    assert counts(app) == first
    assert "created" not in again.output.split("Done in")[0].split("\n\n")[0]


def test_a_dry_run_says_what_it_would_do_and_writes_nothing(app, runner) -> None:
    before = counts(app)

    result = import_wordpress(runner, "--dry-run")

    assert result.exit_code == 0, result.output
    assert "Dry run: nothing was written" in result.output
    assert re.search(r"posts:\s+\d+ created", result.output)
    assert counts(app) == before
    uploads = Path(app.instance_path) / "uploads"
    assert not uploads.exists() or not list(uploads.iterdir())


@pytest.mark.parametrize(
    ("cut", "message"),
    [
        (lambda text: text[: len(text) // 2], "was it cut short?"),
        (lambda text: text.replace("wxr_version", "wxr_versio_"), "no wp:wxr_version"),
        (lambda text: "<html><body>hello</body></html>", "not a WordPress export"),
        (lambda text: "not xml at all", "not complete XML"),
    ],
    ids=["truncated", "not-wxr", "html", "text"],
)
def test_a_broken_or_foreign_file_is_refused_and_changes_nothing(
    app, runner, tmp_path, cut, message
) -> None:
    bad = tmp_path / "site.wxr"
    bad.write_text(cut(SMALL_WXR.read_text(encoding="utf-8")), encoding="utf-8")
    before = counts(app)

    result = import_wordpress(runner, path=bad)

    assert result.exit_code == 1
    assert message in result.output
    assert counts(app) == before


def test_a_scheduled_post_comes_out_at_its_time(app, imported, client) -> None:
    scheduled = post_titled("Scheduled for next month")
    with app.app_context():
        article = db.session.get(Article, our_id(app, "post", scheduled.id))
        assert article.status is ArticleStatus.PUBLISHED
        assert not article.is_published()  # not yet
        slug = article.slug
    assert client.get(f"/articles/{slug}").status_code == 404


def test_a_blog_that_never_imported_looks_up_no_old_address(
    app, client, count_queries
) -> None:
    client.get("/no-such-page")  # the 404 page's memos, once
    with count_queries() as queries:
        assert client.get("/2024/03/09/been-way-area-verb-better/").status_code == 404
    assert not [query for query in queries if "legacy_addresses" in query]


def test_an_imported_blog_asks_one_question_for_an_unknown_address(
    app, imported, client, count_queries
) -> None:
    client.get("/no-such-page")
    with count_queries() as queries:
        assert client.get("/2099/01/01/never-was/").status_code == 404
    assert len([query for query in queries if "legacy_addresses" in query]) == 1


def test_importing_an_edited_export_updates_the_post_in_place(
    app, runner, imported, client, tmp_path
) -> None:
    first = counts(app)
    edited = tmp_path / "edited.wxr"
    edited.write_text(
        SMALL_WXR.read_text(encoding="utf-8").replace(
            "<title><![CDATA[Written in the classic editor]]></title>",
            "<title><![CDATA[Written in the classic editor, revised]]></title>",
        ),
        encoding="utf-8",
    )

    again = import_wordpress(runner, path=edited)

    assert again.exit_code == 0, again.output
    assert re.search(r"posts:\s+1 updated, \d+ unchanged", again.output)
    assert counts(app) == first
    page = client.get(
        "/2026/05/21/written-in-the-classic-editor/", follow_redirects=True
    )
    assert b"Written in the classic editor, revised" in page.data
