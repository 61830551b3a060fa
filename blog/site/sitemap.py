"""What /sitemap.xml lists: every public article and page, and every listing
page."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Row, Select, select

from blog.extensions import db
from blog.http import absolute_url
from blog.models import Article, ArticleKind, Category, Tag, User, article_tags, utcnow
from blog.site_settings import current_site

ListingKey = tuple[str, object]  # (endpoint or "year"/"month", its argument)


@dataclass(frozen=True)
class SitemapEntry:
    url: str
    lastmod: datetime


def sitemap_entries() -> Iterator[SitemapEntry]:
    """Articles newest first, then the listings that hold them, each with the
    time its newest article changed. Two queries whatever the size."""
    newest: dict[ListingKey, datetime] = {}
    changed_by_id: dict[int, datetime] = {}
    zone = current_site().zone
    for (
        article_id,
        slug,
        kind,
        updated,
        published,
        category,
        author,
    ) in public_articles():
        if published is None:  # never: public articles have a publication time
            continue
        if kind is ArticleKind.PAGE:  # in no listing
            yield SitemapEntry(absolute_url("articles.page", slug=slug), updated)
            continue
        changed = changed_by_id[article_id] = max(updated, published)
        yield SitemapEntry(absolute_url("articles.detail", slug=slug), changed)
        local = published.astimezone(zone)
        keys: list[ListingKey] = [
            ("articles.index", None),
            ("articles.by_author", author),
            ("year", local.year),
            ("month", (local.year, local.month)),
        ]
        if category:
            keys.append(("articles.by_category", category))
        note_change(newest, keys, changed)
    for article_id, tag_slug in db.session.execute(select_tag_slugs()):
        if article_id in changed_by_id:
            note_change(
                newest, [("articles.by_tag", tag_slug)], changed_by_id[article_id]
            )
    newest.setdefault(("articles.index", None), utcnow())  # a site with no article
    yield from listing_entries(newest)


def note_change(
    newest: dict[ListingKey, datetime], keys: list[ListingKey], changed: datetime
) -> None:
    """Remember the newest change of each listing."""
    for key in keys:
        newest[key] = max(newest.get(key, changed), changed)


def public_articles() -> Sequence[
    Row[int, str, ArticleKind, datetime, datetime | None, str | None, str]
]:
    # A scheduled article changes when it appears, hence max(updated, published).
    return db.session.execute(
        select(
            Article.id,
            Article.slug,
            Article.kind,
            Article.updated_at,
            Article.published_at,
            Category.slug,
            User.slug,
        )
        .join(User, Article.author_id == User.id)
        .outerjoin(Category, Article.category_id == Category.id)
        .where(Article.is_public())
        .order_by(Article.published_at.desc(), Article.id.desc())
    ).all()


def select_tag_slugs() -> Select[int, str]:
    return select(article_tags.c.article_id, Tag.slug).join(
        Tag, Tag.id == article_tags.c.tag_id
    )


def listing_entries(
    newest: dict[ListingKey, datetime],
) -> Iterator[SitemapEntry]:
    for key, changed in newest.items():
        match key:
            case ("articles.index", _):
                url = absolute_url("articles.index")
            case ("year", year):
                url = absolute_url("articles.archive", year=year)
            case ("month", (year, month)):
                url = absolute_url("articles.archive", year=year, month=month)
            case (endpoint, slug):
                url = absolute_url(endpoint, slug=slug)
        yield SitemapEntry(url, changed)
