"""Markdown files with YAML front matter in, articles out (idempotent by slug).

Besides what a hand-written file holds (title, slug, category, tags, author,
date, status, summary, type), the fields our export writes
(blog/moving/export_writer.py) are read too, so an export comes back whole:
updated, created, comments_open, cover and cover_alt, author_email, and
category_slug and tag_slugs (a term keeps its slug even when it is not the
one its name would make)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

import frontmatter
import yaml
from frontmatter.default_handlers import YAMLHandler
from sqlalchemy import select

from blog.articles.front_matter import (
    flag_value,
    is_past,
    kind_value,
    publication_time,
    status_value,
    tag_list,
    text_value,
    time_value,
)
from blog.articles.services import ArticleFields, save_article
from blog.auth.services import find_or_add_author, new_user
from blog.database import write_transaction
from blog.errors import InvalidInput
from blog.extensions import db
from blog.models import (
    Article,
    ArticleKind,
    ArticleStatus,
    Category,
    Role,
    Tag,
    Upload,
    User,
)
from blog.models.article import SLUG_MAX
from blog.models.taxonomy import NAME_MAX
from blog.slugs import make_slug

Term = TypeVar("Term", Category, Tag)


@dataclass
class ImportOutcome:
    article: Article
    created: bool


def import_markdown_file(path: Path) -> ImportOutcome:
    """Create or update the article a file describes. Raises InvalidInput with
    the reason when the file cannot be imported; nothing is written then."""
    try:
        text = path.read_text(encoding="utf-8")
        post = frontmatter.loads(text)
    except UnicodeDecodeError as error:
        raise InvalidInput("the file is not UTF-8 text") from error
    except OSError as error:
        raise InvalidInput(f"cannot read the file ({error.strerror})") from error
    except yaml.YAMLError as error:
        raise InvalidInput(f"the front matter is not valid YAML: {error}") from error
    return import_post(post.metadata, body_of(text, post.content))


def body_of(text: str, stripped: str) -> str:
    """The text after the front matter as it is, but for the blank lines
    that open it: python-frontmatter strips it, which would take a code
    block's indentation off its first line and change an exported body."""
    if not post_has_front_matter(text):
        return stripped
    try:
        _front, body = YAMLHandler().split(text.lstrip())
    except ValueError:
        return stripped
    return body.lstrip("\r\n")


def post_has_front_matter(text: str) -> bool:
    return YAMLHandler().detect(text.lstrip())


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
    status = status_value(meta.get("status"))
    published_at: datetime | None = publication_time(meta.get("date"), existing)
    if "date" in meta and meta["date"] is None and status is ArticleStatus.DRAFT:
        published_at = None  # `date: null`: a draft never given a time
    fields = ArticleFields(
        title=title,
        body_markdown=body,
        slug=slug,
        summary=text_value(meta, "summary", required=False),
        category_name=text_value(meta, "category", required=False) or None,
        tag_names=tag_list(meta.get("tags")),
        status=status,
        published_at=published_at,
        kind=kind,
        # A page takes no comments unless its author opens them.
        comments_open=flag_value(meta, "comments_open", kind is ArticleKind.ARTICLE),
        cover_id=cover_id(meta),
        cover_alt=text_value(meta, "cover_alt", required=False),
        updated_at=time_value(meta, "updated"),
    )
    if existing is None and fields.updated_at is None and is_past(published_at):
        # A new import of an old article was not "updated" when it was imported.
        fields.updated_at = published_at
    # One transaction for the author and the article: a command, so holding
    # the write lock while the Markdown renders costs no reader anything.
    with write_transaction():
        author = author_of(meta, author_name)
        terms = exact_terms(meta, fields) if kind is ArticleKind.ARTICLE else None
        article = save_article(
            article=existing, fields=fields, author=author, editor=author
        )
        if terms is not None:
            terms.apply(article)
        created = time_value(meta, "created")
        if created is not None:
            article.created_at = created
    return ImportOutcome(article=article, created=existing is None)


def cover_id(meta: dict[str, Any]) -> int | None:
    """The upload named by `cover`, by its file name. One not (yet) in the
    blog is left out: `import-export` brings the uploads, then reads the
    files again."""
    filename = text_value(meta, "cover", required=False)
    if not filename:
        return None
    return db.session.scalar(select(Upload.id).where(Upload.filename == filename))


def author_of(meta: dict[str, Any], author_name: str) -> User:
    """The account with the file's author_email, added (as an author with no
    usable password) if new; without one, the author found by name as
    find_or_add_author() does. The caller commits."""
    email = text_value(meta, "author_email", required=False).lower()
    if not email:
        return find_or_add_author(author_name)
    user = db.session.scalar(User.select_by_email(email))
    if user is None:
        user = new_user(email=email, display_name=author_name, role=Role.AUTHOR)
    elif not user.has_role(Role.AUTHOR):
        # As find_or_add_author(): a reader is never credited with an article.
        raise InvalidInput(
            f"the author_email {email} belongs to a reader here, not an author"
        )
    return user


@dataclass
class ExactTerms:
    """The category and tags an exported file names by slug: found by it,
    or added with it, rather than by the slug their names would make."""

    category: Category | None = None
    tags: list[Tag] | None = None
    has_category: bool = False

    def apply(self, article: Article) -> None:
        if self.has_category:
            article.category = self.category
        if self.tags is not None:
            article.tags = self.tags


def exact_terms(meta: dict[str, Any], fields: ArticleFields) -> ExactTerms:
    """Terms by slug where the file gives slugs; the fields then name none,
    so that save_article() adds no term by name."""
    terms = ExactTerms()
    if "category_slug" in meta:
        slug = text_value(meta, "category_slug", required=False)
        name = fields.category_name or slug
        terms.has_category, fields.category_name = True, None
        terms.category = term_by_slug(Category, slug, name) if slug else None
    if "tag_slugs" in meta:
        slugs = tag_list(meta.get("tag_slugs"))
        if len(slugs) != len(fields.tag_names):
            raise InvalidInput("the front matter's tags and tag_slugs differ in length")
        pairs = dict(zip(slugs, fields.tag_names, strict=True))
        terms.tags = [term_by_slug(Tag, slug, name) for slug, name in pairs.items()]
        fields.tag_names = []
    return terms


def term_by_slug(model: type[Term], slug: str, name: str) -> Term:
    if make_slug(slug, NAME_MAX) != slug:
        raise InvalidInput(f"the front matter's term slug {slug!r} is not a slug")
    term = db.session.scalar(select(model).where(model.slug == slug))
    if term is None:
        term = model(name=name.strip()[:NAME_MAX] or slug, slug=slug)
        db.session.add(term)
    return term
