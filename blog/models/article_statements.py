"""Article statements built once, on first use: building each with its
loader options costs more than running it, on the hottest paths (an article
page, a comment's write under the lock). Apart from blog/models/article.py,
whose classmethods import them when first called, to keep that module short."""

from __future__ import annotations

from functools import cache

from sqlalchemy import Select, Update, and_, bindparam, select, update
from sqlalchemy.orm import defer, joinedload

from blog.models.article import Article


# Built once: every article page runs these, and building a statement with
# its loader options costs more than running it.
@cache
def article_by_slug_statement() -> Select[Article]:
    """An article with its byline and category, built once: building it with
    its loader options costs 108 µs, more than running it (99 µs), on every
    logged-in article page (bench: "article, logged-in reader"). Its tags and its body,
    tens of KB a row, load when first read: most requests for an article
    page, and every comment POST, never read them."""
    return (
        select(Article)
        .options(
            joinedload(Article.author),
            joinedload(Article.category),
            joinedload(Article.cover),
            defer(Article.body_markdown),
            defer(Article.body_html),
            defer(Article.body_text),
        )
        .where(Article.slug == bindparam("slug"))
    )


# The statements a comment's write runs under SQLite's write lock, built once:
# building each costs 50-90 µs (more than running it), which every comment
# would hold the lock for (bench: "write: 16 users commenting").
@cache
def taking_comments_statement() -> Select[int, bool]:
    takes_comments = and_(Article.comments_open, Article.is_public(bindparam("now")))
    return (
        select(Article.id, takes_comments)
        .where(Article.id.in_(bindparam("article_ids", expanding=True)))
        .order_by(Article.id)
        .with_for_update()
    )


@cache
def count_one_more_statement() -> Update:
    return (
        update(Article)
        .where(Article.id == bindparam("article_id"))
        .values(comment_count=Article.comment_count + 1)
        .execution_options(synchronize_session=False)
    )
