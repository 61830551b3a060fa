"""Someone who deletes their account is warned how their comments will read,
and everyone then sees those comments under one name."""

from __future__ import annotations

from blog.extensions import db
from blog.models import CommentStatus, Role, User
from blog.models.user import DELETED_USER_NAME
from tests.factories import PASSWORD, make_article, make_comment


def test_a_deleted_accounts_comments_read_as_by_the_deleted_user(
    app, client_as
) -> None:
    client, user = client_as(Role.READER)
    editor, _ = client_as(Role.EDITOR)
    with app.app_context():
        article = make_article(slug="talk")
        author = db.session.get(User, user.id)
        make_comment(article, author, body_markdown="Still here")
        make_comment(article, author, status=CommentStatus.PENDING)

    warning = client.get("/auth/account").text
    deleted = client.post(
        "/auth/account/delete",
        data={"current_password": PASSWORD},
        follow_redirects=True,
    )

    quoted = f"“{DELETED_USER_NAME}”"
    assert f"Your comments stay in their threads, shown as by {quoted}." in warning
    assert f"Your comments remain as {quoted}." in deleted.text
    article_page = client.get("/articles/talk").text
    assert f'<span class="comment-author">{DELETED_USER_NAME}</span>' in article_page
    assert f"{DELETED_USER_NAME} on <a" in editor.get("/studio/comments").text
