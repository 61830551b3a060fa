"""The bench's data set: deterministic, shaped like the reference WordPress site.

1,000 published articles of ~800 words (8 paragraphs of 100 words and one
`##` heading), one a day back from yesterday; 10 categories; 30 tags, 3 per
article; 10 visible comments on each of the 20 newest articles and 200 in
threads on the 21st newest; 50 drafts and 10 scheduled articles that must stay
invisible; 16 writer accounts and one reader with a known password.

Text is rendered with the blog's own renderer (blog.rendering), so stored HTML
is what the studio would store, but rows go in with one session and a single
commit so that the load takes seconds, not the minutes that save_article()
one by one would.

    python -m bench.seed [--database-url URL]     # prints what it made and the time
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from bench.common import PASSWORD, SECRET_KEY, executable, log, run_command
from bench.words import Text
from blog import create_app
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
)
from blog.rendering import (
    plain_text_of,
    render_article,
    render_comment,
    summary_of,
)
from blog.slugs import make_slug

SEED = 2026
ARTICLES = 1000
TAGS = 30
TAGS_PER_ARTICLE = 3
COMMENTED = 20
COMMENTS_EACH = 10
BIG_COMMENTS = 200
DRAFTS = 50
SCHEDULED = 10
WRITERS = 16
# Replies nest at most this deep under a top-level comment (the blog allows 4).
REPLY_DEPTH = 3
SEARCH_WORD = "river"
CATEGORY_NAMES = [
    "Engineering", "Travel", "Cooking", "Science", "Music",
    "Books", "Gardening", "Photography", "Finance", "Health",
]  # fmt: skip
FIRST_NAMES = (
    "Alice Bruno Chen Dara Emeka Farah Gustav Hana Ivan Jana Kofi Lena Mateo "
    "Nora Omar Priya Quinn Rosa Sven Tariq Uma Viktor Wen Yara Zoe"
).split()
LAST_NAMES = (
    "Adams Berg Costa Dubois Eriksen Fischer Garcia Hansen Ito Jensen Kim Lopez "
    "Moreau Novak Okafor Petrov Rossi Silva Tanaka Weber"
).split()


@dataclass
class Manifest:
    """What the load needs to know about the data it runs on."""

    article10: str  # newest article: 10 comments
    article200: str  # 21st newest: 200 comments in threads
    write_article: str  # 22nd newest, no comments: the write case posts here
    draft: str  # a draft and a scheduled article: must answer 404
    scheduled: str
    category: str
    tag: str
    search_word: str
    search_hits: int  # published articles whose text holds the search word
    reader_email: str
    writer_emails: list[str]
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def build_schema(database_url: str, instance_path: Path) -> None:
    """`flask db upgrade`, as an operator builds the schema, so the search
    table (SQLite FTS5) or index (PostgreSQL) exists like in production."""
    environment = {
        "PATH": "/usr/bin:/bin",
        "BLOG_DATABASE_URL": database_url,
        "BLOG_SECRET_KEY": SECRET_KEY,
        "BLOG_INSTANCE_PATH": str(instance_path),
    }
    run_command(
        [executable("flask"), "--app", "blog", "db", "upgrade"],
        env=environment,
        timeout=180,
    )


def seed(database_url: str, instance_path: Path) -> Manifest:
    """Build the schema and load the whole data set into an empty database.
    Returns the manifest; the same seed gives the same rows (dates move with
    the day it runs: the newest article is always yesterday's)."""
    started = time.monotonic()
    build_schema(database_url, instance_path)
    app = create_app({"DATABASE_URL": database_url, "SECRET_KEY": SECRET_KEY})
    with app.app_context():
        try:
            manifest = load(db.session)
        finally:
            db.session.remove()
            db.engine.dispose()
    manifest.seconds = round(time.monotonic() - started, 2)
    return manifest


@dataclass
class People:
    author: User
    reader: User
    writers: list[User]
    commenters: list[User]


def load(session: Session) -> Manifest:
    """Add every row in one transaction and commit once."""
    rng = random.Random(SEED)  # noqa: S311 - reproducible data, not security
    text = Text(rng)
    people = make_people()
    categories, tags = make_taxonomy(text)
    session.add_all([people.author, people.reader, *people.writers])
    session.add_all([*people.commenters, *categories, *tags])
    published, drafts, scheduled = make_articles(text, people.author, categories, tags)
    session.add_all([*published, *drafts, *scheduled])
    newest_first = published[::-1]
    comments = []
    for article in newest_first[:COMMENTED]:
        comments += flat_comments(text, article, people.commenters, COMMENTS_EACH)
    big = newest_first[COMMENTED]
    comments += threaded_comments(text, big, people.commenters, BIG_COMMENTS)
    session.add_all(comments)
    session.commit()
    return Manifest(
        article10=newest_first[0].slug,
        article200=big.slug,
        write_article=newest_first[COMMENTED + 1].slug,
        draft=drafts[0].slug,
        scheduled=scheduled[0].slug,
        category=categories[0].slug,
        tag=tags[0].slug,
        search_word=SEARCH_WORD,
        search_hits=sum(
            SEARCH_WORD in article.body_text.lower().split() for article in published
        ),
        reader_email=people.reader.email,
        writer_emails=[writer.email for writer in people.writers],
        counts={
            "published": len(published),
            "drafts": len(drafts),
            "scheduled": len(scheduled),
            "comments": len(comments),
            "categories": len(categories),
            "tags": len(tags),
            "users": 2 + len(people.writers) + len(people.commenters),
            "articles_with_tag": sum(tags[0] in a.tags for a in published),
        },
    )


def make_people() -> People:
    """The author of every article, the logged-in reader, the 16 writers of
    the write case (all with PASSWORD) and 25 commenters who cannot log in."""
    password_hash = generate_password_hash(PASSWORD)  # slow on purpose: once

    def account(email: str, name: str, role: Role = Role.READER) -> User:
        return new_user(email, name, role, password_hash)

    return People(
        author=account("author@bench.invalid", "Bench Author", Role.AUTHOR),
        reader=account("reader@bench.invalid", "Bench Reader"),
        writers=[
            account(f"writer{n}@bench.invalid", f"Writer {n}") for n in range(WRITERS)
        ],
        commenters=[
            new_user(
                f"{first.lower()}.{last.lower()}@bench.invalid",
                f"{first} {last}",
                Role.READER,
                None,
            )
            for first, last in zip(FIRST_NAMES, LAST_NAMES * 2, strict=False)
        ],
    )


def make_taxonomy(text: Text) -> tuple[list[Category], list[Tag]]:
    """The reference site's 10 categories and 30 tags of one or two words."""
    categories = [Category(name=name, slug=name.lower()) for name in CATEGORY_NAMES]
    tags = []
    for number in range(TAGS):
        name = "-".join(text.words(text.rng.randint(1, 2))) + f"-{number}"
        tags.append(Tag(name=name, slug=name))
    return categories, tags


def make_articles(
    text: Text, author: User, categories: list[Category], tags: list[Tag]
) -> tuple[list[Article], list[Article], list[Article]]:
    """Published (oldest first, one a day back from yesterday 09:00 UTC plus
    up to three hours, like the reference loader), drafts, and scheduled
    articles due one to ten days from now."""
    rng = text.rng
    slugs: set[str] = set()
    now = datetime.now(UTC)
    newest_time = (now - timedelta(days=1)).replace(
        hour=9, minute=0, second=0, microsecond=0
    )

    def article(status: ArticleStatus, when: datetime | None) -> Article:
        category = rng.choice(categories)
        chosen = rng.sample(tags, TAGS_PER_ARTICLE)
        return new_article(text, slugs, author, category, chosen, status, when)

    published = [
        article(
            ArticleStatus.PUBLISHED,
            newest_time
            - timedelta(days=ARTICLES - 1 - number)
            + timedelta(seconds=rng.randint(0, 3 * 3600)),
        )
        for number in range(ARTICLES)
    ]
    drafts = [article(ArticleStatus.DRAFT, None) for _ in range(DRAFTS)]
    scheduled = [
        article(ArticleStatus.PUBLISHED, now + timedelta(days=number + 1))
        for number in range(SCHEDULED)
    ]
    return published, drafts, scheduled


def new_user(email: str, name: str, role: Role, password_hash: str | None) -> User:
    """A user row (not yet added); password_hash None: cannot log in."""
    slug = email.split("@")[0].replace(".", "-")
    return User(
        email=email,
        display_name=name,
        slug=slug,
        role=role,
        password_hash=password_hash,
    )


def new_article(
    text: Text,
    slugs: set[str],
    author: User,
    category: Category,
    tags: list[Tag],
    status: ArticleStatus,
    published_at: datetime | None,
) -> Article:
    """An article row rendered the way save_article() renders one, with a
    slug no other row of this load has."""
    title = text.title()
    slug = base = make_slug(title, 196)
    number = 2
    while slug in slugs:
        slug, number = f"{base}-{number}", number + 1
    slugs.add(slug)
    markdown = text.article_markdown()
    body_html = render_article(markdown)
    # Written when published, or now for a draft or a scheduled article (its
    # author saved it before its time: a future stamp would make the feeds'
    # Last-Modified follow the clock).
    now = datetime.now(UTC)
    stamp = min(published_at, now) if published_at is not None else now
    return Article(
        slug=slug,
        title=title,
        summary=summary_of(body_html),
        body_markdown=markdown,
        body_html=body_html,
        body_text=plain_text_of(body_html),
        author=author,
        category=category,
        tags=sorted(tags, key=lambda tag: tag.name),
        status=status,
        published_at=published_at,
        comments_open=True,
        comment_count=0,
        created_at=stamp,
        updated_at=stamp,
    )


def new_comment(
    text: Text,
    article: Article,
    author: User,
    parent: Comment | None,
    created_at: datetime,
) -> Comment:
    """A visible comment of 15 to 60 words, rendered like post_comment(),
    counted in the article's comment_count."""
    body = text.sentences(text.rng.randint(15, 60))
    article.comment_count += 1
    return Comment(
        article=article,
        author=author,
        parent=parent,
        body_markdown=body,
        body_html=render_comment(body),
        status=CommentStatus.VISIBLE,
        created_at=created_at,
    )


def flat_comments(
    text: Text, article: Article, commenters: list[User], count: int
) -> list[Comment]:
    """Top-level comments, one every 37 minutes after publication."""
    return [
        new_comment(
            text,
            article,
            text.rng.choice(commenters),
            None,
            article.published_at + timedelta(minutes=37 * (number + 1)),
        )
        for number in range(count)
    ]


def threaded_comments(
    text: Text, article: Article, commenters: list[User], count: int
) -> list[Comment]:
    """A discussion: a third of the comments start a thread, the rest reply
    to a recent comment less than REPLY_DEPTH deep."""
    comments, depth = [], {}
    for number in range(count):
        open_parents = [c for c in comments[-8:] if depth[id(c)] < REPLY_DEPTH]
        parent = None
        if open_parents and text.rng.random() > 1 / 3:
            parent = text.rng.choice(open_parents)
        comment = new_comment(
            text,
            article,
            text.rng.choice(commenters),
            parent,
            article.published_at + timedelta(minutes=37 * (number + 1)),
        )
        depth[id(comment)] = 0 if parent is None else depth[id(parent)] + 1
        comments.append(comment)
    return comments


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        help="an EMPTY database (default: a new SQLite file in a temporary folder)",
    )
    args = parser.parse_args(argv)
    instance = Path(tempfile.mkdtemp(prefix="blog-bench-seed-"))
    url = args.database_url or f"sqlite:///{instance / 'bench.sqlite'}"
    log(f"seeding {url}")
    manifest = seed(url, instance)
    print(json.dumps(asdict(manifest), indent=2))
    print(f"seeded in {manifest.seconds:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
