"""Moderation: the policy, the studio queue, its actions, closing comments."""

from __future__ import annotations

import pytest
from lxml import html

from blog.comments import services
from blog.extensions import db
from blog.models import Article, Comment, CommentStatus, Role, User
from tests.comment_helpers import (
    add_comment,
    comment_count,
    comments_section,
    depth_of,
    logged_in,
    post,
    shown_comment_ids,
    status_of,
    stored,
)
from tests.factories import make_article, make_comment, make_user


def moderate(client, comment_id: int, action: str, next_url: str = ""):
    return client.post(
        f"/studio/comments/{comment_id}/moderate",
        data={"action": action, "next": next_url},
    )


def queue_ids(client, status: str = "pending") -> list[int]:
    page = client.get(f"/studio/comments?status={status}")
    assert page.status_code == 200
    tree = html.fromstring(page.text)
    return [int(value) for value in tree.xpath("//input[@name='comment_ids']/@value")]


def test_under_first_a_new_readers_first_comment_waits_for_approval(
    app, client, client_as
) -> None:
    with app.app_context():
        make_article(slug="talk")
    reader, _ = client_as(Role.READER)
    editor, _ = client_as(Role.EDITOR)

    first = post(reader, "talk", "My very first comment")
    [comment] = stored(app)

    assert first.status_code == 303
    assert comment.status is CommentStatus.PENDING
    own_view = comments_section(reader.get("/articles/talk").text)
    mine = own_view.get_element_by_id(f"comment-{comment.id}")
    assert "Awaiting moderation" in mine.text_content()
    assert "My very first comment" not in client.get("/articles/talk").text
    other, _ = client_as(Role.READER)
    assert shown_comment_ids(other, "talk") == []
    assert comment_count(app, "talk") == 0
    assert queue_ids(editor) == [comment.id]

    approved = moderate(editor, comment.id, "approve", "/studio/comments")

    assert approved.status_code == 303
    assert approved.headers["Location"] == "/studio/comments"
    assert "My very first comment" in client.get("/articles/talk").text
    assert comment_count(app, "talk") == 1
    post(reader, "talk", "And my second, straight away")
    assert stored(app)[-1].status is CommentStatus.VISIBLE
    assert comment_count(app, "talk") == 2


@pytest.mark.parametrize(
    ("policy", "statuses"),
    [
        ("all", [CommentStatus.PENDING, CommentStatus.PENDING]),
        ("none", [CommentStatus.VISIBLE, CommentStatus.VISIBLE]),
    ],
)
def test_the_moderation_policy_decides_what_waits(
    app_factory, policy: str, statuses: list[CommentStatus]
) -> None:
    app = app_factory(COMMENT_MODERATION=policy)
    with app.app_context():
        article = make_article(slug="talk")
        reader = make_user(email="approved@example.com")
        add_comment(article, reader, body_markdown="Approved before")
    client = logged_in(app, "approved@example.com")

    post(client, "talk", "One")
    post(client, "talk", "Two")

    assert [c.status for c in stored(app)[1:]] == statuses


def test_the_article_author_is_never_held_and_link_heavy_comments_always_are(
    app_factory,
) -> None:
    app = app_factory(COMMENT_MODERATION="none")
    with app.app_context():
        author = make_user(email="author@example.com", role=Role.AUTHOR)
        make_article(slug="mine", author=author)
        make_user(email="reader@example.com")
    four_links = (
        "Four links: http://a.example www.b.example [c](https://c.example) "
        "<https://d.example>"
    )
    for email, body in (
        ("author@example.com", "Thanks for reading, all of you."),
        ("reader@example.com", four_links),
        (
            "reader@example.com",
            "Three: http://a.example http://b.example http://c.example",
        ),
    ):
        assert post(logged_in(app, email), "mine", body).status_code == 303

    assert [c.status for c in stored(app)] == [
        CommentStatus.VISIBLE,
        CommentStatus.PENDING,
        CommentStatus.VISIBLE,
    ]


def test_a_moderator_can_hide_any_comment_and_readers_cannot(app, client_as) -> None:
    with app.app_context():
        article = make_article(slug="talk")
        comment = add_comment(article, make_user(), body_markdown="Rude words")
    reader, _ = client_as(Role.READER)
    other_author, _ = client_as(Role.AUTHOR)
    editor, _ = client_as(Role.EDITOR)

    assert moderate(reader, comment.id, "hide").status_code == 403
    assert moderate(other_author, comment.id, "hide").status_code == 403
    assert status_of(app, comment.id) is CommentStatus.VISIBLE

    hidden = moderate(
        editor, comment.id, "hide", f"/articles/talk#comment-{comment.id}"
    )

    assert hidden.status_code == 303
    assert hidden.headers["Location"] == f"/articles/talk#comment-{comment.id}"
    assert status_of(app, comment.id) is CommentStatus.HIDDEN
    assert "Rude words" not in reader.get("/articles/talk").text
    assert comment_count(app, "talk") == 0


def test_the_article_author_moderates_from_the_article_page(app, client_as) -> None:
    author_client, author = client_as(Role.AUTHOR)
    with app.app_context():
        article = make_article(slug="mine", author=db.session.get(User, author.id))
        pending = add_comment(article, make_user(), status=CommentStatus.PENDING)

    section = comments_section(author_client.get("/articles/mine").text)
    shown = section.get_element_by_id(f"comment-{pending.id}")
    buttons = shown.xpath(".//form[contains(@action, '/moderate')]//button/@value")
    assert buttons == ["approve", "hide", "spam"]
    assert moderate(author_client, pending.id, "approve").status_code == 303
    assert status_of(app, pending.id) is CommentStatus.VISIBLE


def test_authors_see_their_own_articles_comments_in_the_queue_editors_all(
    app, client_as
) -> None:
    author_client, author = client_as(Role.AUTHOR)
    editor, _ = client_as(Role.EDITOR)
    reader, _ = client_as(Role.READER)
    with app.app_context():
        mine = make_article(author=db.session.get(User, author.id))
        theirs = make_article()
        commenter = make_user()
        on_mine = add_comment(mine, commenter, status=CommentStatus.PENDING)
        on_theirs = add_comment(theirs, commenter, status=CommentStatus.PENDING)
        spam = add_comment(mine, commenter, status=CommentStatus.SPAM)

    assert queue_ids(author_client) == [on_mine.id]
    assert queue_ids(editor) == [on_theirs.id, on_mine.id]
    assert queue_ids(author_client, "spam") == [spam.id]
    assert reader.get("/studio/comments").status_code == 403
    assert editor.get("/studio/comments?status=nonsense").status_code == 404
    page = editor.get("/studio/comments").text
    assert "Pending (2)" in page and "Spam (1)" in page


def test_bulk_moderation_changes_all_or_nothing(app, client_as) -> None:
    author_client, author = client_as(Role.AUTHOR)
    with app.app_context():
        mine = make_article(author=db.session.get(User, author.id))
        slug = mine.slug
        theirs = make_article()
        commenter = make_user()
        pending = [
            add_comment(mine, commenter, status=CommentStatus.PENDING).id
            for _ in range(3)
        ]
        foreign = add_comment(theirs, commenter, status=CommentStatus.PENDING).id

    refused = author_client.post(
        "/studio/comments/moderate",
        data={"bulk_action": "approve", "comment_ids": [*pending, foreign]},
        follow_redirects=True,
    )
    assert "not yours to moderate" in refused.text
    assert {c.status for c in stored(app)} == {CommentStatus.PENDING}

    done = author_client.post(
        "/studio/comments/moderate",
        data={"bulk_action": "approve", "comment_ids": pending, "next": "/studio/"},
    )
    assert done.status_code == 303 and done.headers["Location"] == "/studio/"
    assert [status_of(app, comment_id) for comment_id in pending] == [
        CommentStatus.VISIBLE
    ] * 3
    assert comment_count(app, slug) == 3


@pytest.mark.parametrize(
    ("action", "status"),
    [("spam", CommentStatus.SPAM), ("delete", CommentStatus.DELETED)],
)
def test_spam_and_delete_from_the_queue(app, client_as, action, status) -> None:
    editor, _ = client_as(Role.EDITOR)
    with app.app_context():
        article = make_article(slug="talk")
        comment = add_comment(article, make_user())

    response = editor.post(
        "/studio/comments/moderate",
        data={"bulk_action": action, "comment_ids": [comment.id]},
        follow_redirects=True,
    )

    assert status_of(app, comment.id) is status
    assert "1 comment" in response.text
    assert comment_count(app, "talk") == 0
    if action == "delete":
        approve = moderate(editor, comment.id, "approve")
        assert approve.status_code == 404  # deleted comments are gone for all
        assert status_of(app, comment.id) is CommentStatus.DELETED


def test_pending_hidden_and_spam_comments_are_left_out_of_counts_and_pages(
    app, client, client_as
) -> None:
    reader_client, reader = client_as(Role.READER)
    editor, _ = client_as(Role.EDITOR)
    with app.app_context():
        article = make_article(slug="talk")
        someone = make_user()
        visible = add_comment(article, someone, body_markdown="Shown to all")
        pending = add_comment(
            article, someone, body_markdown="Not yet", status=CommentStatus.PENDING
        )
        hidden = add_comment(
            article, someone, body_markdown="Hidden text", status=CommentStatus.HIDDEN
        )
        add_comment(article, someone, body_markdown="Buy", status=CommentStatus.SPAM)
        reply = add_comment(
            article,
            db.session.get(User, reader.id),
            body_markdown="Reply under hidden",
            parent_id=hidden.id,
        )

    anonymous = client.get("/articles/talk").text
    for text in ("Not yet", "Hidden text", "Buy"):
        assert text not in anonymous
    assert comment_count(app, "talk") == 2
    assert "2 comments" in anonymous
    section = comments_section(anonymous)
    assert shown_comment_ids(client, "talk") == [visible.id, reply.id]
    assert (
        "removed by a moderator"
        in section.get_element_by_id(f"comment-{hidden.id}").text_content()
    )
    assert depth_of(section, reply.id) == 2
    assert shown_comment_ids(reader_client, "talk") == [visible.id, reply.id]
    assert shown_comment_ids(editor, "talk") == [visible.id, pending.id, reply.id]


def test_pending_hidden_and_spam_comments_stay_out_of_every_comment_feed(
    app, client
) -> None:
    with app.app_context():
        article = make_article(slug="talk")
        someone = make_user()
        add_comment(article, someone, body_markdown="Feedworthy")
        for status in (
            CommentStatus.PENDING,
            CommentStatus.HIDDEN,
            CommentStatus.SPAM,
            CommentStatus.DELETED,
        ):
            add_comment(
                article, someone, body_markdown=f"Secret {status}", status=status
            )

    for path in (
        "/comments/feed.xml",
        "/comments/atom.xml",
        "/articles/talk/comments/feed.xml",
        "/articles/talk/comments/atom.xml",
    ):
        feed = client.get(path)
        assert feed.status_code == 200, path
        assert "Feedworthy" in feed.text, path
        assert "Secret" not in feed.text, path


def test_moderators_close_and_reopen_comments(app, client_as) -> None:
    author_client, author = client_as(Role.AUTHOR)
    reader, _ = client_as(Role.READER)
    with app.app_context():
        article = make_article(slug="mine", author=db.session.get(User, author.id))
        updated_at = article.updated_at

    assert (
        reader.post(
            f"/studio/articles/{article.id}/comments-open", data={"state": "closed"}
        ).status_code
        == 403
    )
    closed = author_client.post(
        f"/studio/articles/{article.id}/comments-open", data={"state": "closed"}
    )

    assert closed.status_code == 303
    assert closed.headers["Location"] == "/articles/mine#comments"
    page = reader.get("/articles/mine").text
    assert "Comments are closed on this article." in page
    assert post(reader, "mine", "Anyone there?").status_code == 403
    author_page = comments_section(author_client.get("/articles/mine").text)
    assert author_page.xpath(".//button[text()='Reopen comments']")

    author_client.post(
        f"/studio/articles/{article.id}/comments-open", data={"state": "open"}
    )
    assert post(reader, "mine", "Anyone there?").status_code == 303
    with app.app_context():
        article = db.session.get(Article, article.id)
        assert article.comments_open is True
        assert article.updated_at == updated_at


def test_under_all_an_approved_comment_edited_waits_for_approval_again(
    app_factory,
) -> None:
    app = app_factory(COMMENT_MODERATION="all")
    with app.app_context():
        reader = make_user()
        article = make_article()
        comment = make_comment(article, reader, body_markdown="Nice article!")
        services.edit_comment(
            comment=db.session.get(Comment, comment.id),
            editor=db.session.get(User, reader.id),
            body="BUY CHEAP PILLS http://spam.example",
        )
        assert db.session.get(Comment, comment.id).status is CommentStatus.PENDING
