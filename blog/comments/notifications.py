"""Mail about new comments, for the people who asked for it."""

from __future__ import annotations

from typing import TypeGuard

from flask_babel import gettext as _

from blog.extensions import db
from blog.http import absolute_url
from blog.jobs import RunningJob, enqueue, job_handler
from blog.mail import send_mail
from blog.models import Article, Comment, CommentStatus, User
from blog.site_settings import current_site

QUOTE_MAX = 1000


def anyone_wants_mail(article: Article, parent: Comment | None, by: User) -> bool:
    """Whether the article's author or the parent's asked for mail about
    this comment, asked before the write lock: a comment nobody follows adds
    no job, and no write, to the lock. The article's author came with the
    article; a parent's costs one read, for replies only."""
    if asked_for_mail(article.author, by.id):
        return True
    return parent is not None and asked_for_mail(parent.author, by.id)


def asked_for_mail(user: User | None, commenter_id: int | None) -> TypeGuard[User]:
    """An active user who opted in, and is not the one who commented."""
    return bool(
        user is not None
        and user.notify_replies
        and user.active
        and user.id != commenter_id
    )


def queue_notifications(comment: Comment) -> None:
    """In the write transaction that makes a comment visible: a job that
    mails whoever asked to hear about it. Nothing is read here, so the write
    lock is held no longer; the job decides who gets mail."""
    enqueue(
        "comment-notifications",
        f"comment-notifications:{comment.id}",
        {"comment_id": comment.id},
    )


@job_handler("comment-notifications")
def notify_job(job: RunningJob) -> None:
    comment = db.session.get(Comment, job.payload["comment_id"])
    if comment is not None and comment.status is CommentStatus.VISIBLE:
        notify_new_comment(comment)


def notify_new_comment(comment: Comment) -> None:
    """Tell the parent comment's author about a reply and the article's author
    about a comment, when they opted in; never the commenter, nobody twice
    (each mail's key is the comment and the recipient)."""
    sent_to: set[int] = set()
    parent_author = comment.parent.author if comment.parent else None
    for recipient, is_reply in ((parent_author, True), (comment.article.author, False)):
        if not asked_for_mail(recipient, comment.author_id) or recipient.id in sent_to:
            continue
        sent_to.add(recipient.id)
        send_mail(
            recipient.email,
            subject(comment, is_reply),
            body(comment, is_reply),
            key=f"comment:{comment.id}:to:{recipient.id}",
        )


def commenter_name(comment: Comment) -> str:
    return comment.author.display_name if comment.author else _("Someone")


def subject(comment: Comment, is_reply: bool) -> str:
    """The mail's subject, in the site's language like the rest of the mail."""
    names = {"name": commenter_name(comment), "title": comment.article.title}
    if is_reply:
        text = _("%(name)s replied to your comment on “%(title)s”", **names)
    else:
        text = _("%(name)s commented on “%(title)s”", **names)
    return " ".join(text.split())  # a header must not hold a line break


def body(comment: Comment, is_reply: bool) -> str:
    site = current_site().title
    quote = comment.body_markdown
    if len(quote) > QUOTE_MAX:
        quote = quote[:QUOTE_MAX].rstrip() + " …"
    link = absolute_url(
        "articles.detail", slug=comment.article.slug, _anchor=f"comment-{comment.id}"
    )
    names = {"name": commenter_name(comment), "site": site}
    if is_reply:
        opening = _("%(name)s replied to your comment on %(site)s:", **names)
    else:
        opening = _("%(name)s commented on your article on %(site)s:", **names)
    closing = _(
        "You get these mails because you asked for them. To stop them, untick "
        "the box on your account page: %(link)s",
        link=absolute_url("auth.account"),
    )
    reply = _("Read and reply: %(link)s", link=link)
    return f"{opening}\n\n{quote}\n\n{reply}\n\n{closing}\n"
