"""How an imported post takes its place among ours: a slug of its own, and
whether a re-import changes anything."""

from __future__ import annotations

from blog.articles.links import reserved_slugs
from blog.articles.services import ArticleFields
from blog.extensions import db
from blog.models import Article, ArticleKind, ArticleRedirect, Category, Tag
from blog.models.article import SLUG_MAX
from blog.moving.records import PostRecord
from blog.slugs import make_slug


def free_slug(post: PostRecord, article: Article | None) -> str:
    """The old slug if it is free here, else the first free one after it
    ("home-2"): free of other articles, of their old addresses, and for a
    page of the site's own words (/search, /feed). A re-import keeps the
    article's own slug. The old address still leads here (by id)."""
    wish = make_slug(post.slug or post.title, SLUG_MAX - 4)
    taken = reserved_slugs() if post.kind is ArticleKind.PAGE else frozenset()
    candidate, number = wish, 2
    while not is_free(candidate, article, taken):
        candidate, number = f"{wish}-{number}", number + 1
    if candidate != wish:
        post.notes.append(f"its address /{wish} is taken here: it is at {candidate}")
    return candidate


def is_free(slug: str, article: Article | None, taken: frozenset[str]) -> bool:
    own_id = article.id if article is not None else None
    if slug in taken:
        return False
    holder = db.session.scalar(Article.select_id_by_slug(slug))
    if holder is not None and holder != own_id:
        return False
    moved = db.session.scalar(ArticleRedirect.select_by_slug(slug))
    return moved is None or moved.article_id == own_id


def unchanged(
    article: Article, fields: ArticleFields, category: Category | None, tags: list[Tag]
) -> bool:
    """Whether saving the fields would change nothing a reader sees."""
    return (
        article.title,
        article.body_markdown,
        article.status,
        article.published_at,
        article.summary,
        article.comments_open,
        article.cover_id,
        article.cover_alt,
        article.category_id,
        {tag.id for tag in article.tags},
    ) == (
        fields.title.strip(),
        fields.body_markdown,
        fields.status,
        fields.published_at,
        fields.summary.strip() or article.summary,
        fields.comments_open,
        fields.cover_id,
        fields.cover_alt,
        category.id if category else None,
        {tag.id for tag in tags},
    )
