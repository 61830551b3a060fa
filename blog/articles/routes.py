"""Public reading pages: the home page, articles, listings and search."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any, NamedTuple

from flask import (
    Blueprint,
    abort,
    current_app,
    redirect,
    render_template,
    request,
)
from flask_babel import gettext as _
from sqlalchemy import ColumnElement, Select
from werkzeug.exceptions import NotFound
from werkzeug.wrappers import Response

from blog.articles.legacy import has_legacy_query, legacy_destination
from blog.articles.links import article_path
from blog.articles.navigation import navigation_menu
from blog.articles.page import ArticlePage
from blog.articles.search import select_search, snippets_for
from blog.authors.profiles import author_card
from blog.cache import public_page
from blog.extensions import db
from blog.http import page_number
from blog.i18n import month_and_year, month_name
from blog.models import Article, Category, Tag, User
from blog.models.search import SEARCH_QUERY_MAX
from blog.pagination import Page, paginate
from blog.permissions import article_for_reader_or_404, moved_article_or_404
from blog.site_settings import current_site

bp = Blueprint("articles", __name__)
# What make_slug() gives: lower-case letters, digits and single hyphens.
SLUG_SHAPE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def listing(statement: Select[Any], *, by_ids: bool = True) -> Page[Article]:
    """One page of a listing; a page past the end is a 404, a non-number page 1.
    Pages are cut from the listing's ids first, unless its order is one no
    index holds (by_ids=False: search's relevance)."""
    return paginate(
        db.session(),
        statement,
        page=page_number(),
        per_page=current_app.config["ARTICLES_PER_PAGE"],
        key=Article.id if by_ids else None,
    )


def listing_or_404(statement: Select[Any]) -> Page[Article]:
    """A category's, tag's or author's page: a 404 when nothing of theirs is
    public, since their name may come from a draft."""
    page = listing(statement)
    if page.total == 0:
        abort(404)
    return page


@bp.app_context_processor
def navigation() -> dict[str, object]:
    return {"navigation_menu": navigation_menu}


@bp.get("/")
@public_page
def index() -> Response | str:
    if has_legacy_query(request.args):  # WordPress's /?p=12, /?cat=3
        destination = legacy_destination("/", request.query_string.decode())
        if destination:
            return redirect(destination, code=301)
    page = listing(Article.select_published())
    return render_template("articles/index.html", page=page)


@bp.get("/articles/<slug>")
@public_page
def detail(slug: str) -> Response | tuple[str, int]:
    try:
        article = article_for_reader_or_404(slug)
    except NotFound:
        return redirect_from_old_slug(slug)
    if article.is_page:
        # Links built for articles (a comment's, a notification's) reach it.
        return redirect(article_path(article), code=301)
    return ArticlePage.for_current_viewer(article).render()


def redirect_from_old_slug(slug: str) -> Response:
    """An article's former address answers 301 to its current one."""
    article = moved_article_or_404(slug)
    return redirect(article_path(article), code=301)


@bp.get("/<slug>")
@public_page
def page(slug: str) -> Response | tuple[str, int]:
    """A standalone page (About, Contact) at the site's top level. The
    site's own addresses are matched first: a page may not take one. What
    scanners ask for (/wp-login.php, /.env) is no slug: a 404 with no query."""
    if not SLUG_SHAPE.fullmatch(slug):
        abort(404)
    try:
        article = article_for_reader_or_404(slug)
    except NotFound:
        return redirect_from_old_slug(slug)
    if not article.is_page:
        abort(404)
    return ArticlePage.for_current_viewer(article).render()


@bp.get("/category/<slug>")
@public_page
def by_category(slug: str) -> str:
    category = db.one_or_404(Category.select_by_slug(slug))
    return scoped_listing(Article.category == category, "category", slug, category.name)


@bp.get("/tag/<slug>")
@public_page
def by_tag(slug: str) -> str:
    tag = db.one_or_404(Tag.select_by_slug(slug))
    return scoped_listing(Article.tags.contains(tag), "tag", slug, tag.name)


@bp.get("/author/<slug>")
@public_page
def by_author(slug: str) -> str:
    author = db.one_or_404(User.select_by_slug(slug))
    return scoped_listing(
        Article.author == author,
        "author",
        slug,
        author.display_name,
        author=author_card(author),
    )


def scoped_listing(
    condition: ColumnElement[bool],
    kind: str,
    slug: str,
    heading: str,
    **context: object,
) -> str:
    """A category's, tag's or author's page, which names its own feeds."""
    page = listing_or_404(Article.select_published().where(condition))
    return render_template(
        "articles/listing.html",
        page=page,
        heading=heading,
        kind=kind_name(kind),
        feed_scope=(kind, slug),
        **context,
    )


def kind_name(kind: str) -> str:
    """What a listing's heading calls its kind: "Category", "Tag", "Author"."""
    names = {"category": _("Category"), "tag": _("Tag"), "author": _("Author")}
    return names[kind]


class ArchiveMonth(NamedTuple):
    month: int
    name: str
    articles: int


class ArchiveYear(NamedTuple):
    year: int
    articles: int
    months: list[ArchiveMonth]


@bp.get("/archive")
@public_page
def archive_index() -> str:
    return render_template("articles/archive.html", years=archive_years())


def archive_years() -> list[ArchiveYear]:
    """Every year and month with articles, newest first, counted in the
    site's time zone (where an article's month is the one readers see)."""
    zone = current_site().zone
    counts: dict[tuple[int, int], int] = {}
    for published_at in db.session.scalars(Article.select_publication_times()):
        if published_at is None:
            continue
        local = published_at.astimezone(zone)
        counts[local.year, local.month] = counts.get((local.year, local.month), 0) + 1
    years: dict[int, list[ArchiveMonth]] = {}
    for (year, month), count in sorted(counts.items(), reverse=True):
        years.setdefault(year, []).append(ArchiveMonth(month, month_name(month), count))
    return [
        ArchiveYear(year, sum(month.articles for month in months), months)
        for year, months in years.items()
    ]


@bp.get("/archive/<int:year>")
@bp.get("/archive/<int:year>/<int:month>")
@public_page
def archive(year: int, month: int | None = None) -> str:
    start, end = archive_bounds(year, month)
    page = listing(Article.select_published_between(start, end))
    heading = month_and_year(year, month) if month else str(year)
    return render_template(
        "articles/listing.html", page=page, heading=heading, kind=_("Archive")
    )


def archive_bounds(year: int, month: int | None) -> tuple[datetime, datetime]:
    """The start and end of a year or month in the site's time zone."""
    if not 1000 <= year <= 9998 or (month is not None and not 1 <= month <= 12):
        abort(404)
    zone = current_site().zone
    if month is None:
        return datetime(year, 1, 1, tzinfo=zone), datetime(year + 1, 1, 1, tzinfo=zone)
    next_year, next_month = (year + 1, 1) if month == 12 else (year, month + 1)
    return (
        datetime(year, month, 1, tzinfo=zone),
        datetime(next_year, next_month, 1, tzinfo=zone),
    )


@bp.get("/search")
@public_page
def search() -> str:
    query = request.args.get("q", "").strip()[:SEARCH_QUERY_MAX]
    statement = select_search(query)
    page = listing(statement, by_ids=False) if statement is not None else None
    snippets = snippets_for(page.items, query) if page else {}
    return render_template(
        "articles/search.html", query=query, page=page, snippets=snippets
    )
