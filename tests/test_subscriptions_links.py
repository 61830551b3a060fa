"""The links in every subscriber's mail: unsubscribe (a page that asks, and
RFC 8058's one-click POST that needs no session and no CSRF token) and the
manage page (a CSRF-protected choice of how often)."""

from __future__ import annotations

import re

import pytest
from lxml import html

from blog.models import Frequency, SubscriberState
from blog.subscriptions.links import MANAGE_PURPOSE
from tests.test_security import database_snapshot
from tests.test_subscriptions import (
    add_subscriber,
    link_in,
    subscribe,
    subscriber,
    token,
)

ONE_CLICK = "List-Unsubscribe=One-Click"
CSRF_TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


@pytest.fixture
def csrf_app(app_factory):
    """CSRF checked, as in production (the feature tests turn it off)."""
    return app_factory(WTF_CSRF_ENABLED=True)


def unsubscribe_path(app, row) -> str:
    return f"/unsubscribe/{token(app, row, MANAGE_PURPOSE)}"


def manage_path(app, row) -> str:
    return f"/subscribe/manage/{token(app, row, MANAGE_PURPOSE)}"


def test_opening_the_unsubscribe_link_only_asks(app, client) -> None:
    row = add_subscriber(app, "reader@example.com", SubscriberState.CONFIRMED)
    path = unsubscribe_path(app, row)
    before = database_snapshot(app)

    page = client.get(path)

    assert page.status_code == 200
    assert "reader@example.com" in page.text
    form = html.fromstring(page.text).xpath("//main//form[@method='post']")[0]
    assert form.get("action") == path
    assert form.xpath(".//button[@type='submit']")
    assert database_snapshot(app) == before
    assert "Set-Cookie" not in page.headers


def test_the_one_click_post_unsubscribes_with_no_session_and_no_csrf_token(
    csrf_app,
) -> None:
    row = add_subscriber(csrf_app, "reader@example.com", SubscriberState.CONFIRMED)
    others = add_subscriber(csrf_app, "other@example.com", SubscriberState.CONFIRMED)
    before = database_snapshot(csrf_app)
    mail_client = csrf_app.test_client()  # no cookie, no token: a mail client

    answer = mail_client.post(
        unsubscribe_path(csrf_app, row),
        data=ONE_CLICK,
        content_type="application/x-www-form-urlencoded",
    )

    assert answer.status_code == 200
    assert "You are unsubscribed" in answer.text
    assert "Set-Cookie" not in answer.headers
    after = subscriber(csrf_app, "reader@example.com")
    assert after.state is SubscriberState.UNSUBSCRIBED
    assert after.unsubscribed_at is not None
    # Nothing else moved: the other subscriber, and this one's other columns.
    assert subscriber(csrf_app, "other@example.com").state is others.state
    changed = {
        table
        for table, rows in database_snapshot(csrf_app).items()
        if rows != before[table]
    }
    assert changed == {"subscribers"}
    assert (after.email, after.link_secret, after.frequency) == (
        row.email,
        row.link_secret,
        row.frequency,
    )

    again = mail_client.post(unsubscribe_path(csrf_app, row), data={"x": "y"})

    assert again.status_code == 200
    assert subscriber(csrf_app, "reader@example.com").unsubscribed_at == (
        after.unsubscribed_at
    )


def test_the_list_unsubscribe_header_of_a_real_mail_works(app, client, outbox) -> None:
    add_subscriber(app, "known@example.com", SubscriberState.CONFIRMED)
    subscribe(client, "known@example.com")  # they forgot: the manage mail
    header = dict(outbox[0].headers)["List-Unsubscribe"]
    https_link = re.search(r"<(http[^>]+)>", header).group(1)

    answer = client.post(https_link.removeprefix("http://blog.test"), data=ONE_CLICK)

    assert answer.status_code == 200
    assert subscriber(app, "known@example.com").state is SubscriberState.UNSUBSCRIBED


def test_after_unsubscribing_the_page_offers_to_subscribe_again(app, client) -> None:
    row = add_subscriber(app, "reader@example.com", SubscriberState.CONFIRMED)

    page = client.post(unsubscribe_path(app, row))

    form = html.fromstring(page.text).xpath("//form[@action='/subscribe']")[0]
    assert form.xpath(".//input[@name='email']")[0].get("value") == (
        "reader@example.com"
    )
    # Opening the link again now says so, and offers the same.
    again = client.get(unsubscribe_path(app, row))
    assert "is not subscribed" in again.text
    assert html.fromstring(again.text).xpath("//form[@action='/subscribe']")


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("bad", ["nonsense", "WzEsIjAwIl0.AAAA.BBBB"])
def test_a_bad_unsubscribe_or_manage_link_changes_nothing(
    app, client, method, bad
) -> None:
    add_subscriber(app, "reader@example.com", SubscriberState.CONFIRMED)
    before = database_snapshot(app)

    for path in (f"/unsubscribe/{bad}", f"/subscribe/manage/{bad}"):
        answer = client.open(path, method=method, data={"frequency": "weekly"})

        assert answer.status_code == 404, path
        assert "This link cannot be used" in answer.text
    assert database_snapshot(app) == before


def test_the_manage_page_changes_how_often_with_a_csrf_token(csrf_app) -> None:
    row = add_subscriber(csrf_app, "reader@example.com", SubscriberState.CONFIRMED)
    client = csrf_app.test_client()
    path = manage_path(csrf_app, row)

    page = client.get(path)

    assert page.status_code == 200
    assert "reader@example.com" in page.text
    assert "You are subscribed" in page.text
    tree = html.fromstring(page.text)
    assert tree.xpath(f"//form[@action='/unsubscribe/{path.rsplit('/', 1)[1]}']")
    csrf_token = CSRF_TOKEN.search(page.text).group(1)

    refused = client.post(path, data={"frequency": "weekly"})

    assert refused.status_code == 400
    assert "CSRF" in refused.text
    assert subscriber(csrf_app, "reader@example.com").frequency is Frequency.EACH_POST

    saved = client.post(path, data={"frequency": "weekly", "csrf_token": csrf_token})

    assert saved.status_code == 303
    assert subscriber(csrf_app, "reader@example.com").frequency is Frequency.WEEKLY
    assert "one mail a week" in client.get(path).text


@pytest.mark.parametrize("form", [{}, {"frequency": "daily"}])
def test_the_manage_page_refuses_a_missing_or_unknown_choice(app, client, form) -> None:
    row = add_subscriber(app, "reader@example.com", SubscriberState.CONFIRMED)

    answer = client.post(manage_path(app, row), data=form)

    assert answer.status_code == 400
    assert html.fromstring(answer.text).xpath("//ul[@class='errors']")
    assert subscriber(app, "reader@example.com").frequency is Frequency.EACH_POST


def test_a_pending_reader_may_choose_before_confirming(app, client, outbox) -> None:
    subscribe(client, "new@example.com")
    row = subscriber(app, "new@example.com")

    client.post(manage_path(app, row), data={"frequency": "weekly"})

    assert subscriber(app, "new@example.com").frequency is Frequency.WEEKLY


def test_someone_who_left_cannot_change_how_often_only_subscribe_again(
    app, client, outbox
) -> None:
    row = add_subscriber(app, "left@example.com", SubscriberState.UNSUBSCRIBED)
    path = manage_path(app, row)

    page = client.get(path)
    answer = client.post(path, data={"frequency": "weekly"})

    assert "You are unsubscribed" in page.text
    assert html.fromstring(page.text).xpath("//form[@action='/subscribe']")
    assert answer.status_code == 400
    assert subscriber(app, "left@example.com").frequency is Frequency.EACH_POST

    subscribe(client, "left@example.com")
    assert client.get(link_in(outbox[0], "confirm")).status_code == 200
    assert subscriber(app, "left@example.com").state is SubscriberState.CONFIRMED


def test_the_subscribe_form_posts_without_a_csrf_token(csrf_app) -> None:
    """Its pages are cached and set no cookie, so it carries no token."""
    client = csrf_app.test_client()

    answer = subscribe(client, "reader@example.com")

    assert answer.status_code == 200
    assert "Set-Cookie" not in answer.headers
    assert subscriber(csrf_app, "reader@example.com") is not None
