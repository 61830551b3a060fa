"""Subscribers and publications for the newsletter tests."""

from __future__ import annotations

from datetime import datetime

from flask import Flask

from blog.articles import services
from blog.extensions import db
from blog.jobs.runner import run_due_jobs
from blog.models import (
    ArticleStatus,
    Frequency,
    Role,
    Subscriber,
    SubscriberState,
    User,
    utcnow,
)
from tests.factories import make_user, saved


def make_subscribers(
    count: int,
    *,
    prefix: str = "reader",
    state: SubscriberState = SubscriberState.CONFIRMED,
    frequency: Frequency = Frequency.EACH_POST,
) -> list[str]:
    """Confirmed per-post subscribers unless told otherwise; their addresses."""
    addresses = [f"{prefix}{number}@example.org" for number in range(count)]
    db.session.add_all(
        Subscriber(
            email=address,
            state=state,
            frequency=frequency,
            confirmed_at=utcnow() if state is SubscriberState.CONFIRMED else None,
        )
        for address in addresses
    )
    db.session.commit()
    return addresses


def an_author() -> User:
    return make_user(role=Role.AUTHOR, email="author@example.com")


def publish(
    app: Flask,
    title: str,
    *,
    author_id: int,
    at: datetime | None = None,
    mail: bool | None = True,
    body: str = "The first paragraph.\n\nThe [second](/about) one.\n",
) -> int:
    """Publish (or schedule, with `at` in the future) as the studio does;
    the article's id."""
    with app.test_request_context():
        author = db.session.get(User, author_id)
        article = services.save_article(
            article=None,
            fields=services.ArticleFields(
                title=title,
                body_markdown=body,
                status=ArticleStatus.PUBLISHED,
                published_at=at or utcnow(),
                mail_subscribers=mail,
            ),
            author=author,
            editor=author,
        )
        return article.id


def sweep(app: Flask) -> int:
    """What the queue's minute does, at the blog clock's time, run here."""
    with app.test_request_context():
        return run_due_jobs()


__all__ = ["make_subscribers", "an_author", "publish", "saved", "sweep"]
