"""RSS 2.0, Atom and JSON Feed for the site, its scopes and its comments.

The validators come from one query (validators.py), which answers 304 before
anything is rendered. Anonymous polls, nearly all of them, are answered from
the page cache (blog/cache/) and reach none of this until the site changes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    url_for,
)
from flask.blueprints import BlueprintSetupState
from werkzeug.wrappers import Response as BaseResponse

from blog.articles.signals import public_article_changed
from blog.cache import public_feed, public_page
from blog.cache.memo import FINGERPRINT
from blog.feeds.builders import SERVED_TYPES, FeedInfo, build_feed
from blog.feeds.items import article_feed, comment_feed, hub_url
from blog.feeds.links import FEED_FILES, SCOPE_KINDS, comment_feed_links, feed_links
from blog.feeds.queries import ArticleScope, CommentScope
from blog.feeds.validators import (
    FeedValidators,
    article_feed_validators,
    comment_feed_validators,
)
from blog.feeds.websub import announce
from blog.http import absolute_url, conditional_response
from blog.models import Article
from blog.permissions import moved_article_or_404
from blog.site_settings import current_site

log = logging.getLogger(__name__)

bp = Blueprint("feeds", __name__)

COMMENT_FORMATS = ("rss", "atom")


def announce_changed_article(article: Article, **_: object) -> None:
    """A public article changed: tell the WebSub hub about its feeds."""
    announce(article)


def connect_announcer(_state: BlueprintSetupState) -> None:
    public_article_changed.connect(announce_changed_article)


# Connected once per process: blinker keeps one connection per receiver.
bp.record_once(connect_announcer)


@bp.app_context_processor
def autodiscovery() -> dict[str, object]:
    return {"feed_links": feed_links, "comment_feed_links": comment_feed_links}


@public_feed
def site_feed(format_name: str) -> Response:
    return serve_articles(ArticleScope(), format_name)


@public_feed
def scoped_feed(kind: str, slug: str, format_name: str) -> Response:
    return serve_articles(ArticleScope(kind, slug), format_name)


@public_feed
def site_comments_feed(format_name: str) -> BaseResponse:
    return serve_comments(CommentScope(), format_name)


@public_feed
def article_comments_feed(slug: str, format_name: str) -> BaseResponse:
    return serve_comments(CommentScope(slug), format_name)


def register_feed_routes() -> None:
    """Each family of feeds is one endpoint; the format (and the scope's kind)
    are rule defaults, so url_for("feeds.scoped", kind="tag", slug=...,
    format_name="atom") picks the matching address."""
    for format_name, file_name in FEED_FILES.items():
        formats = {"format_name": format_name}
        bp.add_url_rule(f"/{file_name}", "site", site_feed, defaults=formats)
        for kind in SCOPE_KINDS:
            bp.add_url_rule(
                f"/{kind}/<slug>/{file_name}",
                "scoped",
                scoped_feed,
                defaults={"kind": kind, **formats},
            )
        if format_name not in COMMENT_FORMATS:
            continue
        bp.add_url_rule(
            f"/comments/{file_name}", "comments", site_comments_feed, defaults=formats
        )
        bp.add_url_rule(
            f"/articles/<slug>/comments/{file_name}",
            "article_comments",
            article_comments_feed,
            defaults=formats,
        )


register_feed_routes()


@bp.get("/subscribe")
@public_page
def subscribe() -> str:
    return render_template("feeds/subscribe.html")


def representation(scope: ArticleScope | CommentScope, format_name: str) -> str:
    """What besides the data shapes a feed's bytes: hashed into its ETag, so
    two feeds or two formats never share a cached document."""
    return repr(
        (
            # The code that renders feeds: a deploy gives every feed a new ETag,
            # so no reader keeps an old rendering as the new one.
            current_app.extensions[FINGERPRINT],
            scope,
            format_name,
            absolute_url("articles.index"),
            # The title, description, language and icon the channel shows.
            current_site(),
            hub_url(),
        )
    )


def serve_articles(scope: ArticleScope, format_name: str) -> Response:
    found = article_feed_validators(scope, representation(scope, format_name))
    # A category, tag or author with nothing public is unknown to the public:
    # its name may come from a draft.
    if found is None or (scope.kind != "site" and not found.item_ids):
        abort(404)
    return serve(found, format_name, lambda: article_feed(scope, found, format_name))


def serve_comments(scope: CommentScope, format_name: str) -> BaseResponse:
    found = comment_feed_validators(scope, representation(scope, format_name))
    if found is None:
        return redirect_from_old_slug(scope.article_slug, format_name)
    return serve(found, format_name, lambda: comment_feed(scope, found, format_name))


def redirect_from_old_slug(slug: str, format_name: str) -> BaseResponse:
    """An article's former address keeps its comment feed: 301 to the new one."""
    if not slug:
        abort(404)
    article = moved_article_or_404(slug)
    target = url_for(
        "feeds.article_comments", slug=article.slug, format_name=format_name
    )
    return redirect(target, code=301)


def serve(
    validators: FeedValidators, format_name: str, describe: Callable[[], FeedInfo]
) -> Response:
    """304 when the reader has a copy with these validators, else the document."""

    def full_response() -> Response:
        body = build_feed(format_name, describe())
        return Response(
            body, content_type=f"{SERVED_TYPES[format_name]}; charset=utf-8"
        )

    # A reader asking If-Modified-Since alone gets the new title too.
    changed = validators.last_modified
    settings_saved = current_site().updated_at
    if settings_saved is not None:
        changed = max(changed, settings_saved.replace(microsecond=0))
    return conditional_response(validators.etag, changed, full_response)
