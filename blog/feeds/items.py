"""What each feed says: its title, links and items, from the articles or
comments its validators named. Runs only when a feed is not in the cache."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from blog.articles.images import shared_image_of
from blog.articles.uploads import file_size
from blog.assets import asset_url
from blog.authors.profiles import author_card
from blog.extensions import db
from blog.feeds.content import absolute_links
from blog.feeds.entries import FeedImage, FeedInfo, FeedItem, Label, Person
from blog.feeds.queries import ArticleScope, CommentScope
from blog.feeds.validators import FeedValidators
from blog.http import absolute_url
from blog.models import Article, Comment, User
from blog.site_settings import current_site

LISTING_ENDPOINTS = {
    "site": "articles.index",
    "category": "articles.by_category",
    "tag": "articles.by_tag",
    "author": "articles.by_author",
}
# The author photo feeds carry: RSS allows a channel image 144 px wide at most.
FEED_AVATAR = 128
# %-templates, translated when a feed is built (str() of the lazy string).
SCOPE_DESCRIPTIONS = {
    "site": _l("The newest articles on %(site)s"),
    "category": _l("The newest articles in %(name)s on %(site)s"),
    "tag": _l("The newest articles tagged %(name)s on %(site)s"),
    "author": _l("The newest articles by %(name)s on %(site)s"),
}


def site_name() -> str:
    return current_site().title


def feed_description(kind: str, name: str) -> str:
    """The site feed says what the owner says of the site; the others, what
    they hold."""
    if kind == "site" and current_site().description:
        return current_site().description
    return str(SCOPE_DESCRIPTIONS[kind]) % {"site": site_name(), "name": name}


def hub_url() -> str:
    """The WebSub hub feeds name, when BLOG_WEBSUB_HUB sets one."""
    return str(current_app.config.get("WEBSUB_HUB") or "")


def site_host() -> str:
    """The site's host name, the authority of every item's tag: URI."""
    return urlsplit(absolute_url("articles.index")).hostname or "localhost"


def tag_uri(created_at: datetime, specific: str) -> str:
    """An id that never changes (RFC 4151): the host, the day the thing was
    created and its database id; never its slug or title, which may change."""
    return f"tag:{site_host()},{created_at:%Y-%m-%d}:{specific}"


def scope_url(scope: ArticleScope) -> str:
    if scope.kind == "site":
        return absolute_url("articles.index")
    return absolute_url(LISTING_ENDPOINTS[scope.kind], slug=scope.slug)


def article_feed_url(scope: ArticleScope, format_name: str) -> str:
    if scope.kind == "site":
        return absolute_url("feeds.site", format_name=format_name)
    return absolute_url(
        "feeds.scoped", kind=scope.kind, slug=scope.slug, format_name=format_name
    )


def comment_feed_url(scope: CommentScope, format_name: str) -> str:
    if not scope.article_slug:
        return absolute_url("feeds.comments", format_name=format_name)
    return absolute_url(
        "feeds.article_comments", slug=scope.article_slug, format_name=format_name
    )


def article_feed(
    scope: ArticleScope, validators: FeedValidators, format_name: str
) -> FeedInfo:
    """The feed of the articles the validators named, newest first."""
    name = validators.scope_name
    title = f"{name} · {site_name()}" if name else site_name()
    items = articles(validators.item_ids)
    author, description = Person(site_name()), feed_description(scope.kind, name)
    if scope.kind == "author":
        author, description = author_of_feed(scope, name, items, description)
    return FeedInfo(
        title=title,
        description=description,
        home_url=scope_url(scope),
        self_url=article_feed_url(scope, format_name),
        updated=validators.last_modified,
        author=author,
        hub_url=hub_url(),
        items=tuple(article_item(article) for article in items),
        stylesheet_url=asset_url("feed.css"),
        language=current_site().language,
        untitled=_("(untitled)"),
    )


def author_of_feed(
    scope: ArticleScope, name: str, items: list[Article], description: str
) -> tuple[Person, str]:
    """An author's feed is theirs: their page, photo and bio (the profile of
    the author of its articles; every article of it is theirs)."""
    if not items:
        return Person(name, scope_url(scope)), description
    card = author_card(items[0].author)
    person = Person(name, scope_url(scope), card.avatar_url(FEED_AVATAR))
    return person, card.bio_text or description


def articles(ids: tuple[int, ...]) -> list[Article]:
    """These articles with author, category and tags, in the order given:
    three queries however many there are."""
    if not ids:
        return []
    found = db.session.scalars(
        Article.select_listing()
        .options(joinedload(Article.author).joinedload(User.profile))
        .where(Article.id.in_(ids))
    )
    by_id = {article.id: article for article in found}
    return [by_id[id_] for id_ in ids if id_ in by_id]


def article_item(article: Article) -> FeedItem:
    url = absolute_url("articles.detail", slug=article.slug)
    published = article.published_at or article.created_at
    author = article.author
    return FeedItem(
        id=tag_uri(article.created_at, f"article/{article.id}"),
        url=url,
        title=article.title,
        content_html=absolute_links(article.body_html, url),
        summary=article.summary,
        published=published,
        updated=max(article.updated_at, published),
        authors=(
            Person(
                author.display_name,
                absolute_url(LISTING_ENDPOINTS["author"], slug=author.slug),
                author_card(author).avatar_url(FEED_AVATAR),
            ),
        ),
        labels=tuple(labels_of(article)),
        image=cover_of(article),
    )


def cover_of(article: Article) -> FeedImage | None:
    if article.cover is None:
        return None
    shared = shared_image_of(article.cover)
    return FeedImage(shared.url, file_size(shared.filename), shared.content_type)


def labels_of(article: Article) -> Iterable[Label]:
    if article.category is not None:
        slug = article.category.slug
        yield Label(
            article.category.name, absolute_url("articles.by_category", slug=slug)
        )
    for tag in article.tags:
        yield Label(tag.name, absolute_url("articles.by_tag", slug=tag.slug))


def comment_feed(
    scope: CommentScope, validators: FeedValidators, format_name: str
) -> FeedInfo:
    """The feed of the comments the validators named, newest first."""
    if scope.article_slug:
        heading = _("Comments on “%(title)s”", title=validators.scope_name)
        home_url = absolute_url("articles.detail", slug=scope.article_slug)
    else:
        heading = _("Comments")
        home_url = absolute_url("articles.index")
    where = validators.scope_name or site_name()
    return FeedInfo(
        title=f"{heading} · {site_name()}",
        description=_("The newest comments on %(name)s", name=where),
        home_url=home_url,
        self_url=comment_feed_url(scope, format_name),
        updated=validators.last_modified,
        author=Person(site_name()),
        hub_url=hub_url(),
        items=tuple(comment_item(comment) for comment in comments(validators.item_ids)),
        stylesheet_url=asset_url("feed.css"),
        language=current_site().language,
        untitled=_("(untitled)"),
    )


def comments(ids: tuple[int, ...]) -> list[Comment]:
    """These comments with their authors and their articles' titles, in the
    order given: one query."""
    if not ids:
        return []
    found = db.session.scalars(Comment.select_for_feed(ids))
    by_id = {comment.id: comment for comment in found}
    return [by_id[id_] for id_ in ids if id_ in by_id]


def comment_item(comment: Comment) -> FeedItem:
    article_url = absolute_url("articles.detail", slug=comment.article.slug)
    return FeedItem(
        id=tag_uri(comment.created_at, f"comment/{comment.id}"),
        url=f"{article_url}#comment-{comment.id}",
        title=_(
            "%(author)s on “%(title)s”",
            author=comment.author_name,
            title=comment.article.title,
        ),
        content_html=absolute_links(comment.body_html, article_url),
        summary="",
        published=comment.created_at,
        updated=comment.edited_at or comment.created_at,
        authors=(Person(comment.author_name),),
    )
