"""The author decides, in the editor, whether an article goes to e-mail
followers; the studio then says how its mailing went."""

from __future__ import annotations

from datetime import timedelta
from itertools import count as numbers

from lxml import html

from blog.extensions import db
from blog.models import (
    Article,
    ArticleKind,
    Delivery,
    Mailing,
    MailingKind,
    Role,
    Subscriber,
    User,
    utcnow,
)
from tests.factories import make_article
from tests.newsletter_helpers import make_subscribers, sweep
from tests.test_studio import article_by_title, editor_form

BATCHES = numbers()


def checkbox(page: str):
    found = html.fromstring(page).xpath("//input[@name='mail_subscribers']")
    return found[0] if found else None


def test_a_new_article_is_mailed_once_when_published_and_the_studio_says_so(
    app, client_as, outbox
) -> None:
    author_client, author = client_as(Role.AUTHOR)
    with app.app_context():
        followers = make_subscribers(3)
    new = author_client.get("/studio/articles/new").text
    assert checkbox(new).get("checked") is not None

    author_client.post(
        "/studio/articles/new",
        data=editor_form(publish="1", mail_subscribers="y"),
    )

    assert sorted(mail.to for mail in outbox) == followers
    article = article_by_title(app, "Volcanoes Up Close")
    edit_page = author_client.get(f"/studio/articles/{article.id}/edit").text
    assert checkbox(edit_page) is None  # mailed: it goes once
    assert "Sent to 3 subscribers" in edit_page
    assert "Sent to 3 subscribers" in author_client.get("/studio/").text

    author_client.post(
        f"/studio/articles/{article.id}/edit",
        data=editor_form(title="Volcanoes, edited", save="1", mail_subscribers="y"),
    )
    assert len(outbox) == 3


def test_unticked_it_is_published_without_mailing(app, client_as, outbox) -> None:
    author_client, _ = client_as(Role.AUTHOR)
    with app.app_context():
        make_subscribers(2)

    author_client.post("/studio/articles/new", data=editor_form(publish="1"))

    assert outbox == []
    with app.app_context():
        assert db.session.scalar(db.select(Mailing)) is None


def test_saving_an_article_published_before_never_mails_it(
    app, client_as, outbox
) -> None:
    author_client, author = client_as(Role.AUTHOR)
    with app.app_context():
        make_subscribers(2)
        old = make_article(author=db.session.merge(author), title="From last year")
    page = author_client.get(f"/studio/articles/{old.id}/edit").text
    assert checkbox(page).get("checked") is None

    author_client.post(
        f"/studio/articles/{old.id}/edit",
        data=editor_form(title="From last year", save="1"),
    )

    assert outbox == []


def test_a_scheduled_mailing_is_planned_and_unticking_cancels_it(
    app, client_as, outbox, clock
) -> None:
    author_client, _ = client_as(Role.AUTHOR)
    with app.app_context():
        make_subscribers(1)
    later = (clock.now + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    author_client.post(
        "/studio/articles/new",
        data=editor_form(schedule="1", publish_at=later, mail_subscribers="y"),
    )
    article = article_by_title(app, "Volcanoes Up Close")
    assert "Mailing planned" in author_client.get("/studio/").text
    edit = author_client.get(f"/studio/articles/{article.id}/edit").text
    assert checkbox(edit).get("checked") is not None

    author_client.post(
        f"/studio/articles/{article.id}/edit",
        data=editor_form(schedule="1", publish_at=later),
    )
    clock.advance(timedelta(hours=3))
    sweep(app)

    assert outbox == []
    with app.app_context():
        assert db.session.scalar(db.select(Mailing)) is None


def test_pages_are_never_mailed_and_offer_no_box(app, client_as, outbox) -> None:
    author_client, _ = client_as(Role.AUTHOR)
    with app.app_context():
        make_subscribers(1)
    assert checkbox(author_client.get("/studio/articles/new?kind=page").text) is None

    author_client.post(
        "/studio/articles/new",
        data=editor_form(kind="page", title="About", publish="1", mail_subscribers="y"),
    )

    with app.app_context():
        page = db.session.scalar(db.select(Article).filter_by(title="About"))
        assert page.kind is ArticleKind.PAGE
    assert outbox == []


def test_an_author_sends_a_test_to_themselves_only(app, client_as, outbox) -> None:
    author_client, author = client_as(Role.AUTHOR)
    with app.app_context():
        make_subscribers(2)
    author_client.post("/studio/articles/new", data=editor_form(save="1"))
    draft = article_by_title(app, "Volcanoes Up Close")

    answer = author_client.post(f"/studio/articles/{draft.id}/test-mail")

    assert answer.status_code == 303
    [mail] = outbox
    assert (mail.to, mail.subject) == (author.email, "[Test] Volcanoes Up Close")
    page = author_client.get(answer.headers["Location"]).text
    assert f"A test was sent to {author.email}" in page
    other_client, _ = client_as(Role.AUTHOR)
    refused = other_client.post(f"/studio/articles/{draft.id}/test-mail")
    assert refused.status_code == 404  # another's draft is not theirs to see
    assert len(outbox) == 1


def mailed_articles(app, author_id: int, count: int, **mailing: object) -> list[int]:
    """Articles by the author, each with a mailing in the given state and a
    delivery for each of three followers; their ids."""
    with app.app_context():
        author = db.session.get(User, author_id)
        followers = db.session.scalars(
            db.select(Subscriber.id).where(
                Subscriber.email.in_(
                    make_subscribers(3, prefix=f"batch{next(BATCHES)}-")
                )
            )
        ).all()
        ids = []
        for _number in range(count):
            article = make_article(author=author)
            sent = Mailing(
                key=f"article:{article.id}",
                kind=MailingKind.ARTICLE,
                article_id=article.id,
                **mailing,
            )
            db.session.add(sent)
            db.session.flush()
            if sent.prepared_at is not None:
                db.session.add_all(
                    Delivery(mailing_id=sent.id, subscriber_id=follower)
                    for follower in followers
                )
            ids.append(article.id)
        db.session.commit()
        return ids


def test_the_studio_says_how_each_mailing_went(app, client_as) -> None:
    author_client, author = client_as(Role.AUTHOR)
    started = utcnow()
    [done] = mailed_articles(
        app,
        author.id,
        1,
        prepared_at=started,
        finished_at=started,
        sent_count=1204,
        failed_count=3,
    )
    [sending] = mailed_articles(app, author.id, 1, prepared_at=started, sent_count=1)

    listing = author_client.get("/studio/").text
    done_page = author_client.get(f"/studio/articles/{done}/edit").text
    sending_page = author_client.get(f"/studio/articles/{sending}/edit").text

    assert "Sent to 1,204 subscribers · 3 failed" in listing
    assert "Sending: 1 of 3" in listing
    assert "Sent to 1,204 subscribers · 3 failed" in done_page
    assert "Sending: 1 of 3" in sending_page
    assert checkbox(done_page) is None and checkbox(sending_page) is None


def test_the_studio_list_asks_for_its_mailings_once(
    app, client_as, count_queries
) -> None:
    author_client, author = client_as(Role.AUTHOR)
    asked = []
    for count in (2, 6):
        mailed_articles(app, author.id, count, prepared_at=utcnow(), sent_count=1)
        with count_queries() as queries:
            page = author_client.get("/studio/").text
        assert page.count("Sending: 1 of 3") == len(asked) * 2 + count
        asked.append(len(queries))

    assert asked[0] == asked[1]
