"""Small factories: sensible defaults, keyword overrides, committed objects."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta
from functools import cache
from typing import TypeVar

from werkzeug.security import generate_password_hash

from blog.extensions import db
from blog.models import (
    Article,
    ArticleStatus,
    Category,
    Comment,
    CommentStatus,
    Role,
    Tag,
    User,
    utcnow,
)
from blog.rendering import (
    plain_text_of,
    render_article,
    render_comment,
    summary_of,
)

T = TypeVar("T")
PASSWORD = "correct horse battery"
_numbers = itertools.count(1)


def saved(instance: T) -> T:
    """Commit, then load the columns again, so the object can still be read
    after the test's app context (and its session) has ended."""
    db.session.add(instance)
    db.session.commit()
    db.session.refresh(instance)
    return instance


@cache
def password_hash() -> str:
    """Hashing is slow on purpose; one hash serves every test user."""
    return generate_password_hash(PASSWORD)


def make_user(**overrides: object) -> User:
    number = next(_numbers)
    values = {
        "email": f"user{number}@example.com",
        "display_name": f"User {number}",
        "slug": f"user-{number}",
        "role": Role.READER,
        "password_hash": password_hash(),
    }
    values.update(overrides)
    user = User(**values)
    return saved(user)


def make_category(name: str = "News", slug: str | None = None) -> Category:
    category = Category(name=name, slug=slug or name.lower().replace(" ", "-"))
    return saved(category)


def make_tag(name: str = "python", slug: str | None = None) -> Tag:
    tag = Tag(name=name, slug=slug or name.lower().replace(" ", "-"))
    return saved(tag)


def make_article(**overrides: object) -> Article:
    """A published article (an hour old) by a new author unless told otherwise."""
    number = next(_numbers)
    body = overrides.pop("body_markdown", f"Paragraph of article {number}.\n")
    values: dict[str, object] = {
        "title": f"Article {number}",
        "slug": f"article-{number}",
        "status": ArticleStatus.PUBLISHED,
        "published_at": utcnow() - timedelta(hours=1),
        "tags": [],
    }
    values.update(overrides)
    # Content is written before it is published, never in the future.
    published_at = values["published_at"]
    values.setdefault(
        "updated_at", min(published_at, utcnow()) if published_at else utcnow()
    )
    if "author" not in values:
        values["author"] = make_user(role=Role.AUTHOR)
    body_html = render_article(body)
    article = Article(
        body_markdown=body,
        body_html=body_html,
        body_text=plain_text_of(body_html),
        summary=str(values.pop("summary", summary_of(body_html))),
        **values,
    )
    return saved(article)


def make_comment(article: Article, author: User | None, **overrides: object) -> Comment:
    body = str(overrides.pop("body_markdown", "A thoughtful comment."))
    values: dict[str, object] = {
        "status": CommentStatus.VISIBLE,
        "created_at": utcnow(),
    }
    values.update(overrides)
    comment = Comment(
        article=article,
        author=author,
        body_markdown=body,
        body_html=render_comment(body),
        **values,
    )
    if comment.status is CommentStatus.VISIBLE and author is not None:
        author.has_approved_comment = True  # as posting or approving it would
    return saved(comment)


def hours_ago(hours: float) -> datetime:
    return utcnow() - timedelta(hours=hours)
