"""Following the blog by e-mail, as a reader meets it: the form under an
article, one confirmation mail, its link, and what happens when someone
asks again for an address, or for one that is not theirs."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
from lxml import html
from sqlalchemy import select

from blog.extensions import db
from blog.models import Frequency, Subscriber, SubscriberState
from blog.subscriptions.links import (
    CONFIRM_MAX_AGE_SECONDS,
    CONFIRM_PURPOSE,
    MANAGE_PURPOSE,
    token_for,
)
from tests.factories import make_article
from tests.test_french_site import english_on, english_phrases

SITE_URL = "http://blog.test"
CHECK_YOUR_INBOX = "Check your inbox"


# --- helpers the other subscription tests share --------------------------


def subscribe(client, email: str, frequency: str | None = "each_post"):
    data = {"email": email}
    if frequency is not None:
        data["frequency"] = frequency
    return client.post("/subscribe", data=data)


def link_in(mail, kind: str) -> str:
    """The path of the one link of this kind ("confirm", "manage") in a mail."""
    links = re.findall(rf"{re.escape(SITE_URL)}(/subscribe/{kind}/\S+)", mail.body)
    assert len(links) == 1, mail.body
    return links[0]


def subscriber(app, email: str) -> Subscriber | None:
    """The row as stored now (read in a context of its own)."""
    with app.app_context():
        found = db.session.scalar(Subscriber.select_by_email(email))
        if found is not None:
            db.session.expunge(found)
        return found


def add_subscriber(app, email: str, state: SubscriberState, **values) -> Subscriber:
    with app.app_context():
        row = Subscriber(email=email, state=state, **values)
        db.session.add(row)
        db.session.commit()
        db.session.refresh(row)
        db.session.expunge(row)
        return row


def token(app, row: Subscriber, purpose: str) -> str:
    with app.test_request_context():
        return token_for(row, purpose)


def main_text(page: str) -> str:
    return " ".join(html.fromstring(page).xpath("//main")[0].text_content().split())


# --- the story ------------------------------------------------------------


def test_a_reader_subscribes_from_an_article_and_confirms_with_one_mail(
    app, client, outbox
) -> None:
    with app.app_context():
        article = make_article(slug="tides")
    page = client.get(f"/articles/{article.slug}")
    form = html.fromstring(page.text).xpath("//form[@action='/subscribe']")[0]
    assert form.get("method") == "post"
    assert {field.get("name") for field in form.xpath(".//input")} == {
        "email",
        "frequency",
    }
    assert "Set-Cookie" not in page.headers  # the page stays cacheable

    answer = subscribe(client, "reader@example.com")

    assert answer.status_code == 200
    assert CHECK_YOUR_INBOX in answer.text
    assert [mail.to for mail in outbox] == ["reader@example.com"]
    mail = outbox[0]
    assert mail.subject == "Confirm your subscription to Test Blog"
    assert "If you did not ask for it, ignore this mail" in mail.body
    assert subscriber(app, "reader@example.com").state is SubscriberState.PENDING

    confirmed = client.get(link_in(mail, "confirm"))

    assert confirmed.status_code == 200
    assert "You are subscribed" in confirmed.text
    assert "one mail for each new article" in confirmed.text
    row = subscriber(app, "reader@example.com")
    assert row.state is SubscriberState.CONFIRMED
    assert row.confirmed_at is not None
    manage = html.fromstring(confirmed.text).xpath("//main//a[contains(., 'Manage')]")
    assert client.get(manage[0].get("href")).status_code == 200

    again = client.get(link_in(mail, "confirm"))

    assert again.status_code == 200
    assert "Already confirmed" in again.text
    assert subscriber(app, "reader@example.com").confirmed_at == row.confirmed_at
    assert len(outbox) == 1


@pytest.mark.parametrize("path", ["/subscribe", "/"])
def test_the_form_is_on_the_subscribe_page_and_the_home_page(client, path) -> None:
    page = client.get(path)
    tree = html.fromstring(page.text)

    email = tree.xpath("//form[@action='/subscribe']//input[@name='email']")[0]
    assert tree.xpath(f"//label[@for='{email.get('id')}']")
    checked = tree.xpath("//form[@action='/subscribe']//input[@checked]")
    assert [box.get("value") for box in checked] == ["each_post"]
    assert "Set-Cookie" not in page.headers


def test_a_weekly_digest_can_be_chosen(app, client, outbox) -> None:
    subscribe(client, "weekly@example.com", "weekly")

    assert subscriber(app, "weekly@example.com").frequency is Frequency.WEEKLY
    assert "one mail a week" in outbox[0].body


def test_the_address_is_stored_as_typed_but_lower_case(app, client, outbox) -> None:
    subscribe(client, "  Ann.Lee@Example.COM ")

    assert subscriber(app, "ann.lee@example.com") is not None
    assert outbox[0].to == "ann.lee@example.com"


# --- asking again ---------------------------------------------------------


def test_asking_again_within_the_hour_sends_nothing_new(
    app, client, outbox, clock
) -> None:
    subscribe(client, "twice@example.com")
    clock.advance(timedelta(minutes=59))
    answer = subscribe(client, "twice@example.com")

    assert CHECK_YOUR_INBOX in answer.text
    assert len(outbox) == 1

    clock.advance(timedelta(minutes=1))
    subscribe(client, "twice@example.com")

    assert len(outbox) == 2
    # Still pending, same link secret: the first mail's link works too.
    assert client.get(link_in(outbox[0], "confirm")).status_code == 200


def test_a_confirmed_address_gets_the_same_answer_and_one_manage_mail_an_hour(
    app, client, outbox, clock
) -> None:
    add_subscriber(
        app, "known@example.com", SubscriberState.CONFIRMED, frequency=Frequency.WEEKLY
    )
    stranger = subscribe(client, "new@example.com")
    outbox.clear()

    answer = subscribe(client, "known@example.com", "each_post")

    assert answer.status_code == stranger.status_code == 200
    assert main_text(answer.text).replace("known@", "new@") == main_text(stranger.text)
    assert len(outbox) == 1
    mail = outbox[0]
    assert "It is subscribed already" in mail.body
    assert client.get(link_in(mail, "manage")).status_code == 200
    headers = dict(mail.headers)
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # A stranger asking changes nothing of the subscriber's choice.
    assert subscriber(app, "known@example.com").frequency is Frequency.WEEKLY

    clock.advance(timedelta(minutes=30))
    subscribe(client, "known@example.com")

    assert len(outbox) == 1


@pytest.mark.parametrize(
    "state", [SubscriberState.UNSUBSCRIBED, SubscriberState.BOUNCED]
)
def test_an_address_that_left_must_confirm_again_and_its_old_links_die(
    app, client, outbox, state
) -> None:
    old = add_subscriber(app, "back@example.com", state)
    old_links = [
        f"/unsubscribe/{token(app, old, MANAGE_PURPOSE)}",
        f"/subscribe/manage/{token(app, old, MANAGE_PURPOSE)}",
        f"/subscribe/confirm/{token(app, old, CONFIRM_PURPOSE)}",
    ]
    assert client.get(old_links[0]).status_code == 200

    subscribe(client, "back@example.com", "weekly")

    row = subscriber(app, "back@example.com")
    assert row.state is SubscriberState.PENDING
    assert row.link_secret != old.link_secret
    assert row.frequency is Frequency.WEEKLY
    for path in old_links:
        assert client.get(path).status_code == 404, path
    assert client.post(old_links[0]).status_code == 404
    assert subscriber(app, "back@example.com").state is SubscriberState.PENDING

    client.get(link_in(outbox[0], "confirm"))

    assert subscriber(app, "back@example.com").state is SubscriberState.CONFIRMED


# --- refusals -------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "   ",
        "not an address",
        "reader@",
        "@example.com",
        "reader@example..com",
        "reader@localhost",
        "a" * 250 + "@example.com",
        "réader@example.com",  # would need SMTPUTF8
    ],
)
def test_a_bad_address_is_refused_clearly_and_changes_nothing(
    app, client, outbox, typed
) -> None:
    answer = subscribe(client, typed)

    assert answer.status_code == 400
    tree = html.fromstring(answer.text)
    field = tree.xpath("//form[@action='/subscribe']//input[@name='email']")[0]
    errors = tree.xpath(f"//*[@id='{field.get('aria-describedby')}']")[0]
    assert errors.text_content().strip()
    assert field.get("aria-invalid") == "true"
    assert field.get("value", "") == typed
    assert outbox == []
    with app.app_context():
        assert db.session.scalars(select(Subscriber)).all() == []


def test_a_frequency_that_is_not_offered_is_refused(app, client, outbox) -> None:
    answer = subscribe(client, "odd@example.com", "hourly")

    assert answer.status_code == 400
    assert subscriber(app, "odd@example.com") is None
    assert outbox == []


def test_a_form_without_a_frequency_means_every_post(app, client) -> None:
    subscribe(client, "plain@example.com", None)

    assert subscriber(app, "plain@example.com").frequency is Frequency.EACH_POST


def expired_confirm_token(app, row: Subscriber, monkeypatch) -> str:
    signed_at = time.time() - CONFIRM_MAX_AGE_SECONDS - 60
    with monkeypatch.context() as patch:
        patch.setattr(time, "time", lambda: signed_at)
        return token(app, row, CONFIRM_PURPOSE)


def test_forged_expired_or_void_confirm_links_change_nothing(
    app, client, monkeypatch
) -> None:
    row = add_subscriber(app, "waiting@example.com", SubscriberState.PENDING)
    genuine = token(app, row, CONFIRM_PURPOSE)
    with app.app_context():
        other_site = app.config["SECRET_KEY"]
        app.config["SECRET_KEY"] = "another key"
        forged = token(app, row, CONFIRM_PURPOSE)
        app.config["SECRET_KEY"] = other_site
    voided = Subscriber(id=row.id, email=row.email, link_secret="0" * 32)
    tokens = [
        "nonsense",
        genuine[:-2] + ("AA" if not genuine.endswith("AA") else "BB"),
        forged,
        token(app, row, MANAGE_PURPOSE),  # a manage link is no confirm link
        expired_confirm_token(app, row, monkeypatch),
        token(app, voided, CONFIRM_PURPOSE),
    ]
    for bad in tokens:
        answer = client.get(f"/subscribe/confirm/{bad}")

        assert answer.status_code == 404, bad
        assert "This link cannot be used" in answer.text
        assert subscriber(app, "waiting@example.com").state is SubscriberState.PENDING
    assert client.get(f"/subscribe/confirm/{genuine}").status_code == 200


def test_a_confirm_link_from_before_unsubscribing_does_not_subscribe_again(
    app, client
) -> None:
    row = add_subscriber(app, "left@example.com", SubscriberState.UNSUBSCRIBED)

    answer = client.get(f"/subscribe/confirm/{token(app, row, CONFIRM_PURPOSE)}")

    assert answer.status_code == 404
    assert subscriber(app, "left@example.com").state is SubscriberState.UNSUBSCRIBED


# --- in French ------------------------------------------------------------


def test_a_french_site_asks_and_confirms_in_french(app_factory) -> None:
    app = app_factory(LANGUAGE="fr")
    outbox = app.extensions["blog.outbox"]
    client = app.test_client()
    english = english_phrases()
    with app.app_context():
        make_article(slug="maree")

    pages = [client.get("/articles/maree"), client.get("/"), client.get("/subscribe")]
    pages.append(subscribe(client, "lea@example.com"))
    pages.append(subscribe(client, "pas une adresse"))
    confirmed = client.get(link_in(outbox[0], "confirm"))
    pages.append(confirmed)
    manage = html.fromstring(confirmed.text).xpath("//main//p/a")[-1].get("href")
    pages.append(client.get(manage))
    pages.append(client.get(manage.replace("/subscribe/manage/", "/unsubscribe/")))
    pages.append(client.post(manage.replace("/subscribe/manage/", "/unsubscribe/")))
    pages.append(client.get("/subscribe/confirm/nonsense"))

    for page in pages:
        assert '<html lang="fr">' in page.text
        assert english_on(page.text, english) == [], page.request.path
    assert "Confirmez" in outbox[0].subject
    assert "ignorez" in outbox[0].body
