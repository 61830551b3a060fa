"""Studio article views: the dashboard, the editor, unpublish and delete."""

from __future__ import annotations

from datetime import datetime

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from blog.articles import services
from blog.errors import BlogError, InvalidInput
from blog.extensions import db
from blog.forms import ButtonForm, text_of
from blog.http import page_number
from blog.i18n import date_locale
from blog.models import (
    Article,
    ArticleKind,
    ArticleStatus,
    Autosave,
    Category,
    Comment,
    Role,
    utcnow,
)
from blog.permissions import article_for_editor_or_404, require_role
from blog.rendering import render_article, word_count
from blog.site_settings import current_site
from blog.studio import drafting
from blog.studio.article_form import ArticleForm
from blog.studio.blueprint import bp
from blog.studio.covers import chosen_cover, keep_sent_cover, usable_images
from blog.studio.mailing import (
    mail_by_default,
    mailing_summaries,
    mailing_summary,
    takes_mailing,
)
from blog.studio.uploads import image_label, markdown_for

Page = Response | str | tuple[str, int]
RECENT_UPLOADS = 6


@bp.get("/")
@login_required
@require_role(Role.AUTHOR)
def index() -> str:
    author_id = None if current_user.has_role(Role.EDITOR) else current_user.id
    per_page = current_app.config["STUDIO_ARTICLES_PER_PAGE"]
    page = db.paginate(
        Article.select_for_studio(author_id),
        page=page_number(),
        per_page=per_page,
        max_per_page=per_page,
    )
    pending = dict(
        db.session.execute(
            Comment.select_pending_by_article(article.id for article in page.items)
        ).all()
    )
    return render_template(
        "studio/index.html",
        page=page,
        now=utcnow(),
        pending=pending,
        mailings=mailing_summaries(page.items),
    )


@bp.route("/articles/new", methods=["GET", "POST"])
@login_required
@require_role(Role.AUTHOR)
def create() -> Page:
    """A new article, or with ?kind=page a new page, which takes no
    comments unless the author switches them on."""
    if request.method == "POST":
        return handle_editor(ArticleForm(), article=None)
    if request.args.get("kind") == ArticleKind.PAGE:
        return editor_page(
            ArticleForm(data={"kind": "page", "comments_open": False}), None
        )
    return editor_page(ArticleForm(), None)


@bp.route("/articles/<int:article_id>/edit", methods=["GET", "POST"])
@login_required
@require_role(Role.AUTHOR)
def edit(article_id: int) -> Page:
    """The editor; on opening it, the author's unsaved changes (autosaved
    after the article last changed) come back into the fields."""
    article = article_for_editor_or_404(article_id)
    if request.method == "POST":
        return handle_editor(ArticleForm(), article=article)
    restored = drafting.autosave_to_restore(article)
    if restored is not None:
        form = ArticleForm(formdata=autosaved_formdata(restored.fields))
        # An autosave keeps the text, not this choice: it starts as it would.
        form.mail_subscribers.data = mail_by_default(article, mailing_summary(article))
        form.validate()  # shows what a save would refuse, as saving would
        return editor_page(form, article, restored=restored)
    return editor_page(ArticleForm(data=form_data_of(article)), article)


def autosaved_formdata(fields: dict[str, object]) -> MultiDict[str, str]:
    typed = {
        name: str(value) for name, value in fields.items() if name != "comments_open"
    }
    if fields.get("comments_open"):
        typed["comments_open"] = "y"
    return MultiDict(typed)


@bp.post("/articles/<int:article_id>/unpublish")
@login_required
@require_role(Role.AUTHOR)
def unpublish(article_id: int) -> Response:
    article = article_for_editor_or_404(article_id)
    if ButtonForm().validate_on_submit():
        services.unpublish_article(article=article)
        flash(_("“%(title)s” is a draft again: no longer public.", title=article.title))
    return redirect(url_for("studio.edit", article_id=article.id), code=303)


@bp.route("/articles/<int:article_id>/delete", methods=["GET", "POST"])
@login_required
@require_role(Role.AUTHOR)
def delete(article_id: int) -> Page:
    """GET asks for confirmation; POST deletes."""
    article = article_for_editor_or_404(article_id)
    form = ButtonForm()
    if form.validate_on_submit():
        title = article.title
        services.delete_article(article=article)
        flash(_("“%(title)s” is deleted.", title=title))
        return redirect(url_for("studio.index"), code=303)
    return render_template("studio/confirm_delete.html", article=article, form=form)


def handle_editor(form: ArticleForm, *, article: Article | None) -> Page:
    """Preview, save, publish or schedule, as the pressed button says. Refused
    input comes back with its message and the author's text untouched."""
    if not form.validate_on_submit():
        if request.method == "POST":
            keep_sent_cover(form)
        return editor_page(form, article), 400 if request.method == "POST" else 200
    if form.preview.data:
        keep_sent_cover(form)
        return editor_page(form, article, preview=render_article(text_of(form.body)))
    try:
        article = services.save_article(
            article=article,
            fields=fields_from(form, article),
            author=article.author if article else current_user,
            editor=current_user,
        )
    except BlogError as error:
        return editor_page(form, article, error=error.message), error.status_code
    drafting.forget_autosave(article)
    flash(saved_message(article))
    return redirect(url_for("studio.edit", article_id=article.id), code=303)


def fields_from(form: ArticleForm, article: Article | None) -> services.ArticleFields:
    fields = (
        services.fields_of(article)
        if article
        else services.ArticleFields(title="", body_markdown="", kind=form.chosen_kind())
    )
    fields.title = text_of(form.title)
    fields.body_markdown = text_of(form.body).replace("\r\n", "\n")
    fields.slug = form.slug.data or (article.slug if article else None)
    fields.summary = form.summary.data or ""
    fields.category_name = form.category.data or None
    fields.tag_names = (form.tags.data or "").split(",")
    fields.comments_open = form.comments_open.data
    if fields.kind is ArticleKind.ARTICLE and takes_mailing(
        article, mailing_summary(article)
    ):
        fields.mail_subscribers = bool(form.mail_subscribers.data)
    fields.cover_id = chosen_cover(form, article)
    fields.cover_alt = form.cover_alt.data or ""
    if form.publish.data:
        fields.status = ArticleStatus.PUBLISHED
        fields.published_at = services.publication_time(article)
    elif form.schedule.data:
        fields.status = ArticleStatus.PUBLISHED
        fields.published_at = scheduled_time(form.publish_at.data)
    return fields


def scheduled_time(local: datetime | None) -> datetime:
    """The time typed in the site's zone, as UTC; it must be in the future."""
    if local is None:
        raise InvalidInput(_("Choose the date and time to publish at."))
    moment = local.replace(tzinfo=current_site().zone)
    if moment <= utcnow():
        raise InvalidInput(_("Choose a time in the future, or press Publish now."))
    return moment


def saved_message(article: Article) -> str:
    if article.is_published():
        return _("“%(title)s” is saved and public.", title=article.title)
    if article.status is ArticleStatus.PUBLISHED:
        return _("“%(title)s” is scheduled.", title=article.title)
    return _("“%(title)s” is saved as a draft.", title=article.title)


def form_data_of(article: Article) -> dict[str, object]:
    zone = current_site().zone
    scheduled = article.published_at if not article.is_published() else None
    return {
        "title": article.title,
        "slug": article.slug,
        "category": article.category.name if article.category else "",
        "tags": ", ".join(tag.name for tag in article.tags),
        "summary": article.summary,
        "body": article.body_markdown,
        "comments_open": article.comments_open,
        "mail_subscribers": mail_by_default(article, mailing_summary(article)),
        "cover": str(article.cover_id or ""),
        "cover_alt": article.cover_alt,
        "kind": article.kind.value,
        "publish_at": scheduled.astimezone(zone).replace(tzinfo=None)
        if scheduled
        else None,
    }


def editor_page(
    form: ArticleForm,
    article: Article | None,
    *,
    preview: str | None = None,
    error: str | None = None,
    restored: Autosave | None = None,
) -> str:
    images = usable_images(article)
    if form.chosen_kind() is ArticleKind.PAGE:
        form.describe_a_page()
    form.cover.choices = [("", _("No cover"))] + [
        (str(image.id), image_label(image)) for image in images
    ]
    mailing = mailing_summary(article)
    return render_template(
        "studio/editor.html",
        form=form,
        article=article,
        preview=preview,
        error=error,
        restored=restored,
        body_words=word_count(form.body.data or ""),
        categories=db.session.scalars(Category.select_names()),
        uploads=images[:RECENT_UPLOADS],
        button_form=ButtonForm(),
        mailing=mailing,
        offers_mailing=form.chosen_kind() is ArticleKind.ARTICLE
        and takes_mailing(article, mailing),
        now=utcnow(),
        markdown_for=markdown_for,
        # The script names a publication date as the pages do ("en-GB").
        date_locale=date_locale().replace("_", "-"),
    )
