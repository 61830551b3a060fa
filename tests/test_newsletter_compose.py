"""Review: the article mail's links. Every link in a mail must be absolute:
a mail has no address of its own, so a relative one goes nowhere (or, in
webmail, to the webmail's own site)."""

from __future__ import annotations

from tests.newsletter_helpers import an_author, make_subscribers, publish
from tests.test_newsletter_mail import SITE, check_structure

BODY = (
    "See [the next one](next-article) and [the notes](#notes), "
    "a footnote[^1], and [another site](//elsewhere.example/page).\n\n"
    "[^1]: The footnote.\n"
)


def test_relative_links_and_footnotes_in_an_article_mail_are_absolute(
    app_factory, smtp_server
) -> None:
    app = app_factory(**smtp_server.settings(), MAIL_RATE=1000, SITE_URL=SITE)
    with app.app_context():
        author_id = an_author().id
        make_subscribers(1)

    publish(app, "Footnoted", author_id=author_id, body=BODY)

    [message] = smtp_server.messages
    check_structure(message)


def test_an_article_unpublished_and_published_again_is_not_in_a_second_digest(
    app_factory, clock
) -> None:
    """Never twice (editing, unpublishing and republishing do not resend)
    the per-post mailing keeps that; the weekly digest must too."""

    from blog.articles import services
    from blog.extensions import db
    from blog.jobs.runner import run_due_jobs
    from blog.models import Article, Frequency

    app = app_factory(TIMEZONE="UTC", DIGEST_WEEKDAY="friday", DIGEST_HOUR=7)
    outbox = app.extensions["blog.outbox"]
    with app.app_context():
        author_id = an_author().id
        make_subscribers(1, prefix="weekly", frequency=Frequency.WEEKLY)
    # Wednesday 2026-12-02, noon.
    clock.now = clock.now.replace(year=2026, month=12, day=2, hour=12, minute=0)
    article_id = publish(app, "Only once", author_id=author_id)

    def sweep_at(when) -> None:  # noqa: ANN001
        clock.now = when
        with app.test_request_context():
            run_due_jobs()

    sweep_at(clock.now.replace(day=4, hour=7, minute=1))  # Friday's digest
    assert len(outbox) == 1
    # The next Tuesday: taken down to fix a typo, and put back.
    clock.now = clock.now.replace(day=8)
    with app.test_request_context():
        article = db.session.get(Article, article_id)
        services.unpublish_article(article=article)
        fields = services.fields_of(article)
        fields.status = services.ArticleStatus.PUBLISHED
        fields.published_at = services.publication_time(article)
        services.save_article(
            article=article, fields=fields, author=article.author, editor=article.author
        )
    sweep_at(clock.now.replace(day=11, hour=7, minute=1))  # the next Friday

    assert [mail.subject for mail in outbox] == ["This week on Test Blog"]


def test_the_text_part_keeps_paragraphs_and_link_addresses(app_factory) -> None:
    """The plain-text alternative is what text-only clients, screen readers
    in some clients and spam filters read: the article's paragraphs, not one
    line of every word, and the addresses its links lead to."""
    app = app_factory(SITE_URL=SITE)
    outbox = app.extensions["blog.outbox"]
    with app.app_context():
        author_id = an_author().id
        make_subscribers(1)

    publish(
        app,
        "Two paragraphs",
        author_id=author_id,
        body="First paragraph.\n\nSecond, with [a link](https://python.org/).\n",
    )

    [mail] = outbox
    assert "First paragraph.\n\nSecond" in mail.body, mail.body
    assert "https://python.org/" in mail.body


def test_a_site_title_ending_in_a_backslash_keeps_the_list_id_readable(
    app_factory,
) -> None:
    """List-Id is '"title" <followers.host>': a backslash in the title
    escapes its closing quote, and the list's id is lost in the phrase
    (mail clients filter and unsubscribe by it)."""
    from email.utils import parseaddr

    app = app_factory(SITE_NAME="Notes from C:\\Users\\")
    outbox = app.extensions["blog.outbox"]
    with app.app_context():
        author_id = an_author().id
        make_subscribers(1)

    publish(app, "Paths", author_id=author_id)

    [mail] = outbox
    list_id = dict(mail.headers)["List-Id"]
    assert parseaddr(list_id)[1] == "followers.blog.test", list_id
