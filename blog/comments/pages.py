"""The article page, as the article view and the comment views both render it."""

from __future__ import annotations

from typing import Any

from flask import render_template, request, url_for
from flask_login import current_user

from blog.comments.forms import CommentForm
from blog.comments.thread import build_thread
from blog.models import Article
from blog.permissions import can_comment, can_moderate_article


def render_article_page(
    article: Article,
    *,
    status: int = 200,
    comment_form: CommentForm | None = None,
    comment_error: str | None = None,
    **context: Any,
) -> tuple[str, int]:
    """Render articles/detail.html for this article with its discussion. The
    comment views call it too, to show a refused comment with its message and
    text. Only a logged-in reader gets a form, and so a CSRF token and a
    cookie; `?reply_to=<id>` puts the form under that comment."""
    # The user itself, not the proxy: the thread asks about it per comment.
    viewer = current_user._get_current_object()  # type: ignore[attr-defined]
    thread = build_thread(article, viewer)
    if comment_form is None and can_comment(viewer, article):
        comment_form = CommentForm(formdata=None)
        if request.method == "GET":
            comment_form.parent_id.data = request.args.get("reply_to", type=int)
    reply_target = None
    if comment_form is not None:
        reply_target = thread.repliable(comment_form.parent_id.data)
        if reply_target is None:
            # The comment answered is gone or never was: post at the top level.
            comment_form.parent_id.data = None
    return render_template(
        "articles/detail.html",
        article=article,
        thread=thread,
        comment_form=comment_form,
        comment_error=comment_error,
        reply_target=reply_target.comment.id if reply_target else None,
        is_comment_moderator=can_moderate_article(viewer, article),
        # Every Reply link starts with it: built once, not once per comment.
        article_path=url_for("articles.detail", slug=article.slug),
        **context,
    ), status
