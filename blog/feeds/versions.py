"""Every feed's validators from one cheap, index-backed query.

The query returns a row for the scope (none when the category, tag, author
or article is unknown: a 404), joined to the feed's newest items with only
the columns that decide how they look (ids, slugs, times, names). Hashing
those rows gives the ETag, so a publish, an edit, a slug change, a comment
shown or hidden, or a scheduled article whose time has come changes it: the
query compares published_at with the time it runs, so no cron is needed.

Last-Modified is the newest change: of the items shown, the later of their
update and publication times (comments: creation and edit times); and, so
that it never goes backwards when an article leaves a feed (unpublished,
rescheduled), the newest update among the scope's articles that are not
public now, capped at now. The article services stamp updated_at on every
status change, so an unpublish moves Last-Modified forward. The price:
saving a draft also moves its scope's validators, costing subscribers one
download; never a wrong 304.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Row,
    ScalarSelect,
    Select,
    func,
    null,
    or_,
    select,
    true,
)

from blog.extensions import db
from blog.models import (
    Article,
    ArticleStatus,
    Category,
    Comment,
    CommentStatus,
    Tag,
    User,
    article_tags,
    utcnow,
)

FEED_ARTICLES = 20
FEED_COMMENTS = 50
# The Last-Modified of a feed that has never had anything in it.
NEVER = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class FeedVersion:
    etag: str
    last_modified: datetime
    # The category or tag name, author name or article title; "" for the site.
    scope_name: str
    item_ids: tuple[int, ...]


@dataclass(frozen=True)
class ArticleScope:
    """Which articles a feed holds: the site's, or one category's, tag's or
    author's."""

    kind: str = "site"
    slug: str = ""

    def head(self) -> Select[Any]:
        """One row, the scope's display name, when the scope exists."""
        if self.kind == "category":
            name, slug = Category.name, Category.slug
        elif self.kind == "tag":
            name, slug = Tag.name, Tag.slug
        elif self.kind == "author":
            name, slug = User.display_name, User.slug
        else:
            return select(null().label("scope_name"))
        return select(name.label("scope_name")).where(slug == self.slug)

    def condition(self) -> ColumnElement[bool]:
        """Articles in the scope. The subqueries never correlate with the
        tables the feed query joins for names."""
        if self.kind == "category":
            ids = select(Category.id).where(Category.slug == self.slug)
            return Article.category_id.in_(ids.correlate(None))
        if self.kind == "tag":
            ids = (
                select(article_tags.c.article_id)
                .join(Tag, Tag.id == article_tags.c.tag_id)
                .where(Tag.slug == self.slug)
            )
            return Article.id.in_(ids.correlate(None))
        if self.kind == "author":
            ids = select(User.id).where(User.slug == self.slug)
            return Article.author_id.in_(ids.correlate(None))
        return true()


@dataclass(frozen=True)
class CommentScope:
    """The visible comments on every public article, or on one."""

    article_slug: str = ""

    def head(self, now: datetime) -> Select[Any]:
        if not self.article_slug:
            return select(null().label("scope_name"))
        return select(Article.title.label("scope_name")).where(
            Article.slug == self.article_slug, Article.is_public(now)
        )

    def condition(self) -> ColumnElement[bool]:
        """Comments in the scope, for a query that joins their article."""
        return Article.slug == self.article_slug if self.article_slug else true()

    def comment_condition(self) -> ColumnElement[bool]:
        """Comments in the scope, for a query on comments alone."""
        if not self.article_slug:
            return true()
        ids = select(Article.id).where(Article.slug == self.article_slug)
        return Comment.article_id.in_(ids.correlate(None))


def select_article_versions(scope: ArticleScope, now: datetime) -> Select[Any]:
    """The scope's row joined to its newest public articles, plus the newest
    update among its articles that are not public now."""
    items = select_feed_articles(scope, now).subquery("items")
    head = scope.head().subquery("scope")
    drafts, scheduled = select_hidden_changes(scope, now)
    return (
        select(
            head,
            drafts.label("draft_change"),
            scheduled.label("scheduled_change"),
            items,
        )
        .select_from(head.outerjoin(items, true()))
        .order_by(items.c.published_at.desc(), items.c.item_id.desc())
    )


def select_feed_articles(scope: ArticleScope, now: datetime) -> Select[Any]:
    """What decides how the scope's newest public articles look in a feed."""
    return (
        select(
            Article.id.label("item_id"),
            Article.slug,
            Article.updated_at,
            Article.published_at,
            User.display_name,
            User.slug.label("author_slug"),
            Category.name.label("category_name"),
            Category.slug.label("category_slug"),
        )
        .join(User, Article.author_id == User.id)
        .outerjoin(Category, Article.category_id == Category.id)
        .where(Article.is_public(now), scope.condition())
        .order_by(Article.published_at.desc(), Article.id.desc())
        .limit(FEED_ARTICLES)
    )


def select_hidden_changes(
    scope: ArticleScope, now: datetime
) -> tuple[ScalarSelect[Any], ScalarSelect[Any]]:
    """The newest update among the scope's drafts, and among its scheduled
    articles: asked separately so that each is a range of the (status,
    published_at) indexes rather than a scan of every article."""
    newest_update = select(func.max(Article.updated_at)).where(scope.condition())
    drafts = newest_update.where(Article.status == ArticleStatus.DRAFT)
    scheduled = newest_update.where(
        Article.status == ArticleStatus.PUBLISHED,
        or_(Article.published_at.is_(None), Article.published_at > now),
    )
    return drafts.scalar_subquery(), scheduled.scalar_subquery()


def select_comment_versions(scope: CommentScope, now: datetime) -> Select[Any]:
    """The scope's row joined to its newest visible comments, plus the last
    edit that sent one of its comments back to moderation (it left the feed
    then: Last-Modified must not go back). Moderators' approvals and hidings
    leave no time in the schema; the ETag still changes with them."""
    items = select_feed_comments(scope, now).subquery("items")
    head = scope.head(now).subquery("scope")
    withdrawn = select(func.max(Comment.edited_at)).where(
        Comment.status == CommentStatus.PENDING, scope.comment_condition()
    )
    return (
        select(head, withdrawn.scalar_subquery().label("withdrawn_change"), items)
        .select_from(head.outerjoin(items, true()))
        .order_by(items.c.created_at.desc(), items.c.item_id.desc())
    )


def select_feed_comments(scope: CommentScope, now: datetime) -> Select[Any]:
    """What decides how the scope's newest visible comments look in a feed."""
    return (
        select(
            Comment.id.label("item_id"),
            Comment.created_at,
            Comment.edited_at,
            User.display_name,
            Article.slug.label("article_slug"),
            Article.updated_at.label("article_updated_at"),
        )
        .join(Article, Comment.article_id == Article.id)
        .outerjoin(User, Comment.author_id == User.id)
        .where(
            Comment.status == CommentStatus.VISIBLE,
            Article.is_public(now),
            scope.condition(),
        )
        .order_by(Comment.created_at.desc(), Comment.id.desc())
        .limit(FEED_COMMENTS)
    )


def article_feed_version(scope: ArticleScope, salt: str) -> FeedVersion | None:
    """The validators of an article feed, or None when its scope is unknown.
    salt names the representation (format, site address, settings)."""
    now = utcnow()
    rows = db.session.execute(select_article_versions(scope, now)).all()
    if not rows:
        return None
    shown = [row for row in rows if row.item_id is not None]
    changes = [max(row.updated_at, row.published_at) for row in shown]
    hidden = (rows[0].draft_change, rows[0].scheduled_change)
    changes += [min(change, now) for change in hidden if change is not None]
    return version_of(rows, shown, changes, salt)


def comment_feed_version(scope: CommentScope, salt: str) -> FeedVersion | None:
    """The validators of a comment feed, or None when its article is unknown
    or not public."""
    now = utcnow()
    rows = db.session.execute(select_comment_versions(scope, now)).all()
    if not rows:
        return None
    shown = [row for row in rows if row.item_id is not None]
    changes = [max(row.created_at, row.edited_at or row.created_at) for row in shown]
    if rows[0].withdrawn_change is not None:
        changes.append(min(rows[0].withdrawn_change, now))
    return version_of(rows, shown, changes, salt)


def version_of(
    rows: list[Row[Any]], shown: list[Row[Any]], changes: list[datetime], salt: str
) -> FeedVersion:
    last_modified = max(changes, default=NEVER).replace(microsecond=0)
    material = repr((salt, last_modified, [tuple(row) for row in rows]))
    return FeedVersion(
        etag=hashlib.sha256(material.encode()).hexdigest()[:32],
        last_modified=last_modified,
        scope_name=rows[0].scope_name or "",
        item_ids=tuple(row.item_id for row in shown),
    )
