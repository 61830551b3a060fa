"""What the export reads, in batches: each statement streams its rows
(yield_per) with what they name loaded per batch, so 10,000 articles cost
a few queries and never sit in memory together."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Label, Select, func, select
from sqlalchemy.orm import InstrumentedAttribute, joinedload, selectinload

from blog.models import (
    Article,
    ArticleRedirect,
    Comment,
    LegacyAddress,
    MenuItem,
    Upload,
    User,
)

BATCH = 200


def select_articles() -> Select[Article]:
    """Every article and page with its author, category, cover and tags."""
    return (
        select(Article)
        .options(
            joinedload(Article.author),
            joinedload(Article.category),
            joinedload(Article.cover),
            selectinload(Article.tags),
        )
        .order_by(Article.id)
        .execution_options(yield_per=BATCH)
    )


def select_comments() -> Select[Comment, str]:
    """Every comment with its article's slug and its author, an article's
    together, oldest first."""
    return (
        select(Comment, Article.slug)
        .join(Comment.article)
        .options(joinedload(Comment.author))
        .order_by(Comment.article_id, Comment.created_at, Comment.id)
        .execution_options(yield_per=BATCH)
    )


def select_users() -> Select[User]:
    """Every account with its profile (and the profile's photo)."""
    return (
        select(User)
        .options(joinedload(User.profile))
        .order_by(User.id)
        .execution_options(yield_per=BATCH)
    )


def select_uploads() -> Select[Upload]:
    return (
        select(Upload)
        .options(joinedload(Upload.uploader))
        .order_by(Upload.id)
        .execution_options(yield_per=BATCH)
    )


def select_old_slugs() -> Select[str, str, datetime]:
    return (
        select(ArticleRedirect.old_slug, Article.slug, ArticleRedirect.created_at)
        .join(ArticleRedirect.article)
        .order_by(ArticleRedirect.id)
    )


def select_legacy_addresses() -> Select[LegacyAddress]:
    return select(LegacyAddress).order_by(LegacyAddress.id)


def select_menus() -> Select[MenuItem]:
    return MenuItem.select_menus()


def select_counts() -> Select[int, int, int, int]:
    """How many articles (and pages), comments, accounts and uploads there
    are, in one query: what the studio's export page says it holds."""

    def count(column: InstrumentedAttribute[int], name: str) -> Label[int]:
        return select(func.count(column)).scalar_subquery().label(name)

    return select(
        count(Article.id, "articles"),
        count(Comment.id, "comments"),
        count(User.id, "users"),
        count(Upload.id, "uploads"),
    )
