"""Addresses another blog had: /2024/05/01/hello/, /?p=12, /category/news/,
/feed/. An import (blog/moving/) stores each with what it became; here a
request the site has no page for is looked up, and answers 301 there."""

from __future__ import annotations

from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

from flask import url_for
from flask_login import current_user
from sqlalchemy import select

from blog.articles.links import article_path
from blog.cache import remembered
from blog.extensions import db
from blog.models import (
    Article,
    Category,
    LegacyAddress,
    LegacyTarget,
    Tag,
    User,
)
from blog.models.imports import PATH_MAX
from blog.permissions import can_see_article

# The query keys WordPress answers on any address (?p=12, ?page_id=3,
# ?cat=4, ?tag=x, ?author=1, ?feed=rss2); nothing else is an old address.
QUERY_KEYS = ("p", "page_id", "cat", "tag", "author", "feed")


def normal_path(address: str, *, decoded: bool = False) -> str:
    """The form an old address is stored and looked up in: the path decoded
    (WordPress writes /caf%C3%A9/; a request's path is decoded already),
    without a trailing slash; a query keeps only the keys that name
    something (?p=12&replytocom=3 is ?p=12)."""
    parts = urlsplit(address)
    path = (parts.path if decoded else unquote(parts.path)).rstrip("/") or "/"
    pairs = [(key, value) for key, value in parse_qsl(parts.query) if key in QUERY_KEYS]
    if pairs:
        path += "?" + urlencode(sorted(pairs))
    return path


def has_control_characters(text: str) -> bool:
    return any(ord(character) < 32 or ord(character) == 127 for character in text)


def has_legacy_query(args: dict[str, str]) -> bool:
    return any(key in args for key in QUERY_KEYS)


def legacy_destination(path: str, query: str = "") -> str | None:
    """Where an old address leads now, or None: unknown, its target gone, or
    an article this reader may not see (a draft's old address is a 404)."""
    if len(path) > PATH_MAX or not remembered("legacy-addresses", any_address):
        return None
    wanted = normal_path(f"{path}?{query}", decoded=True)
    if has_control_characters(wanted):  # no address has one (PostgreSQL: NUL)
        return None
    address = db.session.scalar(LegacyAddress.select_by_path(wanted))
    return None if address is None else destination_of(address)


def any_address() -> bool:
    """Whether any import left old addresses: a blog that never imported
    answers its 404s (scanners' /wp-login.php) without a query."""
    return db.session.scalar(select(LegacyAddress.id).limit(1)) is not None


def destination_of(address: LegacyAddress) -> str | None:
    target = address.target
    if target is LegacyTarget.ADDRESS:
        return address.target_path or None
    if target is LegacyTarget.ARTICLE:
        article = db.session.get(Article, address.target_id)
        if article is None or not can_see_article(current_user, article):
            return None
        return article_path(article)
    model, endpoint = LISTINGS[target]
    slug = db.session.scalar(select(model.slug).where(model.id == address.target_id))
    return None if slug is None else url_for(endpoint, slug=slug)


LISTINGS: dict[LegacyTarget, tuple[type[Category] | type[Tag] | type[User], str]] = {
    LegacyTarget.CATEGORY: (Category, "articles.by_category"),
    LegacyTarget.TAG: (Tag, "articles.by_tag"),
    LegacyTarget.AUTHOR: (User, "articles.by_author"),
}
