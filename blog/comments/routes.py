"""Posting, editing and deleting comments."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.wrappers import Response as FlaskResponse
from flask_babel import gettext as _
from flask_limiter import RequestLimit
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required, login_url
from werkzeug.wrappers import Response

from blog.articles.page import ArticlePage, add_personal_part
from blog.cache import not_cached
from blog.comments import services
from blog.comments.discussion import render_discussion
from blog.comments.forms import CommentEditForm, CommentForm
from blog.errors import BlogError
from blog.extensions import limiter
from blog.forms import ButtonForm, add_error, text_of
from blog.models import Article, Comment, CommentStatus
from blog.permissions import (
    COMMENT_EDIT_WINDOW,
    article_for_reader_or_404,
    can_delete_comment,
    can_edit_comment,
    comment_for_reader_or_404,
    is_own_comment,
)

bp = Blueprint("comments", __name__)
# The discussion is what the article page shows each viewer under the article.
bp.record_once(lambda state: add_personal_part(state.app, render_discussion))

Page = Response | str | tuple[str, int]


def comment_rate_limit() -> str:
    """BLOG_COMMENT_RATE_LIMIT, read per request so a deployment (or the load
    test) can change it without code."""
    return current_app.config["COMMENT_RATE_LIMIT"]


def commenter_key() -> str:
    """Limits count per account; the anonymous (who store nothing) per address."""
    if current_user.is_authenticated:
        return f"user:{current_user.id}"
    return f"ip:{get_remote_address()}"


def comment_url(comment: Comment) -> str:
    return url_for(
        "articles.detail", slug=comment.article.slug, _anchor=f"comment-{comment.id}"
    )


def comment_limit_reached(_limit: RequestLimit) -> FlaskResponse | None:
    """Over the limit, a logged-in commenter gets the article page back with
    their text still in the form (status 429), so nothing they typed is lost.
    Anyone else gets the plain 429 page."""
    slug = (request.view_args or {}).get("slug")
    if not current_user.is_authenticated or slug is None:
        return None
    article = article_for_reader_or_404(slug)
    body, status = render_article_page(
        article, status=429, comment_form=CommentForm(), error=rate_limited_message()
    )
    return make_response(body, status)


def render_article_page(
    article: Article,
    *,
    status: int,
    comment_form: CommentForm,
    error: str | None = None,
) -> tuple[str, int]:
    """The article's page again, with the refused comment's text and why."""
    page = ArticlePage.for_current_viewer(article)
    return page.render(status=status, comment_form=comment_form, comment_error=error)


def rate_limited_message() -> str:
    return _(
        "You are commenting faster than this site allows. Your text is still "
        "below: wait a minute, then send it again."
    )


@bp.post("/articles/<slug>/comments")
@limiter.limit(
    comment_rate_limit,
    key_func=commenter_key,
    scope="comment-user",
    on_breach=comment_limit_reached,
)
def create(slug: str) -> Page:
    if not current_user.is_authenticated:
        return login_to_comment(slug)
    article = article_for_reader_or_404(slug)
    form = CommentForm()
    if not form.validate_on_submit():
        return render_article_page(article, status=400, comment_form=form)
    try:
        comment = services.post_comment(
            article=article,
            author=current_user,
            body=text_of(form.body),
            parent_id=form.parent_id.data,
        )
    except BlogError as error:
        return render_article_page(
            article, status=error.status_code, comment_form=form, error=error.message
        )
    flash(posted_message(comment))
    return redirect(comment_url(comment), code=303)


def login_to_comment(slug: str) -> Response:
    """To the login page, and from there back to the article: this URL only
    takes POSTs, so it would answer 405 after logging in."""
    flash(_("Log in to comment."))
    next_url = url_for("articles.detail", slug=slug)
    return redirect(login_url("auth.login", next_url=next_url))


def posted_message(comment: Comment) -> str:
    if comment.status is CommentStatus.PENDING:
        return _("Thank you. Your comment is awaiting moderation; only you see it now.")
    return _("Your comment is published.")


@bp.route("/comments/<int:comment_id>/edit", methods=["GET", "POST"])
@not_cached("a form for the comment's author")
@login_required
def edit(comment_id: int) -> Page:
    comment = comment_for_reader_or_404(comment_id)
    refuse_unless_editable(comment)
    form = CommentEditForm(data={"body": comment.body_markdown})
    if form.validate_on_submit():
        try:
            services.edit_comment(
                comment=comment, editor=current_user, body=text_of(form.body)
            )
        except BlogError as error:
            add_error(form.body, error.message)
        else:
            flash(edited_message(comment))
            return redirect(comment_url(comment), code=303)
    return edit_page(form, comment)


def edit_page(form: CommentEditForm, comment: Comment) -> tuple[str, int]:
    """The edit form: 200 when fresh, 400 when sent back with errors."""
    deadline = comment.created_at + COMMENT_EDIT_WINDOW
    page = render_template(
        "comments/edit.html", form=form, comment=comment, deadline=deadline
    )
    return page, 400 if request.method == "POST" else 200


def edited_message(comment: Comment) -> str:
    if comment.status is CommentStatus.PENDING:
        return _(
            "Your comment is saved. It waits for a moderator before others see it."
        )
    return _("Your comment is saved.")


def refuse_unless_editable(comment: Comment) -> None:
    if not is_own_comment(current_user, comment):
        abort(403, _("You can only edit your own comments."))
    if not can_edit_comment(current_user, comment):
        abort(403, _("A comment can be edited for 15 minutes after it is posted."))


@bp.route("/comments/<int:comment_id>/delete", methods=["GET", "POST"])
@not_cached("a confirmation for the comment's author or a moderator")
@login_required
def delete(comment_id: int) -> Page:
    """GET asks to confirm; POST deletes."""
    comment = comment_for_reader_or_404(comment_id)
    if not can_delete_comment(current_user, comment):
        abort(403, _("You can only delete your own comments."))
    form = ButtonForm()
    if form.validate_on_submit():
        try:
            services.delete_comment(comment=comment, by=current_user)
        except BlogError as error:
            abort(error.status_code, error.message)
        flash(_("The comment is deleted."))
        article_url = url_for("articles.detail", slug=comment.article.slug)
        return redirect(article_url + "#comments", code=303)
    return render_template(
        "comments/delete.html",
        form=form,
        comment=comment,
        author_name=comment.author_name,
    )
