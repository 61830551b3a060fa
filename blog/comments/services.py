"""Posting, editing, deleting and moderating comments.

Every write runs in one write_transaction() (blog/database.py) and recounts
the visible comments of the articles it touched, after locking those
articles' rows: on PostgreSQL two writers then take turns, so neither
recounts from a snapshot that misses the other's comment (SQLite writers
take turns already).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import timedelta

from flask_babel import gettext as _

from blog.cache.version import bump_once
from blog.comments.notifications import anyone_wants_mail, queue_notifications
from blog.comments.policy import initial_status, trust_authors_of
from blog.database import write_transaction
from blog.errors import Conflict, InvalidInput, PermissionDenied
from blog.extensions import db
from blog.i18n import format_count
from blog.models import Article, Comment, CommentStatus, User, utcnow
from blog.models.comment import BODY_MAX
from blog.permissions import (
    can_delete_comment,
    can_edit_comment,
    can_moderate_article,
    can_moderate_comment,
    is_own_comment,
)
from blog.rendering import render_comment, without_control_characters

# The same text from the same person within this time is a double post.
DUPLICATE_WINDOW = timedelta(minutes=10)
BULK_MAX = 200


class ModerationAction(enum.StrEnum):
    APPROVE = "approve"
    HIDE = "hide"
    SPAM = "spam"
    DELETE = "delete"


STATUS_AFTER = {
    ModerationAction.APPROVE: CommentStatus.VISIBLE,
    ModerationAction.HIDE: CommentStatus.HIDDEN,
    ModerationAction.SPAM: CommentStatus.SPAM,
    ModerationAction.DELETE: CommentStatus.DELETED,
}


def clean_body(body: str) -> str:
    """The text as it will be stored, or a refusal saying what is wrong."""
    # Control characters break feeds and PostgreSQL refuses NUL.
    body = without_control_characters(body.replace("\r\n", "\n")).strip()
    if not body:
        raise InvalidInput(_("Write something before posting."))
    if len(body) > BODY_MAX:
        raise InvalidInput(
            _(
                "A comment has at most %(limit)s characters; this one has %(length)s.",
                limit=format_count(BODY_MAX),
                length=format_count(len(body)),
            )
        )
    return body


def post_comment(
    *, article: Article, author: User, body: str, parent_id: int | None = None
) -> Comment:
    """Add a comment (a reply when parent_id is given), visible or pending as
    the moderation policy says, and mail whoever asked to hear about it.

    Everything is read and rendered before the write lock (see
    blog/database.py); under it the article is checked again, a double post
    refused, and the comment stored and counted."""
    body = clean_body(body)
    if not article.comments_open or not article.is_published():
        raise PermissionDenied(comments_closed())
    parent = reply_target(article, parent_id)
    comment = Comment(
        article_id=article.id,
        author_id=author.id,
        parent_id=parent.id if parent else None,
        body_markdown=body,
        body_html=render_comment(body),
        status=initial_status(article, author, body),
    )
    notify = comment.status is CommentStatus.VISIBLE and anyone_wants_mail(
        article, parent, author
    )
    with write_transaction():
        if not lock_articles([article.id]).get(article.id):
            raise PermissionDenied(comments_closed())
        refuse_double_post(author, body)
        db.session.add(comment)
        db.session.flush()
        count_new_comment(comment)
        if comment.status is CommentStatus.VISIBLE and not author.has_approved_comment:
            trust_authors_of([comment])
        if notify:
            queue_notifications(comment)
    return comment


def comments_closed() -> str:
    return _("Comments are closed on this article.")


def reply_target(article: Article, parent_id: int | None) -> Comment | None:
    if parent_id is None:
        return None
    parent = db.session.get(Comment, parent_id)
    if parent is None or parent.article_id != article.id:
        raise InvalidInput(_("You can only reply to a comment on this article."))
    if parent.status is not CommentStatus.VISIBLE:
        raise InvalidInput(_("That comment can no longer be replied to."))
    return parent


def refuse_double_post(author: User, body: str) -> None:
    earlier = db.session.scalar(
        Comment.select_same_text_since(),
        {"author_id": author.id, "since": utcnow() - DUPLICATE_WINDOW, "body": body},
    )
    if earlier is not None:
        raise InvalidInput(_("You already posted this."))


def edit_comment(*, comment: Comment, editor: User, body: str) -> Comment:
    """Change the text of one's own comment within the edit window. The new
    text is judged as a new comment would be: under "all" an edit waits for
    approval again, so approved text cannot be swapped for spam."""
    if not is_own_comment(editor, comment):
        raise PermissionDenied(_("You can only edit your own comments."))
    body = clean_body(body)
    body_html = render_comment(body)
    with write_transaction():
        lock_articles([comment.article_id])
        db.session.refresh(comment)
        if not can_edit_comment(editor, comment):
            raise PermissionDenied(
                _("A comment can be edited for 15 minutes after it is posted.")
            )
        if body == comment.body_markdown:
            return comment
        comment.body_markdown, comment.body_html = body, body_html
        comment.edited_at = utcnow()
        if comment.status in (CommentStatus.VISIBLE, CommentStatus.PENDING):
            comment.status = initial_status(comment.article, editor, body)
        db.session.flush()
        recount_comments([comment.article_id])
    return comment


def delete_comment(*, comment: Comment, by: User) -> None:
    """Its author or a moderator deletes a comment. The row stays, so its
    replies keep their place under a "comment deleted" placeholder."""
    with write_transaction():
        lock_articles([comment.article_id])
        db.session.refresh(comment)
        if not can_delete_comment(by, comment):
            raise PermissionDenied(_("You can only delete your own comments."))
        comment.status = CommentStatus.DELETED
        db.session.flush()
        recount_comments([comment.article_id])


def moderate(
    *, comment_ids: Iterable[int], action: ModerationAction | str, by: User
) -> list[Comment]:
    """Approve, hide, mark as spam or delete comments, all or none: one the
    moderator may not act on refuses the whole batch."""
    action = ModerationAction(action)
    ids = sorted(set(comment_ids))
    if not ids:
        raise InvalidInput(_("Choose at least one comment."))
    if len(ids) > BULK_MAX:
        raise InvalidInput(
            _("Choose at most %(limit)d comments at a time.", limit=BULK_MAX)
        )
    target = STATUS_AFTER[action]
    with write_transaction():
        comments = comments_to_moderate(ids, by)
        if target is CommentStatus.VISIBLE and any(
            comment.status is CommentStatus.DELETED for comment in comments
        ):
            raise Conflict(_("A deleted comment cannot be approved."))
        newly_visible = [
            comment
            for comment in comments
            if comment.status is CommentStatus.PENDING
            and target is CommentStatus.VISIBLE
        ]
        for comment in comments:
            comment.status = target
        db.session.flush()
        recount_comments({comment.article_id for comment in comments})
        trust_authors_of(newly_visible)
        for comment in newly_visible:
            queue_notifications(comment)
    return comments


def comments_to_moderate(ids: list[int], by: User) -> list[Comment]:
    """The comments, read again after locking their articles so their states
    are current; PermissionDenied unless `by` may moderate every one."""
    lock_articles(db.session.scalars(Comment.select_article_ids(ids)))
    comments = list(
        db.session.scalars(
            Comment.select_by_ids(ids).execution_options(populate_existing=True)
        )
    )
    if len(comments) != len(ids) or not all(
        can_moderate_comment(by, comment) for comment in comments
    ):
        raise PermissionDenied(
            _(
                "Some of these comments are gone or are not yours to moderate. "
                "Nothing was changed."
            )
        )
    return comments


def set_comments_open(*, article: Article, is_open: bool, by: User) -> Article:
    """Close or reopen an article's comments. It is no edit of the article's
    content, so updated_at stays as it is."""
    if not can_moderate_article(by, article):
        raise PermissionDenied(_("You cannot moderate comments on this article."))
    with write_transaction():
        article.comments_open = is_open
    return article


def lock_articles(article_ids: Iterable[int]) -> dict[int, bool]:
    """Lock these articles' rows until the commit, in id order so that two
    writers never wait for each other; returns whether each takes comments
    (open, and public) as it is now. The content version's row is locked
    first (every comment write moves it): article saves lock it first too, at
    their flush, so on PostgreSQL the two never deadlock."""
    bump_once(db.session())
    rows = db.session.execute(
        Article.select_taking_comments(),
        {"article_ids": sorted(set(article_ids)), "now": utcnow()},
    )
    return {article_id: bool(takes) for article_id, takes in rows}


def count_new_comment(comment: Comment) -> None:
    """A new visible comment adds one to its article's count: exact, since
    the article's row is locked (a recount costs a scan of its comments)."""
    if comment.status is not CommentStatus.VISIBLE:
        return
    db.session.execute(
        Article.count_one_more_comment(), {"article_id": comment.article_id}
    )


def recount_comments(article_ids: Iterable[int]) -> None:
    """Set comment_count to the number of visible comments."""
    db.session.execute(Comment.recount_articles(article_ids))
