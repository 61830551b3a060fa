"""What the editor's script asks while the author types: the live preview,
rendered and sanitised by the same code as a saved article, and autosaves.

Both answer JSON. A failed autosave is never silent: the script keeps the
text in the browser and says why, and a session that expired answers with a
redirect to the login page, which the script reads as "log in again".
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import flash, jsonify, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from blog.articles import services
from blog.database import write_transaction
from blog.errors import InvalidInput
from blog.extensions import db
from blog.models import Article, Autosave, Role, utcnow
from blog.permissions import article_for_editor_or_404, require_role
from blog.rendering import render_article, word_count
from blog.studio.article_form import ArticleForm
from blog.studio.blueprint import bp
from blog.studio.uploads import usable_image
from blog.templating import localtime, reading_minutes

# The editor's fields an autosave keeps, by their form names.
AUTOSAVED_FIELDS = (
    "title",
    "slug",
    "category",
    "tags",
    "summary",
    "body",
    "comments_open",
    "cover",
    "cover_alt",
    "publish_at",
)
# DataRequired's message: WTForms's own, which its catalogue translates.
REQUIRED = "This field is required."


@bp.post("/preview")
@login_required
@require_role(Role.AUTHOR)
def preview() -> Response:
    body = typed_fields()["body"]
    return jsonify(
        html=render_article(body),
        words=word_count(body),
        minutes=reading_minutes(body),
    )


@bp.post("/articles/autosave")
@login_required
@require_role(Role.AUTHOR)
def autosave_new() -> Response:
    """The first autosave of a new article makes it a draft, as saving would;
    the editor moves to the draft's address and autosaves there after."""
    fields = typed_fields()
    if not (fields["title"].strip() or fields["body"].strip()):
        raise InvalidInput(_("There is nothing to save yet."))
    cover = usable_image(fields["cover"], None) if fields["cover"] else None
    article = services.save_article(
        article=None,
        fields=services.ArticleFields(
            title=fields["title"].strip() or _("Untitled draft"),
            body_markdown=fields["body"].replace("\r\n", "\n"),
            summary=fields["summary"],
            category_name=fields["category"] or None,
            tag_names=fields["tags"].split(","),
            comments_open=bool(fields["comments_open"]),
            cover_id=cover.id if cover else None,
            cover_alt=fields["cover_alt"],
            kind=ArticleForm().chosen_kind(),
        ),
        author=current_user,
        editor=current_user,
    )
    return saved_answer(article, article.updated_at)


@bp.post("/articles/<int:article_id>/autosave")
@login_required
@require_role(Role.AUTHOR)
def autosave(article_id: int) -> Response:
    article = article_for_editor_or_404(article_id)
    fields = typed_fields()
    now = utcnow()
    with write_transaction():
        kept = db.session.scalars(Autosave.select_for(current_user.id, article.id))
        row = kept.first() or Autosave(user_id=current_user.id, article_id=article.id)
        row.fields, row.saved_at = fields, now
        db.session.add(row)
    return saved_answer(article, now)


@bp.post("/articles/<int:article_id>/autosave/discard")
@login_required
@require_role(Role.AUTHOR)
def discard_autosave(article_id: int) -> Response:
    """Back to the article as last saved."""
    article = article_for_editor_or_404(article_id)
    forget_autosave(article)
    flash(_("The unsaved changes are discarded."))
    return redirect(url_for("studio.edit", article_id=article.id), code=303)


def typed_fields() -> dict[str, Any]:
    """The editor's fields as sent, checked against the form's limits only:
    half-typed text is what an autosave is for."""
    form = ArticleForm()
    form.validate()
    for name in AUTOSAVED_FIELDS:
        field = form[name]
        errors = [e for e in field.errors if e != field.gettext(REQUIRED)]
        if errors and name != "publish_at":  # a date being typed is kept as typed
            raise InvalidInput(
                _("%(field)s: %(error)s", field=field.label.text, error=errors[0])
            )
    fields: dict[str, Any] = {
        name: request.form.get(name, "") for name in AUTOSAVED_FIELDS
    }
    fields["comments_open"] = "comments_open" in request.form
    return fields


def saved_answer(article: Article, saved_at: datetime) -> Response:
    return jsonify(
        saved_at=localtime(saved_at, "time"),
        saved_at_iso=saved_at.isoformat(timespec="seconds"),
        edit_url=url_for("studio.edit", article_id=article.id),
        autosave_url=url_for("studio.autosave", article_id=article.id),
        preview_url=url_for("studio.preview"),
    )


def autosave_to_restore(article: Article) -> Autosave | None:
    """The author's unsaved changes, if made after the article last changed."""
    row = db.session.scalars(Autosave.select_for(current_user.id, article.id)).first()
    if row is None or row.saved_at <= article.updated_at:
        return None
    return row


def forget_autosave(article: Article) -> None:
    with write_transaction():
        db.session.execute(Autosave.delete_for(current_user.id, article.id))
