"""Markdown files with YAML front matter in, articles out (idempotent by slug)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import frontmatter
import yaml

from blog.articles.services import ArticleFields, save_article
from blog.auth.services import find_or_add_author
from blog.database import write_transaction
from blog.errors import InvalidInput
from blog.extensions import db
from blog.models import Article, ArticleKind, ArticleStatus, utcnow
from blog.models.article import SLUG_MAX
from blog.site_settings import current_site
from blog.slugs import make_slug

DATE_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d")


@dataclass
class ImportOutcome:
    article: Article
    created: bool


def import_markdown_file(path: Path) -> ImportOutcome:
    """Create or update the article a file describes. Raises InvalidInput with
    the reason when the file cannot be imported; nothing is written then."""
    try:
        post = frontmatter.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as error:
        raise InvalidInput("the file is not UTF-8 text") from error
    except OSError as error:
        raise InvalidInput(f"cannot read the file ({error.strerror})") from error
    except yaml.YAMLError as error:
        raise InvalidInput(f"the front matter is not valid YAML: {error}") from error
    return import_post(post.metadata, post.content)


def import_post(meta: dict[str, Any], body: str) -> ImportOutcome:
    title = text_value(meta, "title")
    author_name = text_value(meta, "author")
    if not body.strip():
        raise InvalidInput("the file has no article text after the front matter")
    slug = text_value(meta, "slug", required=False) or make_slug(title, SLUG_MAX)
    existing = db.session.scalar(Article.select_by_slug(slug))
    kind = kind_value(meta.get("type"))
    if existing is not None and existing.kind is not kind:
        held = "a page" if existing.is_page else "an article"
        raise InvalidInput(f"the slug {slug!r} is {held}: its type cannot change")
    published_at = publication_time(meta.get("date"), existing)
    fields = ArticleFields(
        title=title,
        body_markdown=body.strip() + "\n",
        slug=slug,
        summary=text_value(meta, "summary", required=False),
        category_name=text_value(meta, "category", required=False) or None,
        tag_names=tag_list(meta.get("tags")),
        status=status_value(meta.get("status")),
        published_at=published_at,
        kind=kind,
        # A page takes no comments unless its author opens them.
        comments_open=kind is ArticleKind.ARTICLE,
    )
    if existing is None and published_at <= utcnow():
        # A new import of an old article was not "updated" when it was imported.
        fields.updated_at = published_at
    # One transaction for the author and the article: a command, so holding
    # the write lock while the Markdown renders costs no reader anything.
    with write_transaction():
        author = find_or_add_author(author_name)
        article = save_article(
            article=existing, fields=fields, author=author, editor=author
        )
    return ImportOutcome(article=article, created=existing is None)


def text_value(meta: dict[str, Any], key: str, *, required: bool = True) -> str:
    value = meta.get(key)
    if value is None or str(value).strip() == "":
        if required:
            raise InvalidInput(f"the front matter has no {key}")
        return ""
    if isinstance(value, dict | list):
        raise InvalidInput(f"the front matter's {key} must be text")
    return str(value).strip()


def tag_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [name.strip() for name in value.split(",")]
    if isinstance(value, list):
        return [str(name) for name in value]
    raise InvalidInput("the front matter's tags must be a list or comma-separated")


def kind_value(value: Any) -> ArticleKind:
    """`type: page` makes a standalone page; anything else is refused."""
    if value is None:
        return ArticleKind.ARTICLE
    try:
        return ArticleKind(str(value).strip().lower())
    except ValueError as error:
        raise InvalidInput(
            f"the front matter's type {value!r} is not article or page"
        ) from error


def status_value(value: Any) -> ArticleStatus:
    if value is None:
        return ArticleStatus.PUBLISHED
    try:
        return ArticleStatus(str(value).strip().lower())
    except ValueError as error:
        raise InvalidInput(
            f"the front matter's status {value!r} is not draft or published"
        ) from error


def publication_time(value: Any, existing: Article | None) -> datetime:
    """The front matter's date in the site's time zone, as UTC; without one, an
    article keeps its time and a new one is published now."""
    if value is None:
        return existing.published_at if existing and existing.published_at else utcnow()
    zone = current_site().zone
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime.combine(value, time())
    else:
        moment = parse_date_text(str(value))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return moment


def parse_date_text(text: str) -> datetime:
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text.strip(), pattern)
        except ValueError:
            continue
    try:
        return datetime.fromisoformat(text.strip())
    except ValueError as error:
        raise InvalidInput(
            f"the front matter's date {text!r} is not a date like 2026-10-02 09:30"
        ) from error
