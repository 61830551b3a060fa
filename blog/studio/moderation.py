"""The studio's comment moderation: the queue, its actions, closing comments."""

from __future__ import annotations

from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext, pgettext
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from blog.comments import services
from blog.comments.forms import BulkModerationForm, CommentsOpenForm, ModerationForm
from blog.errors import BlogError
from blog.extensions import db
from blog.http import page_number, safe_next_url
from blog.models import Comment, CommentStatus, Role
from blog.permissions import (
    article_for_editor_or_404,
    can_moderate_comment,
    comment_for_reader_or_404,
    require_role,
)
from blog.studio.blueprint import bp

QUEUE_TABS = (
    CommentStatus.PENDING,
    CommentStatus.VISIBLE,
    CommentStatus.HIDDEN,
    CommentStatus.SPAM,
)
# The buttons each row of a tab offers: what makes sense from that state
# (studio/comments.html words each with the comment's author).
ROW_ACTIONS = {
    CommentStatus.PENDING: ["approve", "spam", "delete"],
    CommentStatus.VISIBLE: ["hide", "spam", "delete"],
    CommentStatus.HIDDEN: ["approve", "spam", "delete"],
    CommentStatus.SPAM: ["approve", "delete"],
}


@bp.app_context_processor
def moderation_counts() -> dict[str, object]:
    return {"pending_comment_total": pending_comment_total}


def pending_comment_total() -> int:
    """Comments waiting in this user's moderation queue, for the studio's
    navigation and dashboard (asked only by the pages that show it)."""
    counts = dict(
        db.session.execute(
            Comment.select_status_counts(article_author_id=moderation_scope())
        ).all()
    )
    return int(counts.get(CommentStatus.PENDING, 0))


def moderation_scope() -> int | None:
    """Whose articles' comments this user moderates: None means every article."""
    return None if current_user.has_role(Role.EDITOR) else current_user.id


@bp.get("/comments")
@login_required
@require_role(Role.AUTHOR)
def comments() -> str:
    """The queue: pending comments first; the other states on their own tabs."""
    try:
        status = CommentStatus(request.args.get("status", "pending"))
    except ValueError:
        abort(404)
    if status not in QUEUE_TABS:
        abort(404)
    scope = moderation_scope()
    per_page = current_app.config["MODERATION_COMMENTS_PER_PAGE"]
    page = db.paginate(
        Comment.select_for_moderation(status, article_author_id=scope),
        page=page_number(),
        per_page=per_page,
        max_per_page=per_page,
        # After the last comments of a page are dealt with, it is empty, not a 404.
        error_out=False,
    )
    counts = dict(
        db.session.execute(Comment.select_status_counts(article_author_id=scope)).all()
    )
    return render_template(
        "studio/comments.html",
        page=page,
        status=status,
        tabs=QUEUE_TABS,
        tab_names=tab_names(),
        row_actions=ROW_ACTIONS,
        counts=counts,
        form=BulkModerationForm(formdata=None, next=request.full_path.rstrip("?")),
    )


@bp.post("/comments/moderate")
@login_required
@require_role(Role.AUTHOR)
def moderate_comments() -> Response:
    form = BulkModerationForm()
    if not form.validate_on_submit():
        flash(_("Choose an action and at least one comment."))
    else:
        apply_moderation(form.comment_ids.data or [], form.bulk_action.data)
    return redirect(safe_next_url(form.next.data, "studio.comments"), code=303)


@bp.post("/comments/<int:comment_id>/moderate")
@login_required
@require_role(Role.AUTHOR)
def moderate_comment(comment_id: int) -> Response:
    comment = comment_for_reader_or_404(comment_id)
    if not can_moderate_comment(current_user, comment):
        abort(403)
    form = ModerationForm()
    if not form.validate_on_submit():
        flash(_("Choose one of the actions."))
    else:
        apply_moderation([comment_id], form.action.data)
    return redirect(safe_next_url(form.next.data, "studio.comments"), code=303)


def apply_moderation(comment_ids: list[int], action: str) -> None:
    try:
        done = services.moderate(
            comment_ids=comment_ids, action=action, by=current_user
        )
    except BlogError as error:
        flash(error.message)
    else:
        flash(done_message(action, len(done)))


def tab_names() -> dict[CommentStatus, str]:
    # "Published" is also a column of dates in the studio: here it names
    # comments, which some languages say otherwise.
    return {
        CommentStatus.PENDING: _("Pending"),
        CommentStatus.VISIBLE: pgettext("comments", "Published"),
        CommentStatus.HIDDEN: _("Hidden"),
        CommentStatus.SPAM: _("Spam"),
    }


def done_message(action: str, count: int) -> str:
    """What a moderation action did, as a sentence for its count."""
    messages = {
        "approve": ngettext(
            "%(num)d comment approved.", "%(num)d comments approved.", count
        ),
        "hide": ngettext("%(num)d comment hidden.", "%(num)d comments hidden.", count),
        "spam": ngettext(
            "%(num)d comment marked as spam.", "%(num)d comments marked as spam.", count
        ),
        "delete": ngettext(
            "%(num)d comment deleted.", "%(num)d comments deleted.", count
        ),
    }
    return messages[action]


@bp.post("/articles/<int:article_id>/comments-open")
@login_required
@require_role(Role.AUTHOR)
def comments_open(article_id: int) -> Response:
    """Close or reopen an article's comments (the form says which)."""
    article = article_for_editor_or_404(article_id)
    form = CommentsOpenForm()
    if form.validate_on_submit():
        is_open = form.state.data == "open"
        services.set_comments_open(article=article, is_open=is_open, by=current_user)
        flash(_("Comments are open again.") if is_open else _("Comments are closed."))
    else:
        flash(_("Say whether to open or close the comments."))
    fallback = url_for("articles.detail", slug=article.slug) + "#comments"
    if not form.next.data:
        return redirect(fallback, code=303)
    return redirect(safe_next_url(form.next.data), code=303)
