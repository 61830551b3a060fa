"""Who may see and change what: the one place each rule is decided."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort
from flask_login import current_user

from blog.extensions import db
from blog.models import Article, Role, User


def can_edit_article(user: User | Any, article: Article) -> bool:
    """Authors edit their own articles; editors and admins edit all."""
    if not user.is_authenticated or not user.has_role(Role.AUTHOR):
        return False
    return user.has_role(Role.EDITOR) or article.author_id == user.id


def can_see_article(user: User | Any, article: Article) -> bool:
    return article.is_published() or can_edit_article(user, article)


def article_for_reader_or_404(slug: str) -> Article:
    """The article at this slug if the current user may see it. A draft or a
    scheduled article is a 404 to everyone else, so its existence does not leak."""
    article = db.session.scalar(Article.select_by_slug(slug))
    if article is None or not can_see_article(current_user, article):
        abort(404)
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
