"""An article's discussion, as the personal part of its page
(blog/articles/page.py): the thread this viewer may see, the comment form,
and moderation.

Most logged-in readers of an article have no comment in it and may not
moderate it, so they all see the same discussion: it is rendered once per
content version for `SHARED_READER` and kept with the ids of everyone who
has commented. A commenter (who needs their Edit and Delete links and their
pending comment) and a moderator get the discussion built for them, as does
a reply form (`?reply_to=`) or a refused comment.
"""

from __future__ import annotations

from typing import NamedTuple

from flask import render_template, request, url_for
from flask_login import current_user

from blog.cache import remembered
from blog.comments.forms import CommentForm
from blog.comments.policy import waiting_note
from blog.comments.thread import build_thread
from blog.extensions import db
from blog.models import Article, Comment
from blog.permissions import (
    SHARED_READER,
    Viewer,
    can_comment,
    can_moderate_article,
)


def render_discussion(
    article: Article,
    viewer: Viewer,
    *,
    comment_form: CommentForm | None = None,
    comment_error: str | None = None,
) -> str:
    """comments/_section.html for this viewer. Only a logged-in reader gets a
    form, and so a CSRF token and a cookie; `?reply_to=<id>` puts the form
    under that comment."""
    discussion_html = None
    if comment_form is None and "reply_to" not in request.args:
        discussion_html = shared_discussion_for(viewer, article)
    thread = None if discussion_html else build_thread(article, viewer)
    if comment_form is None and can_comment(viewer, article):
        comment_form = CommentForm(formdata=None)
        if request.method == "GET":
            comment_form.parent_id.data = request.args.get("reply_to", type=int)
    reply_target = None
    if comment_form is not None and thread is not None:
        reply_target = thread.repliable(comment_form.parent_id.data)
        if reply_target is None:
            # The comment answered is gone or never was: post at the top level.
            comment_form.parent_id.data = None
    return render_template(
        "comments/_section.html",
        article=article,
        thread=thread,
        discussion_html=discussion_html,
        comment_form=comment_form,
        comment_error=comment_error,
        reply_target=reply_target.comment.id if reply_target else None,
        is_comment_moderator=can_moderate_article(viewer, article),
        waiting_note=waiting_note(
            article, viewer, has_approved_comment=current_user.has_approved_comment
        )
        if comment_form
        else None,
        # Every Reply link starts with it: built once, not once per comment.
        article_path=url_for("articles.detail", slug=article.slug),
    )


class SharedDiscussion(NamedTuple):
    commenter_ids: frozenset[int | None]
    html: str


def shared_discussion_for(viewer: Viewer, article: Article) -> str | None:
    """The shared discussion's HTML if it is what this viewer would see, else
    None. Anonymous readers' pages are cached whole instead."""
    if not viewer.is_authenticated or can_moderate_article(viewer, article):
        return None
    shared = remembered(
        f"discussion:{article.id}", lambda: render_shared_discussion(article)
    )
    return None if viewer.account_id in shared.commenter_ids else shared.html


def render_shared_discussion(article: Article) -> SharedDiscussion:
    thread = build_thread(article, SHARED_READER)
    # Asked after the thread: on PostgreSQL each statement sees the latest
    # commits, so the set holds at least every author the thread shows.
    commenters = frozenset(db.session.scalars(Comment.select_commenter_ids(article.id)))
    return SharedDiscussion(
        commenter_ids=commenters,
        html=render_template(
            "comments/_thread.html",
            article=article,
            thread=thread,
            reply_target=None,
            article_path=url_for("articles.detail", slug=article.slug),
        ),
    )
