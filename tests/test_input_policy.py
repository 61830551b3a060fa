"""One input policy: a control character where text belongs, or a number
no row can have, is refused with a clear answer before any view or query
sees it, on every route at once."""

from __future__ import annotations

import pytest

from blog.extensions import db
from blog.models import Comment, CommentStatus, Role, User
from tests.comment_helpers import logged_in, post
from tests.factories import (
    make_article,
    make_category,
    make_comment,
    make_tag,
    make_user,
)

HUGE = "99999999999999999999"  # past SQLite's 64 bits and PostgreSQL's 32


@pytest.mark.parametrize(
    "path",
    [
        "/articles/x%00y", "/category/x%00y", "/tag/x%00y", "/author/x%00y",
        "/category/x%00y/feed.xml", "/tag/x%00y/atom.xml", "/author/x%00y/feed.json",
        "/articles/x%00y/comments/feed.xml", "/articles/x%0ay", "/uploads/a%00.png",
    ],
)  # fmt: skip
def test_a_control_character_in_a_path_is_a_page_that_does_not_exist(
    client, path: str
) -> None:
    assert client.get(path).status_code == 404


def test_a_query_with_a_control_character_is_refused_with_a_reason(client) -> None:
    response = client.get("/search?q=a%00b")

    assert response.status_code == 400
    assert "control character" in response.text


def test_form_text_loses_its_control_characters_before_anything_reads_it(
    app, client
) -> None:
    response = client.post(
        "/auth/register",
        data={
            "email": "ann\x00@example.com",
            "display_name": "Ann\x00 Lee\x0b",
            "password": "correct horse battery",
            "password_again": "correct horse battery",
        },
    )

    assert response.status_code == 303
    with app.app_context():
        user = db.session.scalar(db.select(User))
        assert (user.email, user.display_name) == ("ann@example.com", "Ann Lee")


def test_a_profile_name_loses_its_nul(app, client_as) -> None:
    reader, user = client_as(Role.READER)

    reader.post("/auth/account/profile", data={"display_name": "Ann\x00 B"})

    with app.app_context():
        assert db.session.get(User, user.id).display_name == "Ann B"


def test_tabs_and_line_breaks_are_text_and_pass(app) -> None:
    with app.app_context():
        make_article(slug="open")
        make_user(email="ann@example.com")
    client = logged_in(app, "ann@example.com")

    response = post(client, "open", "First line\r\n\tindented second line")

    assert response.status_code == 303


def test_moderating_ids_no_row_can_have_is_a_form_error(app, client_as) -> None:
    editor, _ = client_as(Role.EDITOR)
    with app.app_context():
        comment = make_comment(
            make_article(), make_user(), status=CommentStatus.PENDING
        )

    response = editor.post(
        "/studio/comments/moderate",
        data={"bulk_action": "approve", "comment_ids": [str(comment.id), HUGE, "-1"]},
    )

    assert response.status_code == 303
    assert "Choose an action" in editor.get("/studio/comments").text
    with app.app_context():
        assert db.session.get(Comment, comment.id).status is CommentStatus.PENDING


@pytest.mark.parametrize(
    "path",
    [
        f"/?page={HUGE}",
        "/?page=-1",
        f"/comments/{HUGE}/edit",
        f"/studio/articles/{HUGE}/edit",
    ],
)
def test_numbers_out_of_range_are_404(app, client_as, path: str) -> None:
    with app.app_context():
        make_category("News")
        make_tag("t")
    admin, _ = client_as(Role.ADMIN)

    assert admin.get(path).status_code == 404
