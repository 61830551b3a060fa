"""The article page, as the article view and the comment views both render it."""

from __future__ import annotations

from typing import Any, NamedTuple

from flask import render_template, request, url_for
from flask_login import current_user

from blog.comments.forms import CommentForm
from blog.comments.thread import build_thread
from blog.extensions import db
from blog.models import Article, Comment, Role, User
from blog.pagecache import remembered
from blog.permissions import can_comment, can_moderate_article


def render_article_page(
    article: Article,
    *,
    status: int = 200,
    comment_form: CommentForm | None = None,
    comment_error: str | None = None,
) -> tuple[str, int]:
    """Render articles/detail.html for this article with its discussion. The
    comment views call it too, to show a refused comment with its message and
    text. Only a logged-in reader gets a form, and so a CSRF token and a
    cookie; `?reply_to=<id>` puts the form under that comment."""
    # The user itself, not the proxy: the thread asks about it per comment.
    viewer = current_user._get_current_object()  # type: ignore[attr-defined]
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
        "articles/detail.html",
        article=article,
        article_parts=article_parts(article),
        thread=thread,
        discussion_html=discussion_html,
        comment_form=comment_form,
        comment_error=comment_error,
        reply_target=reply_target.comment.id if reply_target else None,
        is_comment_moderator=can_moderate_article(viewer, article),
        # Every Reply link starts with it: built once, not once per comment.
        article_path=url_for("articles.detail", slug=article.slug),
    ), status


class ArticleParts(NamedTuple):
    """What an article's page shows the same to every reader: its metadata
    in <head>, and the article itself with its neighbours. Rendered once per
    content version (see remembered), so a page that cannot be cached whole
    (a logged-in reader's) renders only the discussion and the header.
    Both are our own templates' output, escaped as they were rendered."""

    head: str
    main: str


def article_parts(article: Article) -> ArticleParts:
    return remembered(f"article-parts:{article.id}", lambda: render_parts(article))


def render_parts(article: Article) -> ArticleParts:
    older, newer = neighbours(article) if article.is_published() else (None, None)
    return ArticleParts(
        head=render_template("articles/_head.html", article=article),
        main=render_template(
            "articles/_main.html", article=article, older=older, newer=newer
        ),
    )


class SharedDiscussion(NamedTuple):
    """An article's comments as every logged-in reader sees them who has no
    comment there and may not moderate it (most readers): the same HTML for
    all of them, rendered once per content version."""

    commenter_ids: frozenset[int | None]
    html: str


class AnyReader:
    """The viewer a shared discussion is rendered for: logged in, a reader,
    no account's id, so no comment is theirs to edit or delete."""

    is_authenticated = True
    id = -1  # ids start at 1; not None, which a deleted author's comments hold

    def has_role(self, role: Role) -> bool:
        return Role.READER.at_least(role)


def shared_discussion_for(viewer: User | Any, article: Article) -> str | None:
    """The shared discussion's HTML if it is what this viewer would see, else
    None: their own comments carry Edit and Delete links (and may be pending),
    a moderator's carry moderation buttons. Anonymous readers' pages are
    cached whole instead."""
    if not viewer.is_authenticated or can_moderate_article(viewer, article):
        return None
    shared = remembered(
        f"discussion:{article.id}", lambda: render_shared_discussion(article)
    )
    return None if viewer.id in shared.commenter_ids else shared.html


def render_shared_discussion(article: Article) -> SharedDiscussion:
    thread = build_thread(article, AnyReader())
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


class ArticleLink(NamedTuple):
    title: str
    slug: str


def neighbours(article: Article) -> tuple[ArticleLink | None, ...]:
    """The public articles just older and just newer than this one."""
    return tuple(
        ArticleLink(row.title, row.slug) if row else None
        for row in (
            db.session.execute(statement).first()
            for statement in Article.select_neighbours(article)
        )
    )
