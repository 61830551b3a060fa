"""An article page costs the same number of queries whatever its discussion."""

from __future__ import annotations

import itertools

import pytest

from blog.comments.services import recount_comments
from blog.extensions import db
from blog.models import Article, Comment, CommentStatus, Role, User
from blog.rendering import render_comment
from tests.comment_helpers import logged_in, shown_comment_ids
from tests.factories import make_article, make_user

STATUSES = [CommentStatus.VISIBLE] * 7 + [
    CommentStatus.PENDING,
    CommentStatus.HIDDEN,
    CommentStatus.DELETED,
]


def add_thread(article: Article, users: list[User], count: int, depth: int) -> None:
    """count comments in chains of `depth` replies, by turns of users and
    statuses, added in one transaction (the caller's app context)."""
    authors, statuses = itertools.cycle(users), itertools.cycle(STATUSES)
    parent: Comment | None = None
    for number in range(count):
        if number % depth == 0:
            parent = None
        body = f"Comment {number} with *emphasis*"
        comment = Comment(
            article=article,
            author=next(authors),
            parent=parent,
            body_markdown=body,
            body_html=render_comment(body),
            status=next(statuses),
        )
        db.session.add(comment)
        db.session.flush()
        parent = comment
    recount_comments([article.id])
    db.session.commit()


@pytest.fixture
def two_discussions(app) -> None:
    """Article "small" with 2 comments and "big" with 200 in threads 10 deep,
    both by author@example.com, commented on by reader@example.com and others."""
    with app.app_context():
        author = make_user(email="author@example.com", role=Role.AUTHOR)
        reader = make_user(email="reader@example.com")
        others = [make_user() for _ in range(9)]
        small = make_article(slug="small", author=author)
        big = make_article(slug="big", author=author)
        add_thread(small, [reader, others[0]], count=2, depth=2)
        add_thread(big, [reader, *others], count=200, depth=10)


@pytest.mark.parametrize(
    "viewer", [None, "reader@example.com", "author@example.com", "editor"]
)
def test_an_article_page_sends_as_many_queries_for_200_comments_as_for_2(
    app, two_discussions, count_queries, viewer: str | None
) -> None:
    if viewer == "editor":
        with app.app_context():
            viewer = make_user(role=Role.EDITOR).email
    client = logged_in(app, viewer) if viewer else app.test_client()

    def queries_for(slug: str) -> list[str]:
        with count_queries() as queries:
            assert client.get(f"/articles/{slug}").status_code == 200
        return queries

    small, big = queries_for("small"), queries_for("big")

    assert len(small) == len(big), "\n".join(big)
    assert sum("FROM comments" in query for query in big) == 1
    assert len(shown_comment_ids(client, "big")) >= 140
