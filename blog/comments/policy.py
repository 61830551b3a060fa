"""Which comments wait for a moderator (BLOG_COMMENT_MODERATION), and what
the comment form tells a reader about it."""

from __future__ import annotations

import re
from collections.abc import Iterable

from flask_babel import gettext as _
from sqlalchemy import update

from blog.extensions import db
from blog.models import Article, Comment, CommentStatus, User
from blog.permissions import Viewer, can_moderate_article
from blog.site_settings import current_site

# A comment with more links than this waits for a moderator, whatever the policy.
LINKS_BEFORE_REVIEW = 3
# Bare addresses count too: spam pastes them whether or not they become links.
LINK = re.compile(r"\b(?:https?://|www\.|mailto:)", re.IGNORECASE)


def needs_review(body: str) -> bool:
    return len(LINK.findall(body)) > LINKS_BEFORE_REVIEW


def initial_status(article: Article, author: User, body: str) -> CommentStatus:
    """Moderators of the article are trusted; link-heavy text always waits;
    otherwise BLOG_COMMENT_MODERATION decides ("first": until a moderator
    has approved one of the author's comments)."""
    if can_moderate_article(author, article):
        return CommentStatus.VISIBLE
    if needs_review(body):
        return CommentStatus.PENDING
    policy = current_site().comment_moderation
    if policy == "none":
        return CommentStatus.VISIBLE
    if policy == "first" and author.has_approved_comment:
        return CommentStatus.VISIBLE
    return CommentStatus.PENDING


def waiting_note(
    article: Article, viewer: Viewer, *, has_approved_comment: bool
) -> str | None:
    """What the comment form tells this reader about moderation, if their
    comment would wait (link-heavy text aside)."""
    if can_moderate_article(viewer, article):
        return None
    policy = current_site().comment_moderation
    if policy == "all":
        return _("Comments appear once a moderator has approved them.")
    if policy == "first" and not has_approved_comment:
        return _(
            "Your first comment appears once a moderator has approved it; "
            "after that, your comments appear at once."
        )
    return None


def trust_authors_of(comments: Iterable[Comment]) -> None:
    """Remember that these comments' authors have had one shown."""
    author_ids = {comment.author_id for comment in comments}
    author_ids.discard(None)
    if author_ids:
        db.session.execute(
            update(User)
            .where(User.id.in_(author_ids), User.has_approved_comment.is_(False))
            .values(has_approved_comment=True)
            .execution_options(synchronize_session=False)
        )
