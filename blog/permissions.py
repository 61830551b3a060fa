"""Who may see and change what: the one place each rule is decided.

Every rule asks about a `Viewer`: a `User`, the anonymous reader
(`AnonymousReader`), the reader a shared discussion is rendered for
(`SHARED_READER`), or a snapshot of the current user (`current_viewer()`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import wraps
from typing import Any, Protocol

from flask import abort
from flask_login import current_user

from blog.extensions import db
from blog.models import (
    AnonymousReader,
    Article,
    ArticleRedirect,
    Comment,
    CommentStatus,
    Role,
    utcnow,
)


class Viewer(Protocol):
    """Whoever a page is shown to, as the rules below ask about them."""

    @property
    def is_authenticated(self) -> bool: ...

    @property
    def account_id(self) -> int | None:
        """Their account's id; None for anyone who owns nothing."""

    def has_role(self, role: Role) -> bool: ...


@dataclass(frozen=True)
class SignedInViewer:
    """The current user, read once from Flask-Login's proxy: a page asks
    about its viewer once per comment, and a plain object answers faster."""

    account_id: int
    role: Role
    is_authenticated: bool = True

    def has_role(self, role: Role) -> bool:
        return self.role.at_least(role)


@dataclass(frozen=True)
class SharedReader:
    """Any logged-in reader who has no comment on an article and may not
    moderate it: a shared discussion is rendered once for all of them. They
    may reply, and own nothing."""

    account_id: None = None
    is_authenticated: bool = True

    def has_role(self, role: Role) -> bool:
        return Role.READER.at_least(role)


SHARED_READER = SharedReader()


def current_viewer() -> Viewer:
    if not current_user.is_authenticated:
        return AnonymousReader()
    return SignedInViewer(account_id=current_user.id, role=current_user.role)


def can_edit_article(user: Viewer, article: Article) -> bool:
    """Authors edit their own articles; editors and admins edit all."""
    if not user.is_authenticated or not user.has_role(Role.AUTHOR):
        return False
    return user.has_role(Role.EDITOR) or article.author_id == user.account_id


def can_see_article(user: Viewer, article: Article) -> bool:
    return article.is_published() or can_edit_article(user, article)


def article_for_reader_or_404(slug: str) -> Article:
    """The article at this slug if the current user may see it. A draft or a
    scheduled article is a 404 to everyone else, so its existence does not leak."""
    article = db.session.scalar(Article.select_by_slug(slug))
    if article is None or not can_see_article(current_user, article):
        abort(404)
    return article


def moved_article_or_404(old_slug: str) -> Article:
    """The article that used to live at this slug, if the current user may
    see it: its old addresses (page and comment feed) answer 301 to the new."""
    moved = db.session.scalar(ArticleRedirect.select_by_slug(old_slug))
    if moved is None or not can_see_article(current_user, moved.article):
        abort(404)
    return moved.article


def article_for_editor_or_404(article_id: int) -> Article:
    """The article the current user may edit. One they may not see (another
    author's draft) is a 404; one they may see but not edit is a 403."""
    article = db.session.scalar(
        Article.select_listing().where(Article.id == article_id)
    )
    if article is None or not can_see_article(current_user, article):
        abort(404)
    if not can_edit_article(current_user, article):
        abort(403)
    return article


def require_role(role: Role) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Allow the view to users holding at least this role; others get 403.
    Put it under login_required, which deals with anonymous visitors."""

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            if not current_user.has_role(role):
                abort(403)
            return view(*args, **kwargs)

        return guarded

    return decorator


# How long the author of a comment may still change it.
COMMENT_EDIT_WINDOW = timedelta(minutes=15)


def can_moderate_article(user: Viewer, article: Article) -> bool:
    """Who keeps an article's discussion clean: whoever may edit the article
    (its author, editors, admins)."""
    return can_edit_article(user, article)


def can_moderate_comment(user: Viewer, comment: Comment) -> bool:
    return can_moderate_article(user, comment.article)


def can_comment(user: Viewer, article: Article) -> bool:
    """Logged-in users comment on published articles whose comments are open."""
    return bool(
        user.is_authenticated and article.comments_open and article.is_published()
    )


def is_own_comment(user: Viewer, comment: Comment) -> bool:
    return user.account_id is not None and comment.author_id == user.account_id


def can_read_comment(
    user: Viewer, comment: Comment, *, is_moderator: bool | None = None
) -> bool:
    """Visible comments are public; a pending one shows to its author and to
    moderators; hidden and spam ones to moderators; a deleted one to nobody."""
    if comment.status is CommentStatus.VISIBLE:
        return True
    if comment.status is CommentStatus.DELETED:
        return False
    if is_moderator is None:
        is_moderator = can_moderate_comment(user, comment)
    if comment.status is CommentStatus.PENDING and is_own_comment(user, comment):
        return True
    return is_moderator


def can_edit_comment(
    user: Viewer, comment: Comment, now: datetime | None = None
) -> bool:
    """Its author, within COMMENT_EDIT_WINDOW of posting, while it is shown."""
    if not is_own_comment(user, comment):
        return False
    if comment.status not in (CommentStatus.VISIBLE, CommentStatus.PENDING):
        return False
    return (now or utcnow()) - comment.created_at <= COMMENT_EDIT_WINDOW


def can_delete_comment(
    user: Viewer, comment: Comment, *, is_moderator: bool | None = None
) -> bool:
    """Its author at any time, and the article's moderators."""
    if comment.status is CommentStatus.DELETED:
        return False
    if is_own_comment(user, comment):
        return True
    if is_moderator is None:
        is_moderator = can_moderate_comment(user, comment)
    return is_moderator


def comment_for_reader_or_404(comment_id: int) -> Comment:
    """The comment if the current user may read it, on an article they may
    see; anything else is a 404, so hidden comments do not leak."""
    comment = db.session.scalar(Comment.select_with_article(comment_id))
    if comment is None or not can_see_article(current_user, comment.article):
        abort(404)
    if not can_read_comment(current_user, comment):
        abort(404)
    return comment
