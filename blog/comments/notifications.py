"""Mail about new comments, for the people who asked for it."""

from __future__ import annotations

from typing import TypeGuard

from blog.http import absolute_url
from blog.mail import send_mail
from blog.models import Comment, User
from blog.site_settings import current_site

QUOTE_MAX = 1000


def notify_new_comment(comment: Comment) -> None:
    """Tell the parent comment's author about a reply and the article's author
    about a comment, when they opted in; never the commenter, nobody twice.
    Called once a comment becomes visible, after it is committed."""
    sent_to: set[int] = set()
    parent_author = comment.parent.author if comment.parent else None
    for recipient, is_reply in ((parent_author, True), (comment.article.author, False)):
        if not wants_mail(recipient, comment) or recipient.id in sent_to:
            continue
        sent_to.add(recipient.id)
        send_mail(recipient.email, subject(comment, is_reply), body(comment, is_reply))


def wants_mail(user: User | None, comment: Comment) -> TypeGuard[User]:
    return bool(
        user is not None
        and user.notify_replies
        and user.active
        and user.id != comment.author_id
    )


def commenter_name(comment: Comment) -> str:
    return comment.author.display_name if comment.author else "Someone"


def subject(comment: Comment, is_reply: bool) -> str:
    what = "replied to your comment on" if is_reply else "commented on"
    text = f"{commenter_name(comment)} {what} “{comment.article.title}”"
    return " ".join(text.split())  # a header must not hold a line break


def body(comment: Comment, is_reply: bool) -> str:
    site = current_site().title
    quote = comment.body_markdown
    if len(quote) > QUOTE_MAX:
        quote = quote[:QUOTE_MAX].rstrip() + " …"
    link = absolute_url(
        "articles.detail", slug=comment.article.slug, _anchor=f"comment-{comment.id}"
    )
    what = "replied to your comment" if is_reply else "commented on your article"
    return (
        f"{commenter_name(comment)} {what} on {site}:\n\n{quote}\n\n"
        f"Read and reply: {link}\n\n"
        f"You get these mails because you asked for them. To stop them, untick "
        f"the box on your account page: {absolute_url('auth.account')}\n"
    )
