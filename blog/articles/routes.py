"""Public reading pages: the home page, articles, listings and search."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, request
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select
from sqlalchemy.exc import SQLAlchemyError

from blog.comments.pages import render_article_page
from blog.extensions import db
from blog.models import Article, Category, Tag, User
from blog.permissions import article_for_reader_or_404

bp = Blueprint("articles", __name__)

SEARCH_QUERY_MAX = 200


def paginate(statement: Select[tuple[Article]]) -> Pagination:
    """One page of a listing; a page past the end is a 404, a non-number page 1."""
    per_page = current_app.config["ARTICLES_PER_PAGE"]
    page = request.args.get("page", 1, type=int)
    if page < 1:
        abort(404)
    return db.paginate(statement, page=page, per_page=per_page, max_per_page=per_page)


def one_or_404(statement: Select) -> object:
    found = db.session.scalar(statement)
    if found is None:
        abort(404)
    return found


@bp.app_context_processor
def navigation() -> dict[str, object]:
    return {"navigation_categories": navigation_categories}


def navigation_categories() -> list[Category]:
    """Categories for the site navigation, asked for only by templates that
    show it. An error page must render even when the database is down."""
    try:
        return list(db.session.scalars(Category.select_in_use()))
    except SQLAlchemyError:
        db.session.rollback()
        return []


@bp.get("/")
def index() -> str:
    page = paginate(Article.select_published())
    return render_template("articles/index.html", page=page)


@bp.get("/articles/<slug>")
def detail(slug: str) -> tuple[str, int]:
    article = article_for_reader_or_404(slug)
    return render_article_page(article)


@bp.get("/category/<slug>")
def by_category(slug: str) -> str:
    category = one_or_404(Category.select_by_slug(slug))
    page = paginate(Article.select_published().where(Article.category == category))
    return render_template(
        "articles/listing.html",
        page=page,
        heading=category.name,
        kind="Category",
        feed_scope=("category", slug),
    )


@bp.get("/tag/<slug>")
def by_tag(slug: str) -> str:
    tag = one_or_404(Tag.select_by_slug(slug))
    page = paginate(Article.select_published().where(Article.tags.contains(tag)))
    return render_template(
        "articles/listing.html",
        page=page,
        heading=tag.name,
        kind="Tag",
        feed_scope=("tag", slug),
    )


@bp.get("/author/<slug>")
def by_author(slug: str) -> str:
    author = one_or_404(User.select_by_slug(slug))
    page = paginate(Article.select_published().where(Article.author == author))
    return render_template(
        "articles/listing.html",
        page=page,
        heading=author.display_name,
        kind="Author",
        feed_scope=("author", slug),
    )


@bp.get("/search")
def search() -> str:
    query = request.args.get("q", "").strip()[:SEARCH_QUERY_MAX]
    page = paginate(Article.select_matching(query)) if query else None
    return render_template("articles/search.html", query=query, page=page)
