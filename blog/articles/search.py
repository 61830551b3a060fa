"""Full-text search over public articles, ranked, with marked snippets."""

from __future__ import annotations

from markupsafe import Markup, escape
from sqlalchemy import ColumnClause, Select, case, func, literal_column, select
from sqlalchemy.sql.functions import Function

from blog.extensions import db
from blog.models import Article
from blog.models.search import (
    MARK_CLOSE,
    MARK_OPEN,
    POSTGRES_VECTOR_SQL,
    articles_fts,
    fts5_query,
    search_terms,
)

SNIPPET_WORDS = 30


def dialect_name() -> str:
    return db.session.get_bind().dialect.name


def select_search(query: str) -> Select[Article] | None:
    """Public articles matching every word of the query, title matches first,
    then by relevance; None when the query holds no word at all."""
    terms = search_terms(query)
    if not terms:
        return None
    if dialect_name() == "postgresql":
        return select_search_postgres(terms)
    return select_search_sqlite(terms)


def select_search_sqlite(terms: list[str]) -> Select[Article]:
    matches = articles_fts.c.articles_fts.op("MATCH")
    title_hits = select(articles_fts.c.rowid).where(
        matches(fts5_query(terms, column="title"))
    )
    # bm25() is lower for better matches; the title weighs ten times the body.
    rank = func.bm25(literal_column("articles_fts"), 10.0, 4.0, 1.0)
    return (
        Article.select_published(with_pages=True)
        .join(articles_fts, articles_fts.c.rowid == Article.id)
        .where(matches(fts5_query(terms)))
        .order_by(None)
        .order_by(
            case((Article.id.in_(title_hits), 0), else_=1),
            rank,
            Article.published_at.desc(),
        )
    )


def postgres_vector() -> ColumnClause:
    # Imported here: the PostgreSQL dialect costs a SQLite worker 2 MiB.
    from sqlalchemy.dialects.postgresql import TSVECTOR

    # The very expression the GIN index is built on, so the index serves it.
    return literal_column(f"({POSTGRES_VECTOR_SQL})", type_=TSVECTOR)


def postgres_query(terms: list[str]) -> Function:
    # plainto_tsquery reads plain words and never fails on operators or noise.
    return func.plainto_tsquery(literal_column("'english'::regconfig"), " ".join(terms))


def select_search_postgres(terms: list[str]) -> Select[Article]:
    query = postgres_query(terms)
    title_vector = func.to_tsvector(
        literal_column("'english'::regconfig"), Article.title
    )
    vector = postgres_vector()
    return (
        Article.select_published(with_pages=True)
        .where(vector.bool_op("@@")(query))
        .order_by(None)
        .order_by(
            case((title_vector.bool_op("@@")(query), 0), else_=1),
            func.ts_rank_cd(vector, query).desc(),
            Article.published_at.desc(),
        )
    )


def snippets_for(articles: list[Article], query: str) -> dict[int, Markup]:
    """A short excerpt of each article's text around the query's words, with
    the words in <mark>; one query for the whole page of results."""
    terms = search_terms(query)
    ids = [article.id for article in articles]
    if not terms or not ids:
        return {}
    if dialect_name() == "postgresql":
        options = (
            f"StartSel={MARK_OPEN}, StopSel={MARK_CLOSE}, "
            f"MaxWords={SNIPPET_WORDS}, MinWords={SNIPPET_WORDS // 2}"
        )
        excerpt = func.ts_headline(
            literal_column("'english'::regconfig"),
            Article.body_text,
            postgres_query(terms),
            options,
        )
        rows = db.session.execute(
            select(Article.id, excerpt).where(Article.id.in_(ids))
        )
    else:
        excerpt = func.snippet(
            literal_column("articles_fts"), 2, MARK_OPEN, MARK_CLOSE, "…", SNIPPET_WORDS
        )
        rows = db.session.execute(
            select(articles_fts.c.rowid, excerpt)
            .where(articles_fts.c.articles_fts.op("MATCH")(fts5_query(terms)))
            .where(articles_fts.c.rowid.in_(ids))
        )
    return {article_id: marked(text) for article_id, text in rows}


def marked(snippet: str) -> Markup:
    """Escape the article text, then turn our markers into <mark> tags."""
    html = str(escape(snippet))
    marked_html = html.replace(MARK_OPEN, "<mark>").replace(MARK_CLOSE, "</mark>")
    return Markup(marked_html)  # nosec B704 # noqa: S704 - escaped above
