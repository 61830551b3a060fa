"""Full-text search on the database's own engine.

SQLite: an FTS5 table over the articles' title, summary and plain text, kept
in step by triggers. PostgreSQL: a weighted tsvector expression with a GIN
index. Neither fits SQLAlchemy's portable schema, so the DDL lives here (and,
frozen, in the migration) and Alembic is told to leave these objects alone.

A batch migration that rebuilds the articles table on SQLite drops its
triggers: such a migration must run SQLITE_DDL again (test_migrations checks
that search works after the whole history).
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import Column, FromClause, Integer, MetaData, Table, Text, event
from sqlalchemy.engine import Connection

SEARCH_OBJECT_PREFIXES = ("articles_fts", "ix_articles_search")
SEARCH_TERMS_MAX = 20
# What of a search query is read (the search box's maxlength too).
SEARCH_QUERY_MAX = 200
MARK_OPEN, MARK_CLOSE = "\x01", "\x02"  # replaced by <mark> after escaping

SQLITE_DDL = [
    """CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5(
        title, summary, body_text,
        content='articles', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER IF NOT EXISTS articles_fts_insert AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts(rowid, title, summary, body_text)
        VALUES (new.id, new.title, new.summary, new.body_text);
    END""",
    """CREATE TRIGGER IF NOT EXISTS articles_fts_delete AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, summary, body_text)
        VALUES ('delete', old.id, old.title, old.summary, old.body_text);
    END""",
    """CREATE TRIGGER IF NOT EXISTS articles_fts_update
        AFTER UPDATE OF title, summary, body_text ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, summary, body_text)
        VALUES ('delete', old.id, old.title, old.summary, old.body_text);
        INSERT INTO articles_fts(rowid, title, summary, body_text)
        VALUES (new.id, new.title, new.summary, new.body_text);
    END""",
    "INSERT INTO articles_fts(articles_fts) VALUES ('rebuild')",
]

POSTGRES_VECTOR_SQL = (
    "setweight(to_tsvector('english'::regconfig, title), 'A') || "
    "setweight(to_tsvector('english'::regconfig, summary), 'B') || "
    "setweight(to_tsvector('english'::regconfig, body_text), 'C')"
)
POSTGRES_DDL = [
    "CREATE INDEX IF NOT EXISTS ix_articles_search ON articles "
    f"USING gin (({POSTGRES_VECTOR_SQL}))",
]

# The FTS5 table, for queries only (it is not part of the models' metadata).
articles_fts = Table(
    "articles_fts",
    MetaData(),
    Column("rowid", Integer, primary_key=True),
    Column("articles_fts", Text),  # the table-named column MATCH is written on
    Column("title", Text),
    Column("summary", Text),
    Column("body_text", Text),
)


def create_search_objects(connection: Connection) -> None:
    """Build the search table or index for this database (tests, create_all)."""
    statements = {"sqlite": SQLITE_DDL, "postgresql": POSTGRES_DDL}
    for statement in statements.get(connection.dialect.name, []):
        connection.exec_driver_sql(statement)


def listen_for_create_all(articles_table: FromClause[Any]) -> None:
    event.listen(
        articles_table,
        "after_create",
        lambda _table, connection, **_kw: create_search_objects(connection),
    )


def is_search_object(name: str | None) -> bool:
    return bool(name and name.startswith(SEARCH_OBJECT_PREFIXES))


def search_terms(query: str) -> list[str]:
    """The words of a query, whatever operators or noise surround them."""
    return re.findall(r"\w+", query)[:SEARCH_TERMS_MAX]


def fts5_query(terms: list[str], column: str | None = None) -> str:
    """An FTS5 query matching every term, each quoted so that no word is
    read as an operator (NEAR, AND, *, column filters)."""
    quoted = " ".join('"' + term.replace('"', '""') + '"' for term in terms)
    return f"{column} : ({quoted})" if column else quoted
