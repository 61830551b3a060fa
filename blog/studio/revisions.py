"""Studio revisions: the earlier versions of an article, a diff, a restore."""

from __future__ import annotations

import difflib

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from blog.articles.services import restore_revision
from blog.extensions import db
from blog.forms import ButtonForm
from blog.models import Article, Revision, Role
from blog.permissions import article_for_editor_or_404, require_role
from blog.studio.blueprint import bp


def revision_or_404(article: Article, revision_id: int) -> Revision:
    """One of this article's revisions: another article's is a 404 too."""
    return db.one_or_404(Revision.select_for(article).where(Revision.id == revision_id))


@bp.get("/articles/<int:article_id>/revisions")
@login_required
@require_role(Role.AUTHOR)
def revisions(article_id: int) -> str:
    article = article_for_editor_or_404(article_id)
    return render_template(
        "studio/revisions.html",
        article=article,
        revisions=db.session.scalars(Revision.select_for(article)).all(),
    )


@bp.get("/articles/<int:article_id>/revisions/<int:revision_id>")
@login_required
@require_role(Role.AUTHOR)
def revision(article_id: int, revision_id: int) -> str:
    article = article_for_editor_or_404(article_id)
    revision = revision_or_404(article, revision_id)
    return render_template(
        "studio/revision.html",
        article=article,
        revision=revision,
        diff=diff_lines(revision, article),
        form=ButtonForm(),
    )


@bp.post("/articles/<int:article_id>/revisions/<int:revision_id>/restore")
@login_required
@require_role(Role.AUTHOR)
def restore(article_id: int, revision_id: int) -> Response:
    article = article_for_editor_or_404(article_id)
    revision = revision_or_404(article, revision_id)
    if ButtonForm().validate_on_submit():
        restore_revision(article=article, revision=revision, editor=current_user)
        flash(
            _("The revision is restored; the text it replaced is kept as a revision.")
        )
    return redirect(url_for("studio.edit", article_id=article.id), code=303)


def diff_lines(revision: Revision, article: Article) -> list[tuple[str, str]]:
    """A unified diff from the revision to the current text, as (kind, line)
    pairs the template marks up: kind is "added", "removed", "hunk" or "same"."""
    before = [f"# {revision.title}", *revision.body_markdown.splitlines()]
    after = [f"# {article.title}", *article.body_markdown.splitlines()]
    kinds = {"+": "added", "-": "removed", "@": "hunk", " ": "same"}
    lines = difflib.unified_diff(before, after, "revision", "current", lineterm="")
    return [(kinds.get(line[:1], "same"), line) for line in list(lines)[2:]]
