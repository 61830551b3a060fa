"""A test of an article's newsletter mail, sent to its author before it goes
out: the same mail subscribers will get, to one address, marked as a test."""

from __future__ import annotations

from secrets import token_hex

from flask_babel import gettext as _

from blog.mail import send_mail
from blog.models import Article, Subscriber, User
from blog.newsletter.compose import article_template


def send_test_mail(article: Article, to_user: User) -> None:
    """Queue the article's mail to `to_user`; drafts too. Its links to
    manage or unsubscribe lead nowhere (the author is no subscriber)."""
    template = article_template(article)
    stand_in = Subscriber(id=0, email=to_user.email, link_secret=token_hex(8))
    mail = template.for_subscriber(stand_in, test=True)
    send_mail(
        mail.to,
        _("[Test] %(subject)s", subject=mail.subject),
        mail.body,
        html=mail.html,
        images=mail.images,
    )
