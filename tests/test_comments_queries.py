"""An article page costs the same number of queries whatever its discussion,
and posting a comment holds SQLite's write lock only to store it."""

from __future__ import annotations

import itertools

import pytest
from sqlalchemy import event, select

from blog.comments.policy import trust_authors_of
from blog.comments.services import post_comment, recount_comments
from blog.errors import PermissionDenied
from blog.extensions import db
from blog.jobs.queue import configure_queue
from blog.models import Article, Comment, CommentStatus, Role, User
from blog.models.site_state import SiteState
from blog.rendering import render_comment
from tests.comment_helpers import logged_in, post, shown_comment_ids
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
    visible = select(Comment).where(Comment.status == CommentStatus.VISIBLE)
    trust_authors_of(db.session.scalars(visible).all())
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

    # The navigation, each article's own part and its discussion as readers
    # without a comment there see it are remembered per content version;
    # logged-in visits (never page-cached) remember them first.
    with app.app_context():
        newcomer = make_user(email="newcomer@example.com").email
    warm_ups = [logged_in(app, email) for email in ("author@example.com", newcomer)]

    def queries_for(slug: str) -> list[str]:
        for warm_up in warm_ups:
            warm_up.get(f"/articles/{slug}")
        with count_queries() as queries:
            assert client.get(f"/articles/{slug}").status_code == 200
        return queries

    small, big = queries_for("small"), queries_for("big")

    assert len(small) == len(big), "\n".join(big)
    assert sum("FROM comments" in query for query in big) == 1
    assert len(shown_comment_ids(client, "big")) >= 140


@pytest.fixture
def sqlite_statements(app):
    """Every statement SQLite is sent, transaction control included."""
    with app.app_context():
        engine = db.engine
    if engine.dialect.name != "sqlite":
        pytest.skip("SQLite's write lock; PostgreSQL locks rows instead")
    statements: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:  # noqa: ANN001
        statements.append(" ".join(statement.split()))

    def record_commit(_conn) -> None:  # noqa: ANN001 - sqlite3 commits by a call
        statements.append("COMMIT")

    event.listen(engine, "before_cursor_execute", record)
    event.listen(engine, "commit", record_commit)
    yield statements
    event.remove(engine, "before_cursor_execute", record)
    event.remove(engine, "commit", record_commit)


@pytest.fixture
def jobs_left_queued(app):
    """Jobs handed to a queue no consumer reads, so only the request's own
    statements are recorded."""
    app.config["QUEUE_MODE"] = "huey"
    configure_queue(app)


@pytest.mark.parametrize("author_wants_mail", [False, True])
def test_posting_a_comment_holds_the_write_lock_only_to_store_it(
    app, two_discussions, sqlite_statements, jobs_left_queued, author_wants_mail
) -> None:
    with app.app_context():
        author = db.session.scalar(User.select_by_email("author@example.com"))
        author.notify_replies = author_wants_mail
        db.session.commit()
    client = logged_in(app, "reader@example.com")
    sqlite_statements.clear()

    response = post(client, "small", "Short and sweet")

    assert response.status_code == 303
    locked = sqlite_statements.index("BEGIN IMMEDIATE")
    assert sqlite_statements.count("BEGIN IMMEDIATE") == 1, sqlite_statements
    inside = sqlite_statements[locked + 1 : sqlite_statements.index("COMMIT", locked)]
    # The user, the article, the comment's rendering and whether anyone asked
    # for mail about it came before the lock; under it: the site's content
    # version first (article saves lock it first too, so two writers on
    # PostgreSQL never deadlock), the article checked again, the double-post
    # check, the comment and the article's count, and, when someone asked,
    # the job that mails them (it reads whom later, off the lock).
    assert [statement.split()[:3] for statement in inside] == [
        ["UPDATE", "site_state", "SET"],
        ["SELECT", "articles.id,", "articles.comments_open"],
        ["SELECT", "comments.id", "FROM"],
        ["INSERT", "INTO", "comments"],
        ["UPDATE", "articles", "SET"],
    ] + ([["INSERT", "INTO", "jobs"]] if author_wants_mail else []), inside
    assert "FROM users" in " ".join(sqlite_statements[:locked])


def test_a_comment_moves_the_content_version_by_one(app, two_discussions) -> None:
    client = logged_in(app, "reader@example.com")

    def version() -> int:
        with app.app_context():
            return db.session.scalar(select(SiteState.content_version))

    before = version()
    assert post(client, "small", "One more").status_code == 303
    assert version() == before + 1


def test_comments_closed_after_the_page_was_read_are_refused_under_the_lock(
    app, app_factory, two_discussions
) -> None:
    other_worker = app_factory()
    with app.test_request_context("/articles/small/comments", method="POST"):
        article = db.session.scalar(select(Article).where(Article.slug == "small"))
        reader = db.session.scalar(
            select(User).where(User.email == "reader@example.com")
        )
        with other_worker.app_context():
            closing = db.session.get(Article, article.id)
            closing.comments_open = False
            db.session.commit()

        with pytest.raises(PermissionDenied):
            post_comment(article=article, author=reader, body="Too late")

    with app.app_context():
        assert (
            db.session.scalar(
                select(Comment.id).where(Comment.body_markdown == "Too late")
            )
            is None
        )


def test_a_first_visit_after_a_change_asks_the_same_few_questions(
    app, two_discussions, count_queries, version_reads
) -> None:
    """Rendered once per content version: the version (pinned first), the
    next scheduled article (read once), the site's settings, the article,
    its body in one query, its two neighbours, its tags, its author's
    profile, its discussion, then the menus and the categories the header
    shows."""
    client = app.test_client()
    counts = []
    for slug in ("small", "big"):
        with count_queries() as queries:
            assert client.get(f"/articles/{slug}").status_code == 200
        counts.append(len(queries) - version_reads)
    assert counts == [12, 9]  # the settings and menus are remembered by then
