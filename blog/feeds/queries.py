"""The queries a feed's validators come from: one cheap, index-backed query
per feed, returning a row for the scope (none when the category, tag,
author or article is unknown: a 404), joined to the feed's newest items with
only the columns that decide how they look (ids, slugs, times, names)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    ScalarSelect,
    Select,
    func,
    null,
    or_,
    select,
    true,
)

from blog.models import (
    Article,
    ArticleStatus,
    AuthorProfile,
    Category,
    Comment,
    CommentStatus,
    Tag,
    User,
    article_tags,
)

FEED_ARTICLES = 20
FEED_COMMENTS = 50


@dataclass(frozen=True)
class ArticleScope:
    """Which articles a feed holds: the site's, or one category's, tag's or
    author's."""

    kind: str = "site"
    slug: str = ""

    def head(self) -> Select[*tuple[Any, ...]]:
        """One row, the scope's display name (and when an author's profile,
        which their feed shows, last changed), when the scope exists."""
        if self.kind == "author":
            return (
                select(
                    User.display_name.label("scope_name"),
                    AuthorProfile.updated_at.label("profile_change"),
                )
                .outerjoin(AuthorProfile, AuthorProfile.user_id == User.id)
                .where(User.slug == self.slug)
            )
        if self.kind == "category":
            name, slug = Category.name, Category.slug
        elif self.kind == "tag":
            name, slug = Tag.name, Tag.slug
        else:
            return select(null().label("scope_name"), null().label("profile_change"))
        return select(name.label("scope_name"), null().label("profile_change")).where(
            slug == self.slug
        )

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


def select_article_validators(
    scope: ArticleScope, now: datetime
) -> Select[*tuple[Any, ...]]:
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


def select_feed_articles(
    scope: ArticleScope, now: datetime
) -> Select[*tuple[Any, ...]]:
    """What decides how the scope's newest public articles look in a feed."""
    return (
        select(
            Article.id.label("item_id"),
            Article.slug,
            Article.updated_at,
            Article.published_at,
            User.display_name,
            User.slug.label("author_slug"),
            AuthorProfile.updated_at.label("author_profile_change"),
            Category.name.label("category_name"),
            Category.slug.label("category_slug"),
        )
        .join(User, Article.author_id == User.id)
        .outerjoin(AuthorProfile, AuthorProfile.user_id == User.id)
        .outerjoin(Category, Article.category_id == Category.id)
        .where(Article.is_listed(now), scope.condition())
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


def select_comment_validators(
    scope: CommentScope, now: datetime
) -> Select[*tuple[Any, ...]]:
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


def select_feed_comments(
    scope: CommentScope, now: datetime
) -> Select[*tuple[Any, ...]]:
    """What decides how the scope's newest visible comments look in a feed."""
    return (
        select(
            Comment.id.label("item_id"),
            Comment.created_at,
            Comment.edited_at,
            User.display_name,
            Comment.guest_name,
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
