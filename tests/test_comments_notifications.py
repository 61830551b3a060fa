"""Mail about new comments, to the people who opted in."""

from __future__ import annotations

from blog.models import CommentStatus, Role
from tests.comment_helpers import add_comment, logged_in, post, stored
from tests.factories import make_article, make_user


def arrange(app, *, author_opts_in: bool, replier_opts_in: bool = False) -> int:
    """An article by an author, and a first comment by a reader; returns its id."""
    with app.app_context():
        author = make_user(
            email="author@example.com",
            display_name="Ann Author",
            role=Role.AUTHOR,
            notify_replies=author_opts_in,
        )
        article = make_article(slug="talk", title="On Gardens", author=author)
        reader = make_user(
            email="reader@example.com",
            display_name="Rob Reader",
            notify_replies=replier_opts_in,
        )
        make_user(email="other@example.com", display_name="Olga Other")
        return add_comment(article, reader, body_markdown="Roses first").id


def test_the_article_author_gets_mail_about_a_new_comment(app, outbox) -> None:
    app.config["COMMENT_MODERATION"] = "none"
    arrange(app, author_opts_in=True)

    post(logged_in(app, "other@example.com"), "talk", "Tulips are *better*.")

    [mail] = outbox
    comment = stored(app)[-1]
    assert mail.to == "author@example.com"
    assert mail.subject == "Olga Other commented on “On Gardens”"
    assert "Tulips are *better*." in mail.body
    assert f"http://blog.test/articles/talk#comment-{comment.id}" in mail.body
    assert "http://blog.test/auth/account" in mail.body


def test_a_reply_mails_the_parent_author_and_the_article_author_once_each(
    app, outbox
) -> None:
    app.config["COMMENT_MODERATION"] = "none"
    parent_id = arrange(app, author_opts_in=True, replier_opts_in=True)

    post(logged_in(app, "other@example.com"), "talk", "Agreed", parent_id=parent_id)

    assert sorted((mail.to, mail.subject) for mail in outbox) == [
        ("author@example.com", "Olga Other commented on “On Gardens”"),
        ("reader@example.com", "Olga Other replied to your comment on “On Gardens”"),
    ]


def test_nobody_who_did_not_opt_in_gets_mail_nor_anyone_about_themselves(
    app, outbox
) -> None:
    app.config["COMMENT_MODERATION"] = "none"
    parent_id = arrange(app, author_opts_in=False, replier_opts_in=True)

    post(logged_in(app, "reader@example.com"), "talk", "Me again", parent_id=parent_id)
    post(logged_in(app, "author@example.com"), "talk", "Thanks all")

    assert outbox == []


def test_a_pending_comment_mails_nobody_until_it_is_approved(app, outbox) -> None:
    arrange(app, author_opts_in=True)

    post(logged_in(app, "other@example.com"), "talk", "Waiting my turn")
    pending = stored(app)[-1]
    assert pending.status is CommentStatus.PENDING
    assert outbox == []

    author = logged_in(app, "author@example.com")
    author.post(f"/studio/comments/{pending.id}/moderate", data={"action": "approve"})

    assert [mail.to for mail in outbox] == ["author@example.com"]
    author.post(f"/studio/comments/{pending.id}/moderate", data={"action": "hide"})
    author.post(f"/studio/comments/{pending.id}/moderate", data={"action": "approve"})
    assert len(outbox) == 1  # approving again is no new comment


def test_a_reply_to_a_pending_comment_is_refused(app) -> None:
    with app.app_context():
        article = make_article(slug="talk")
        waiting = add_comment(article, make_user(), status=CommentStatus.PENDING)
        make_user(email="reader@example.com")

    response = post(
        logged_in(app, "reader@example.com"), "talk", "Hm", parent_id=waiting.id
    )

    assert response.status_code == 400
    assert len(stored(app)) == 1
