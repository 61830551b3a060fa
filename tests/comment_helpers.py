"""Helpers the comment tests share: posting through the real route, reading
the discussion back from the page and from the database."""

from __future__ import annotations

from lxml import html
from sqlalchemy import select

from blog.comments.services import recount_comments
from blog.extensions import db
from blog.models import Article, Comment, CommentStatus, User
from tests.factories import PASSWORD, make_comment


def logged_in(app, email: str):
    """A test client of this app, logged in with the factories' password."""
    client = app.test_client()
    response = client.post("/auth/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 303, response.text
    return client


def post(client, slug: str, body: str, parent_id: int | None = None, **extra):
    data = {"body": body, **extra}
    if parent_id is not None:
        data["parent_id"] = str(parent_id)
    return client.post(f"/articles/{slug}/comments", data=data)


def comments_section(page_text: str):
    """The page's <section id="comments">, parsed."""
    return html.fromstring(page_text).get_element_by_id("comments")


def shown_comment_ids(client, slug: str) -> list[int]:
    """Ids of the comments shown with their text, in page order."""
    section = comments_section(client.get(f"/articles/{slug}").text)
    return [
        int(element.get("id").removeprefix("comment-"))
        for element in section.xpath(".//article[contains(@class, 'comment')]")
        if not element.xpath(".//p[@class='comment-placeholder']")
    ]


def depth_of(section, comment_id: int) -> int:
    """How many comment lists hold this comment: 1 for a top-level one."""
    element = section.get_element_by_id(f"comment-{comment_id}")
    return len(element.xpath("ancestor::ol[contains(@class, 'comment-list')]"))


def stored(app, **where) -> list[Comment]:
    """Comments in the database, oldest first, detached for reading."""
    with app.app_context():
        statement = select(Comment).order_by(Comment.id)
        for name, value in where.items():
            statement = statement.where(getattr(Comment, name) == value)
        comments = list(db.session.scalars(statement))
        db.session.expunge_all()
        return comments


def comment_count(app, slug: str) -> int:
    with app.app_context():
        return db.session.scalar(
            select(Article.comment_count).where(Article.slug == slug)
        )


def status_of(app, comment_id: int) -> CommentStatus:
    with app.app_context():
        return db.session.get(Comment, comment_id).status


def add_comment(article: Article, author: User, **overrides) -> Comment:
    """make_comment, keeping the article's comment count right (inside an app
    context), for arranging a discussion without going through the route. The
    comment comes back detached, so later commits leave it readable."""
    comment = make_comment(article, author, **overrides)
    recount_comments([article.id])
    db.session.commit()
    db.session.refresh(comment)
    db.session.expunge(comment)
    return comment
