"""Loads the demo: the Markdown articles and comments.yaml beside this module,
under a demo author."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import yaml

from blog.articles.importing import import_markdown_file
from blog.auth.services import create_user, generate_password, new_user
from blog.authors.profiles import ProfileChanges, apply_changes
from blog.comments.services import recount_comments
from blog.database import write_transaction
from blog.demo.covers import add_demo_covers
from blog.extensions import db
from blog.models import Article, Comment, Role, User
from blog.rendering import render_comment

DEMO_FOLDER = Path(__file__).parent
DEMO_AUTHOR_EMAIL = "demo@example.com"
DEMO_AUTHOR_NAME = "Ada Demo"
# No photo: the demo shows the initials a new author gets.
DEMO_PROFILE = ProfileChanges(
    bio="Writes the demo articles of a new blog. Edit this bio under "
    "**Studio › Profile**, or add a photo there.",
    website="https://example.com/",
    links=["https://mastodon.example/@ada"],
)


@dataclass
class DemoResult:
    loaded: bool
    email: str
    password: str | None = None
    articles: int = 0
    comments: int = 0


def load_demo() -> DemoResult:
    """Load the demo once. A second call finds the demo author and changes
    nothing, so running it on every start never duplicates content."""
    password = generate_password()
    with write_transaction():  # all of it or nothing
        if db.session.scalar(User.select_by_email(DEMO_AUTHOR_EMAIL)) is not None:
            return DemoResult(loaded=False, email=DEMO_AUTHOR_EMAIL)
        author = create_user(
            email=DEMO_AUTHOR_EMAIL,
            display_name=DEMO_AUTHOR_NAME,
            role=Role.AUTHOR,
            password=password,
        )
        articles = [
            import_markdown_file(path).article
            for path in sorted(DEMO_FOLDER.glob("*.md"))
        ]
        add_demo_covers(author, articles)
        apply_changes(author, DEMO_PROFILE)
        comments = add_demo_comments(DEMO_FOLDER / "comments.yaml")
    return DemoResult(
        loaded=True,
        email=DEMO_AUTHOR_EMAIL,
        password=password,
        articles=len(articles),
        comments=comments,
    )


def add_demo_comments(path: Path) -> int:
    """Readers (without usable passwords) and their comments, an hour apart.
    The caller's write transaction commits them."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    readers = {
        reader["email"]: new_user(
            email=reader["email"], display_name=reader["name"], role=Role.READER
        )
        for reader in data["readers"]
    }
    by_key: dict[str, Comment] = {}
    for entry in data["comments"]:
        article, published_at = published_demo_article(entry["article"])
        created = published_at + timedelta(hours=len(by_key) + 1)
        comment = Comment(
            article=article,
            author=readers[entry["author"]],
            parent=by_key.get(entry.get("parent", "")),
            body_markdown=entry["body"],
            body_html=render_comment(entry["body"]),
            created_at=created,
        )
        db.session.add(comment)
        by_key[entry["key"]] = comment
    db.session.flush()
    recount_comments({comment.article_id for comment in by_key.values()})
    return len(by_key)


def published_demo_article(slug: str) -> tuple[Article, datetime]:
    """A demo article and when it went out: every demo comment is on one."""
    article = db.session.scalars(Article.select_by_slug(slug)).one()
    if article.published_at is None:
        raise ValueError(f"The demo article {slug!r} is not published.")
    return article, article.published_at
