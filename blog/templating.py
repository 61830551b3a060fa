"""Jinja filters and globals. No queries: templates only present prepared data."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Flask, current_app, request, url_for

from blog.articles.images import picture_of, shared_image_of
from blog.articles.links import article_path, article_url
from blog.http import absolute_url
from blog.i18n import localtime
from blog.models import Role
from blog.models.search import SEARCH_QUERY_MAX
from blog.rendering import word_count
from blog.site_settings import current_site

WORDS_PER_MINUTE = 220


def init_app(app: Flask) -> None:
    app.jinja_env.filters["localtime"] = localtime
    app.jinja_env.filters["isodate"] = isodate
    app.jinja_env.filters["reading_minutes"] = reading_minutes
    app.jinja_env.globals["Role"] = Role
    app.jinja_env.globals["has_endpoint"] = has_endpoint
    app.jinja_env.globals["canonical_url"] = canonical_url
    app.jinja_env.globals["absolute_url"] = absolute_url
    app.jinja_env.globals["picture_of"] = picture_of
    app.jinja_env.globals["article_path"] = article_path
    app.jinja_env.globals["article_url"] = article_url
    app.jinja_env.globals["shared_image_of"] = shared_image_of
    app.jinja_env.globals["SEARCH_QUERY_MAX"] = SEARCH_QUERY_MAX
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True


def site_zone() -> ZoneInfo:
    return current_site().zone


def isodate(moment: datetime | None) -> str:
    """RFC 3339 in the site's time zone, for <time datetime> and metadata."""
    if moment is None:
        return ""
    return moment.astimezone(site_zone()).isoformat(timespec="seconds")


def reading_minutes(markdown: str) -> int:
    return max(1, round(word_count(markdown) / WORDS_PER_MINUTE))


def has_endpoint(name: str) -> bool:
    """Whether a view exists, for links to optional parts of the site."""
    return name in current_app.view_functions


def canonical_url() -> str:
    """This page's address on the canonical host, keeping only the page number
    from the query string (other parameters do not make another page)."""
    base = current_app.config["SITE_URL"]
    page = request.args.get("page", type=int)
    query = f"?page={page}" if page and page > 1 else ""
    if request.endpoint is None:  # an error page for an unknown address
        return base + request.path
    # Built from the route, so /archive/2026/09 and /archive/2026/9 agree.
    return base + url_for(request.endpoint, **(request.view_args or {})) + query
