"""A browser stops a reader at the same length the server accepts: the limits
in the pages come from the constants the validators use."""

from __future__ import annotations

from blog.extensions import db
from blog.models import Role, User
from blog.models.comment import BODY_MAX
from blog.models.search import SEARCH_QUERY_MAX
from tests.factories import make_article, make_comment


def test_the_comment_box_stops_where_the_server_would_refuse(app, client_as) -> None:
    with app.app_context():
        make_article(slug="talk")
    client, _user = client_as(Role.READER)

    page = client.get("/articles/talk").text

    assert f'maxlength="{BODY_MAX}"' in page
    assert f"At most {BODY_MAX:,} characters." in page


def test_the_edit_box_keeps_the_same_limit_as_the_comment_box(app, client_as) -> None:
    client, user = client_as(Role.READER)
    with app.app_context():
        comment = make_comment(make_article(slug="talk"), db.session.get(User, user.id))

    page = client.get(f"/comments/{comment.id}/edit").text

    assert f'maxlength="{BODY_MAX}"' in page
    assert " required " in page


def test_the_search_box_stops_at_the_length_a_search_reads(client) -> None:
    page = client.get("/").text

    assert f'placeholder="Search articles" maxlength="{SEARCH_QUERY_MAX}"' in page
