"""Mail about new comments, for the people who asked for it."""

from __future__ import annotations

from typing import TypeGuard

from flask_babel import gettext as _

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
