"""Comments: readers post, reply, edit and delete; the thread holds together."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from blog.extensions import db
from blog.models import Comment, CommentStatus, Role, User, utcnow
from tests.comment_helpers import (
    add_comment,
    comment_count,
    comments_section,
    depth_of,
    post,
    shown_comment_ids,
    stored,
)
from tests.conftest import log_in
from tests.factories import make_article, make_user


def login_target(url: str) -> str:
    """Where a link to the login or registration page sends the reader back to."""
    parts = urlsplit(url)
    assert parts.path in ("/auth/login", "/auth/register")
    return parse_qs(parts.query)["next"][0]


@pytest.fixture
def unmoderated(app):
    """The app with BLOG_COMMENT_MODERATION=none: comments appear at once."""
    app.config["COMMENT_MODERATION"] = "none"
    return app


def test_a_reader_posts_a_comment_and_sees_it_rendered_safely(
    unmoderated, client_as
) -> None:
    with unmoderated.app_context():
        make_article(slug="talk")
    client, user = client_as(Role.READER)

    response = post(client, "talk", "Hello *world* <script>alert(1)</script>")

    [comment] = stored(unmoderated)
    assert response.status_code == 303
    assert response.headers["Location"] == f"/articles/talk#comment-{comment.id}"
    assert (comment.author_id, comment.status) == (user.id, CommentStatus.VISIBLE)
    page = client.get("/articles/talk").text
    assert "Your comment is published." in page
    assert "<em>world</em>" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert" not in page
    assert f'id="comment-{comment.id}"' in page
    assert comment_count(unmoderated, "talk") == 1
    assert "1 comment<" in page


def test_an_anonymous_post_goes_to_log_in_and_back_and_stores_nothing(
    app, client
) -> None:
    with app.app_context():
        make_article(slug="talk")
        user = make_user()

    response = post(client, "talk", "Sneaky")

    assert response.status_code == 302
    assert login_target(response.headers["Location"]) == "/articles/talk"
    assert stored(app) == []
    login_page = client.get(response.headers["Location"]).text
    assert 'name="next" type="hidden" value="/articles/talk"' in login_page
    back = client.post(
        "/auth/login",
        data={
            "email": user.email,
            "password": "correct horse battery",
            "next": "/articles/talk",
        },
    )
    assert back.headers["Location"] == "/articles/talk"


def test_an_anonymous_reader_sees_a_log_in_link_and_gets_no_cookie(app, client) -> None:
    with app.app_context():
        make_article(slug="talk")

    response = client.get("/articles/talk")

    section = comments_section(response.text)
    [link] = section.xpath(".//a[text()='Log in to comment']")
    [register] = section.xpath(".//a[text()='create an account']")
    # Either way the reader comes back to the comment form.
    assert login_target(link.get("href")) == "/articles/talk#comment-form"
    assert login_target(register.get("href")) == "/articles/talk#comment-form"
    assert not section.xpath(".//form")
    assert "Set-Cookie" not in response.headers


def test_a_post_without_the_csrf_token_gets_400_and_stores_nothing(
    app_factory,
) -> None:
    app = app_factory(WTF_CSRF_ENABLED=True, COMMENT_MODERATION="none")
    with app.app_context():
        make_article(slug="talk")
        user = make_user()
    client = app.test_client()
    app.config["WTF_CSRF_ENABLED"] = False
    log_in(client, user)
    app.config["WTF_CSRF_ENABLED"] = True

    refused = post(client, "talk", "No token")
    assert refused.status_code == 400
    assert stored(app) == []

    form = client.get("/articles/talk").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form)
    accepted = post(client, "talk", "With token", csrf_token=token.group(1))
    assert accepted.status_code == 303
    assert [comment.body_markdown for comment in stored(app)] == ["With token"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("   \r\n  ", "Write something before posting."),
        ("x" * 5001, "A comment has at most 5,000 characters."),
    ],
)
def test_an_empty_or_oversized_comment_is_refused_and_the_text_kept(
    unmoderated, client_as, body: str, message: str
) -> None:
    with unmoderated.app_context():
        make_article(slug="talk")
    client, _ = client_as(Role.READER)

    response = post(client, "talk", body)

    assert response.status_code == 400
    section = comments_section(response.text)
    [textarea] = section.xpath(".//textarea[@name='body']")
    assert textarea.text.strip() == body.strip()
    assert message in section.xpath(".//ul[@class='errors']")[0].text_content()
    assert textarea.get("aria-invalid") == "true"
    assert stored(unmoderated) == []


def test_a_comment_of_exactly_5000_characters_with_crlf_line_breaks_is_taken(
    unmoderated, client_as
) -> None:
    with unmoderated.app_context():
        make_article(slug="talk")
    client, _ = client_as(Role.READER)
    body = ("y" * 99 + "\r\n") * 50  # 5,000 characters once CRLF counts as one

    assert post(client, "talk", body).status_code == 303
    [comment] = stored(unmoderated)
    assert comment.body_markdown == body.replace("\r\n", "\n").strip()


def test_a_closed_article_says_so_and_refuses_comments(app, client_as) -> None:
    with app.app_context():
        make_article(slug="quiet", comments_open=False)
    client, _ = client_as(Role.READER)

    page = client.get("/articles/quiet")
    refused = post(client, "quiet", "Let me in")

    assert "Comments are closed on this article." in page.text
    assert not comments_section(page.text).xpath(".//textarea")
    assert refused.status_code == 403
    assert "Comments are closed on this article." in refused.text
    assert "Let me in" in refused.text
    assert stored(app) == []


def test_a_reply_to_a_reply_renders_nested(unmoderated, client_as) -> None:
    with unmoderated.app_context():
        make_article(slug="talk")
    alice, _ = client_as(Role.READER)
    bob, _ = client_as(Role.READER)

    post(alice, "talk", "Top")
    [top] = stored(unmoderated)
    reply_form = alice.get(f"/articles/talk?reply_to={top.id}").text
    assert f'name="parent_id" type="hidden" value="{top.id}"' in reply_form
    post(bob, "talk", "Reply", parent_id=top.id)
    reply = stored(unmoderated)[-1]
    post(alice, "talk", "Reply to the reply", parent_id=reply.id)
    deepest = stored(unmoderated)[-1]

    section = comments_section(alice.get("/articles/talk").text)
    assert [depth_of(section, c.id) for c in (top, reply, deepest)] == [1, 2, 3]
    nested = section.get_element_by_id(f"comment-{top.id}").getparent()
    assert nested.xpath(f".//article[@id='comment-{deepest.id}']")
    assert deepest.parent_id == reply.id
    assert comment_count(unmoderated, "talk") == 3


def test_threads_nest_to_depth_four_and_deeper_replies_attach_there(
    unmoderated, client_as
) -> None:
    with unmoderated.app_context():
        make_article(slug="deep")
    unmoderated.config["COMMENT_RATE_LIMIT"] = "100/minute"
    client, _ = client_as(Role.READER)
    parent_id = None
    for level in range(6):
        post(client, "deep", f"Level {level + 1}", parent_id=parent_id)
        parent_id = stored(unmoderated)[-1].id
    chain = stored(unmoderated)

    section = comments_section(client.get("/articles/deep").text)

    assert [depth_of(section, c.id) for c in chain] == [1, 2, 3, 4, 4, 4]
    fifth = section.get_element_by_id(f"comment-{chain[4].id}")
    [answered] = fifth.xpath(".//span[@class='replying-to']/a")
    assert answered.get("href") == f"#comment-{chain[3].id}"


def test_the_thread_is_oldest_first_with_permalinks(app, client) -> None:
    with app.app_context():
        article = make_article(slug="talk")
        author = make_user()
        newer = add_comment(article, author, created_at=utcnow())
        older = add_comment(article, author, created_at=utcnow() - timedelta(hours=1))
        reply = add_comment(article, author, parent=db.session.get(Comment, older.id))

    section = comments_section(client.get("/articles/talk").text)

    assert shown_comment_ids(client, "talk") == [older.id, reply.id, newer.id]
    for comment in (older, reply, newer):
        permalink = section.get_element_by_id(f"comment-{comment.id}")
        assert permalink.xpath(f".//a[@href='#comment-{comment.id}']/time/@datetime")
    assert "3 comments" in section.xpath(".//h2")[0].text_content()


def test_deleting_a_comment_with_replies_keeps_the_thread(
    unmoderated, client_as
) -> None:
    with unmoderated.app_context():
        make_article(slug="talk")
    alice, _ = client_as(Role.READER)
    bob, _ = client_as(Role.READER)
    post(alice, "talk", "Parent that will go")
    [parent] = stored(unmoderated)
    post(bob, "talk", "A reply that stays", parent_id=parent.id)
    post(alice, "talk", "A lonely comment")
    reply, lonely = stored(unmoderated)[1:]

    assert "Delete this comment?" in alice.get(f"/comments/{parent.id}/delete").text
    assert alice.post(f"/comments/{parent.id}/delete").status_code == 303
    assert alice.post(f"/comments/{lonely.id}/delete").status_code == 303

    page = bob.get("/articles/talk").text
    section = comments_section(page)
    placeholder = section.get_element_by_id(f"comment-{parent.id}")
    assert placeholder.text_content().strip() == "comment deleted"
    assert depth_of(section, reply.id) == 2
    assert "Parent that will go" not in page
    assert "A lonely comment" not in page and f"comment-{lonely.id}" not in page
    assert comment_count(unmoderated, "talk") == 1
    assert [c.status for c in stored(unmoderated)] == [
        CommentStatus.DELETED,
        CommentStatus.VISIBLE,
        CommentStatus.DELETED,
    ]


def test_a_reply_must_answer_a_visible_comment_of_the_same_article(
    unmoderated, client_as
) -> None:
    with unmoderated.app_context():
        make_article(slug="here")
        elsewhere = make_article(slug="elsewhere")
        other = add_comment(elsewhere, make_user())
    client, _ = client_as(Role.READER)

    wrong_article = post(client, "here", "Crossing over", parent_id=other.id)
    not_a_number = post(client, "here", "Odd parent", parent_id="abc")

    assert wrong_article.status_code == 400
    assert "only reply to a comment on this article" in wrong_article.text
    assert not_a_number.status_code == 400
    assert "Odd parent" in not_a_number.text
    assert [c.id for c in stored(unmoderated)] == [other.id]


def test_the_author_edits_within_15_minutes_and_it_says_edited(
    unmoderated, client_as
) -> None:
    with unmoderated.app_context():
        make_article(slug="talk")
    client, _ = client_as(Role.READER)
    post(client, "talk", "Frist!")
    [comment] = stored(unmoderated)

    form = client.get(f"/comments/{comment.id}/edit")
    saved = client.post(f"/comments/{comment.id}/edit", data={"body": "First!"})

    assert form.status_code == 200 and "Frist!" in form.text
    assert saved.status_code == 303
    assert saved.headers["Location"] == f"/articles/talk#comment-{comment.id}"
    [edited] = stored(unmoderated)
    assert edited.body_markdown == "First!" and edited.edited_at is not None
    article = comments_section(client.get("/articles/talk").text)
    shown = article.get_element_by_id(f"comment-{comment.id}")
    assert shown.xpath(".//span[@class='edited']")
    assert "First!" in shown.text_content()


def test_an_emptied_edit_is_refused_and_keeps_the_text(unmoderated, client_as):
    with unmoderated.app_context():
        article = make_article(slug="talk")
    client, user = client_as(Role.READER)
    with unmoderated.app_context():
        comment = add_comment(article, db.session.get(User, user.id))

    response = client.post(f"/comments/{comment.id}/edit", data={"body": " "})

    assert response.status_code == 400
    assert "Write something before posting." in response.text
    assert stored(unmoderated)[0].body_markdown == "A thoughtful comment."


def test_editing_after_15_minutes_gets_403(app, client_as) -> None:
    client, user = client_as(Role.READER)
    with app.app_context():
        comment = add_comment(
            make_article(),
            db.session.get(User, user.id),
            created_at=utcnow() - timedelta(minutes=16),
        )

    assert client.get(f"/comments/{comment.id}/edit").status_code == 403
    late = client.post(f"/comments/{comment.id}/edit", data={"body": "Too late"})

    assert late.status_code == 403
    assert "15 minutes" in late.text
    assert stored(app)[0].body_markdown == "A thoughtful comment."
    assert client.post(f"/comments/{comment.id}/delete").status_code == 303


def test_editing_or_deleting_another_users_comment_gets_403(app, client_as) -> None:
    with app.app_context():
        article = make_article()
        comment = add_comment(article, make_user())
        pending = add_comment(article, make_user(), status=CommentStatus.PENDING)
    client, _ = client_as(Role.READER)

    assert client.get(f"/comments/{comment.id}/edit").status_code == 403
    assert (
        client.post(f"/comments/{comment.id}/edit", data={"body": "Mine now"})
    ).status_code == 403
    assert client.get(f"/comments/{comment.id}/delete").status_code == 403
    assert client.post(f"/comments/{comment.id}/delete").status_code == 403
    # A comment the reader may not see at all does not exist for them.
    assert client.post(f"/comments/{pending.id}/delete").status_code == 404
    assert [c.status for c in stored(app)] == [
        CommentStatus.VISIBLE,
        CommentStatus.PENDING,
    ]
    assert stored(app)[0].body_markdown == "A thoughtful comment."


def test_edit_and_delete_pages_need_a_login(app, client) -> None:
    with app.app_context():
        comment = add_comment(make_article(), make_user())

    for path in (f"/comments/{comment.id}/edit", f"/comments/{comment.id}/delete"):
        response = client.post(path, data={"body": "x"})
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/auth/login?next=")
    assert stored(app)[0].status is CommentStatus.VISIBLE
