"""New articles mailed to followers: once, to the right people, through a
real SMTP server."""

from __future__ import annotations

from datetime import timedelta

from blog.articles import services
from blog.extensions import db
from blog.models import (
    Article,
    Delivery,
    DeliveryState,
    Frequency,
    Mailing,
    Subscriber,
    SubscriberState,
)
from tests.newsletter_helpers import an_author, make_subscribers, publish, sweep


def test_publishing_mails_each_confirmed_per_post_subscriber_once(
    mail_app, smtp_server
) -> None:
    with mail_app.app_context():
        author_id = an_author().id
        followers = make_subscribers(3)
        make_subscribers(1, prefix="pending", state=SubscriberState.PENDING)
        make_subscribers(1, prefix="gone", state=SubscriberState.UNSUBSCRIBED)
        make_subscribers(1, prefix="weekly", frequency=Frequency.WEEKLY)

    publish(mail_app, "Hello, followers", author_id=author_id)

    assert smtp_server.count_by_recipient() == {address: 1 for address in followers}
    assert {message["Subject"] for message in smtp_server.messages} == {
        "Hello, followers"
    }
    with mail_app.app_context():
        mailing = db.session.scalar(db.select(Mailing))
        assert (mailing.sent_count, mailing.failed_count) == (3, 0)
        assert mailing.finished_at is not None


def test_editing_unpublishing_and_publishing_again_never_resend(
    mail_app, smtp_server
) -> None:
    with mail_app.app_context():
        author_id = an_author().id
        make_subscribers(2)
    article_id = publish(mail_app, "Once only", author_id=author_id)
    with mail_app.test_request_context():
        article = db.session.get(Article, article_id)
        author = article.author
        fields = services.fields_of(article)
        fields.title, fields.mail_subscribers = "Once only, edited", True
        services.save_article(
            article=article, fields=fields, author=author, editor=author
        )
        services.unpublish_article(article=article)
        fields = services.fields_of(article)
        fields.status, fields.mail_subscribers = services.ArticleStatus.PUBLISHED, True
        fields.published_at = services.publication_time(article)
        services.save_article(
            article=article, fields=fields, author=author, editor=author
        )
    sweep(mail_app)

    assert sum(smtp_server.count_by_recipient().values()) == 2


def test_drafts_and_publishing_without_mailing_send_nothing(
    mail_app, smtp_server
) -> None:
    with mail_app.app_context():
        author_id = an_author().id
        make_subscribers(2)
    publish(mail_app, "Quietly", author_id=author_id, mail=False)
    with mail_app.test_request_context():
        author = db.session.get(services.User, author_id)
        services.save_article(
            article=None,
            fields=services.ArticleFields(
                title="Still a draft", body_markdown="Soon.", mail_subscribers=True
            ),
            author=author,
            editor=author,
        )
    sweep(mail_app)

    assert smtp_server.messages == []


def test_a_scheduled_article_is_mailed_when_its_time_comes(
    mail_app, smtp_server, clock
) -> None:
    with mail_app.app_context():
        author_id = an_author().id
        followers = make_subscribers(2)
    publish(
        mail_app, "Tomorrow", author_id=author_id, at=clock.now + timedelta(hours=20)
    )
    sweep(mail_app)
    assert smtp_server.messages == []

    clock.advance(timedelta(hours=20, seconds=30))
    sweep(mail_app)
    sweep(mail_app)

    assert smtp_server.count_by_recipient() == {address: 1 for address in followers}


def test_unticking_mail_before_the_set_time_cancels_the_mailing(
    mail_app, smtp_server, clock
) -> None:
    with mail_app.app_context():
        author_id = an_author().id
        make_subscribers(1)
    article_id = publish(
        mail_app,
        "Changed my mind",
        author_id=author_id,
        at=clock.now + timedelta(hours=1),
    )
    with mail_app.test_request_context():
        article = db.session.get(Article, article_id)
        fields = services.fields_of(article)
        fields.mail_subscribers = False
        services.save_article(
            article=article, fields=fields, author=article.author, editor=article.author
        )
    clock.advance(timedelta(hours=2))
    sweep(mail_app)

    assert smtp_server.messages == []


def test_a_refused_address_is_marked_bounced_and_the_others_get_their_mail(
    mail_app, smtp_server
) -> None:
    with mail_app.app_context():
        author_id = an_author().id
        followers = make_subscribers(3)
    smtp_server.mailbox.refused.add(followers[1])

    article_id = publish(mail_app, "Some bounce", author_id=author_id)

    assert smtp_server.count_by_recipient() == {followers[0]: 1, followers[2]: 1}
    with mail_app.app_context():
        bounced = db.session.scalar(Subscriber.select_by_email(followers[1]))
        assert bounced.state is SubscriberState.BOUNCED
        assert bounced.bounce_reason.startswith("550")
        mailing = db.session.scalar(db.select(Mailing).filter_by(article_id=article_id))
        assert (mailing.sent_count, mailing.failed_count) == (2, 1)
    publish(mail_app, "Next one", author_id=author_id)
    assert smtp_server.count_by_recipient()[followers[1]] == 0


def test_with_the_server_down_the_mailing_waits_and_is_sent_once_it_is_back(
    mail_app, smtp_server, clock
) -> None:
    with mail_app.app_context():
        author_id = an_author().id
        followers = make_subscribers(3)
    smtp_server.stop()

    publish(mail_app, "Patience", author_id=author_id)
    with mail_app.app_context():
        states = db.session.scalars(db.select(Delivery.state)).all()
        assert states == [DeliveryState.PENDING] * 3

    clock.advance(timedelta(seconds=14))
    sweep(mail_app)  # before the first retry's time: nothing is tried
    smtp_server.start()
    sweep(mail_app)
    assert smtp_server.messages == []

    clock.advance(timedelta(seconds=2))
    sweep(mail_app)
    assert smtp_server.count_by_recipient() == {address: 1 for address in followers}
