"""Where an article or a page lives: /articles/<slug> or /<slug>."""

from __future__ import annotations

from typing import Any, Protocol

from flask import current_app, url_for
from flask_babel import gettext as _

from blog.errors import InvalidInput
from blog.http import absolute_url


class Addressed(Protocol):
    slug: str

    @property
    def is_page(self) -> bool: ...


def endpoint_of(article: Addressed) -> str:
    return "articles.page" if article.is_page else "articles.detail"


def article_path(article: Addressed, **values: Any) -> str:
    return url_for(endpoint_of(article), slug=article.slug, **values)


def article_url(article: Addressed, **values: Any) -> str:
    """The absolute address, on BLOG_SITE_URL, for feeds, mail and metadata."""
    return absolute_url(endpoint_of(article), slug=article.slug, **values)


# Top-level names a page may not take though no route uses them today: the
# blog's own words, and what other blogs serve there, which readers and
# crawlers may still ask for after a move.
RESERVED_WORDS = frozenset(
    {
        "admin", "api", "assets", "blog", "categories", "feed", "feeds",
        "home", "index", "login", "logout", "media", "page", "pages", "rss",
        "register", "tags", "users", "well-known", "wp-admin", "wp-content",
        "wp-json", "wp-login", "xmlrpc", "ghost", "p", "signin", "signup",
    }
)  # fmt: skip


def reserved_slugs() -> frozenset[str]:
    """Every first path segment the site's routes use, and RESERVED_WORDS."""
    taken = set(RESERVED_WORDS)
    for rule in current_app.url_map.iter_rules():
        first = rule.rule.lstrip("/").split("/", 1)[0]
        if first and "<" not in first:
            taken.add(first)
    return frozenset(taken)


def check_page_slug(slug: str) -> None:
    """InvalidInput when a page's slug is an address the site uses itself."""
    if slug in reserved_slugs():
        raise InvalidInput(
            _(
                "/%(slug)s is an address the blog uses itself: give this page "
                "another slug.",
                slug=slug,
            )
        )
