"""The database (and Redis) a bench run uses, fresh each time.

SQLite: a new file in the run's temporary folder. PostgreSQL: a database of
the bench's own on the local server, dropped and created again, and a Redis
database number of its own, flushed first.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import redis
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import Engine, make_url

from bench.common import LOOPBACK, BenchError, log
from blog.config import with_psycopg_driver
from blog.models import Article, Comment, CommentStatus

DEFAULT_POSTGRES = f"postgresql://postgres@{LOOPBACK}:5432/postgres"
DEFAULT_REDIS = f"redis://{LOOPBACK}:6379/14"
CONNECT_TIMEOUT_S = 10


@dataclass
class Database:
    """Where the bench's blog keeps its data."""

    kind: str  # "sqlite" or "postgres"
    url: str
    redis_url: str = ""


def loopback_only(url: str) -> None:
    host = make_url(url).host if "://" in url else None
    if host not in (None, LOOPBACK):
        raise BenchError(f"the bench uses servers on {LOOPBACK} only, not {host}")


@contextmanager
def fresh_database(
    kind: str,
    workdir: Path,
    *,
    name: str = "blog_bench",
    postgres_url: str = DEFAULT_POSTGRES,
    redis_url: str = DEFAULT_REDIS,
    keep: bool = False,
) -> Iterator[Database]:
    """An empty database for one run; a PostgreSQL one is dropped afterwards
    unless keep is set."""
    if kind == "sqlite":
        yield Database("sqlite", f"sqlite:///{workdir / 'bench.sqlite'}")
        return
    loopback_only(postgres_url)
    loopback_only(redis_url)
    flush_redis(redis_url)
    url = recreate_postgres_database(postgres_url, name)
    try:
        yield Database("postgres", url, redis_url)
    finally:
        if not keep:
            drop_postgres_database(postgres_url, name)


def admin_engine(postgres_url: str) -> Engine:
    """An engine on the server's maintenance database, outside transactions
    (CREATE/DROP DATABASE refuse to run inside one)."""
    return create_engine(
        with_psycopg_driver(postgres_url),
        isolation_level="AUTOCOMMIT",
        connect_args={"connect_timeout": CONNECT_TIMEOUT_S},
    )


def recreate_postgres_database(postgres_url: str, name: str) -> str:
    """Drop the bench database (ending its old sessions) and create it empty;
    return its URL."""
    engine = admin_engine(postgres_url)
    try:
        with engine.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        engine.dispose()
    log(f"fresh PostgreSQL database {name}")
    return make_url(postgres_url).set(database=name).render_as_string(False)


def drop_postgres_database(postgres_url: str, name: str) -> None:
    engine = admin_engine(postgres_url)
    try:
        with engine.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        engine.dispose()


def flush_redis(redis_url: str) -> None:
    """Empty the bench's Redis database (its own number: nothing else there)."""
    client = redis.Redis.from_url(
        redis_url, socket_timeout=CONNECT_TIMEOUT_S, socket_connect_timeout=5
    )
    try:
        client.flushdb()
    finally:
        client.close()


def postgres_version(url: str) -> str:
    engine = create_engine(with_psycopg_driver(url))
    try:
        with engine.connect() as connection:
            return str(connection.scalar(text("SHOW server_version")))
    finally:
        engine.dispose()


@dataclass
class CommentTally:
    """An article's comments as stored, and the count its row keeps."""

    stored: int
    visible: int
    comment_count: int


def comment_tally(url: str, slug: str) -> CommentTally:
    """Count an article's comments straight from the database, in one
    statement: comments still arriving (answers wrk stopped waiting for) must
    not land between reading the count and counting the rows."""
    of_article = Comment.article_id == Article.id
    stored = select(func.count(Comment.id)).where(of_article).scalar_subquery()
    visible = (
        select(func.count(Comment.id))
        .where(of_article, Comment.status == CommentStatus.VISIBLE)
        .scalar_subquery()
    )
    engine = create_engine(with_psycopg_driver(url))
    try:
        with engine.connect() as connection:
            kept, stored_count, visible_count = connection.execute(
                select(Article.comment_count, stored, visible).where(
                    Article.slug == slug
                )
            ).one()
    finally:
        engine.dispose()
    return CommentTally(stored_count, visible_count, kept)


def missing_comments(url: str, ids: list[int]) -> int:
    """How many of these comment ids the database does not hold."""
    wanted = set(ids)
    engine = create_engine(with_psycopg_driver(url))
    try:
        with engine.connect() as connection:
            found = set()
            ordered = sorted(wanted)
            for start in range(0, len(ordered), 500):
                chunk = ordered[start : start + 500]
                found.update(
                    connection.scalars(select(Comment.id).where(Comment.id.in_(chunk)))
                )
    finally:
        engine.dispose()
    return len(wanted - found)
