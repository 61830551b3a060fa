"""Writing articles: the one path the studio, the importer and the demo share."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from blog.articles.links import check_page_slug
from blog.articles.signals import public_article_changed
from blog.database import write_transaction
from blog.errors import Conflict, InvalidInput
from blog.extensions import db
from blog.models import (
    Article,
    ArticleKind,
    ArticleRedirect,
    ArticleStatus,
    Category,
    Revision,
    Tag,
    Upload,
    User,
    utcnow,
)
from blog.models.article import SLUG_MAX, TITLE_MAX
from blog.models.taxonomy import NAME_MAX
from blog.models.upload import ALT_MAX
from blog.newsletter.schedule import forget_unsent_mailing, plan_article_mailing
from blog.rendering import (
    plain_text_of,
    render_article,
    summary_of,
    without_control_characters,
)
from blog.slugs import make_slug, unique_slug


@dataclass
class ArticleFields:
    """What an author sets on an article; None for slug means "from the title"."""

    title: str
    body_markdown: str
    slug: str | None = None
    summary: str = ""
    category_name: str | None = None
    tag_names: list[str] = field(default_factory=list)
    status: ArticleStatus = ArticleStatus.DRAFT
    published_at: datetime | None = None
    comments_open: bool = True
    cover_id: int | None = None
    cover_alt: str = ""
    # Set when the article is made; an article never becomes a page.
    kind: ArticleKind = ArticleKind.ARTICLE
    # When the content last changed; None means now (an import keeps its date).
    updated_at: datetime | None = None
    # Mail it to per-post subscribers when it becomes public (True), no
    # longer (False), or leave that as it is (None: importers, autosave).
    mail_subscribers: bool | None = None


def save_article(
    *, article: Article | None, fields: ArticleFields, author: User, editor: User
) -> Article:
    """Create the article, or update it keeping its previous text as a revision.
    Markdown is rendered and sanitised here, once, before the write lock."""
    fields = cleaned(fields)
    check_fields(fields)
    rendered = render_body(fields.body_markdown)
    was_public = article is not None and article.is_published()
    try:
        with write_transaction(), db.session.no_autoflush:
            # No autoflush: the lookups must not write a half-filled article.
            if article is None:
                article = Article(author=author, kind=fields.kind)
            elif (article.title, article.body_markdown) != (
                fields.title,
                fields.body_markdown,
            ):
                keep_revision(article, editor)
            apply_fields(article, fields, rendered)
            db.session.add(article)
            db.session.flush()
            if fields.mail_subscribers is not None:
                plan_article_mailing(article, fields.mail_subscribers)
            if was_public or article.is_published():
                # A draft's feeds are nobody's business yet.
                announce(article)
    except IntegrityError as error:
        taken = fields.slug or (article.slug if article is not None else "")
        raise Conflict(
            _("The slug %(slug)s is taken by another article.", slug=repr(taken))
        ) from error
    return article


def announce(article: Article) -> None:
    """Tell listeners (WebSub) inside the write transaction: what they queue
    commits with the change, or rolls back with it."""
    public_article_changed.send(article)


@dataclass(frozen=True)
class RenderedBody:
    html: str
    text: str


def render_body(markdown: str) -> RenderedBody:
    html = render_article(markdown)
    return RenderedBody(html=html, text=plain_text_of(html))


def cleaned(fields: ArticleFields) -> ArticleFields:
    """The fields without control characters, which no page or feed can show."""
    return replace(
        fields,
        title=without_control_characters(fields.title),
        body_markdown=without_control_characters(fields.body_markdown),
        summary=without_control_characters(fields.summary),
        category_name=without_control_characters(fields.category_name or "") or None,
        tag_names=[without_control_characters(str(name)) for name in fields.tag_names],
        cover_alt=without_control_characters(fields.cover_alt).strip(),
    )


def check_fields(fields: ArticleFields) -> None:
    if not fields.title.strip():
        raise InvalidInput(_("An article needs a title."))
    if len(fields.title) > TITLE_MAX:
        raise InvalidInput(_("A title has at most %(max)d characters.", max=TITLE_MAX))
    if fields.slug is not None and make_slug(fields.slug, SLUG_MAX) != fields.slug:
        raise InvalidInput(
            _(
                "The slug %(slug)s may hold only lower-case letters, digits "
                "and hyphens.",
                slug=repr(fields.slug),
            )
        )
    if len(fields.cover_alt) > ALT_MAX:
        raise InvalidInput(
            _("A cover's description has at most %(max)d characters.", max=ALT_MAX)
        )
    if fields.status is ArticleStatus.PUBLISHED and fields.published_at is None:
        raise InvalidInput(_("A published article needs a publication time."))


def apply_fields(article: Article, fields: ArticleFields, body: RenderedBody) -> None:
    article.title = fields.title.strip()
    change_slug(article, fields.slug or article.slug or new_slug(article.title))
    if article.is_page:
        check_page_slug(article.slug)
    article.body_markdown = fields.body_markdown
    article.body_html, article.body_text = body.html, body.text
    article.updated_at = fields.updated_at or utcnow()
    article.summary = fields.summary.strip() or summary_of(body.html)
    # A page stands outside categories and tags, which list articles.
    article.category = None if article.is_page else category_named(fields.category_name)
    article.tags = [] if article.is_page else tags_named(fields.tag_names)
    article.status = fields.status
    article.published_at = fields.published_at
    article.comments_open = fields.comments_open
    article.cover = db.session.get(Upload, fields.cover_id) if fields.cover_id else None
    article.cover_alt = fields.cover_alt


def new_slug(title: str) -> str:
    """A slug from the title that neither an article nor an old URL holds."""
    slug = unique_slug(title, Article.slug, SLUG_MAX)
    while db.session.scalar(ArticleRedirect.select_by_slug(slug)) is not None:
        slug = unique_slug(f"{slug} 2", Article.slug, SLUG_MAX)
    return slug


def change_slug(article: Article, slug: str) -> None:
    """Give the article this slug. Its old URL keeps answering (301); it may
    take back one of its own old slugs, but not another article's."""
    if slug == article.slug:
        return
    holder = db.session.scalar(Article.select_id_by_slug(slug))
    if holder is not None:
        raise Conflict(
            _("The slug %(slug)s is taken by another article.", slug=repr(slug))
        )
    old_address = db.session.scalar(ArticleRedirect.select_by_slug(slug))
    if old_address is not None:
        if old_address.article_id != article.id:
            # Another article's old URL keeps pointing at it: no takeover.
            raise Conflict(
                _("The slug %(slug)s was another article's address.", slug=repr(slug))
            )
        db.session.delete(old_address)
    if article.slug:
        db.session.add(ArticleRedirect(old_slug=article.slug, article=article))
    article.slug = slug


def publication_time(article: Article | None) -> datetime:
    """When "publish now" puts an article out: now, except that an article
    already out keeps its original time (an update is not a new article)."""
    if article is not None and article.is_published():
        return article.published_at  # type: ignore[return-value]
    return utcnow()


def unpublish_article(*, article: Article) -> Article:
    """Back to draft: out of every listing, feed and search at once."""
    was_public = article.is_published()
    with write_transaction():
        article.status = ArticleStatus.DRAFT
        article.published_at = None
        article.updated_at = utcnow()
        if was_public:
            announce(article)
    return article


def delete_article(*, article: Article) -> None:
    """Delete the article with its comments, revisions and old URLs."""
    with write_transaction():
        forget_unsent_mailing(article.id)
        db.session.delete(article)


def restore_revision(*, article: Article, revision: Revision, editor: User) -> Article:
    """Bring back an earlier title and text; the current one becomes a revision."""
    fields = fields_of(article)
    fields.title, fields.body_markdown = revision.title, revision.body_markdown
    return save_article(
        article=article, fields=fields, author=article.author, editor=editor
    )


def fields_of(article: Article) -> ArticleFields:
    """The article's current fields, to change some and save again."""
    return ArticleFields(
        title=article.title,
        body_markdown=article.body_markdown,
        slug=article.slug,
        summary=article.summary,
        category_name=article.category.name if article.category else None,
        tag_names=[tag.name for tag in article.tags],
        status=article.status,
        published_at=article.published_at,
        comments_open=article.comments_open,
        cover_id=article.cover_id,
        cover_alt=article.cover_alt,
        kind=article.kind,
    )


def keep_revision(article: Article, editor: User) -> None:
    db.session.add(
        Revision(
            article=article,
            title=article.title,
            body_markdown=article.body_markdown,
            editor=editor,
            created_at=utcnow(),
        )
    )


def category_named(name: str | None) -> Category | None:
    """The category with this name's slug, added if new (the caller commits)."""
    if not name or not name.strip():
        return None
    name = name.strip()[:NAME_MAX]
    slug = make_slug(name, NAME_MAX)
    category = db.session.scalar(Category.select_by_slug(slug))
    if category is None:
        category = Category(name=name, slug=slug)
        db.session.add(category)
    return category


def tags_named(names: Iterable[str]) -> list[Tag]:
    """Tags for these names, in order, without duplicates, added if new."""
    by_slug: dict[str, str] = {}
    for name in names:
        name = str(name).strip()[:NAME_MAX]
        if name:
            by_slug.setdefault(make_slug(name, NAME_MAX), name)
    if not by_slug:
        return []
    existing = {
        tag.slug: tag for tag in db.session.scalars(Tag.select_by_slugs(by_slug))
    }
    tags = []
    for slug, name in by_slug.items():
        tag = existing.get(slug)
        if tag is None:
            tag = Tag(name=name, slug=slug)
            db.session.add(tag)
        tags.append(tag)
    return tags
