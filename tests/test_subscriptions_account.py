"""A registered reader subscribes from their account page in one click.
Accounts' addresses are not verified here (anyone may register with any
address), so the click sends the same confirmation mail as the public form,
and the page never shows the state of the address's subscription: the
mails, which only the address's owner reads, carry its links."""

from __future__ import annotations

from datetime import timedelta

from lxml import html

from blog.models import Frequency, Role, SubscriberState
from tests.conftest import log_in
from tests.factories import make_user
from tests.test_subscriptions import add_subscriber, link_in, subscribe, subscriber

ACCOUNT = "/auth/account"


def section(page: str):
    return html.fromstring(page).xpath("//section[@id='subscription']")[0]


def one_click(client, frequency: str | None = "each_post"):
    data = {} if frequency is None else {"frequency": frequency}
    return client.post("/subscribe/account", data=data)


def test_a_reader_subscribes_from_the_account_page_and_confirms(
    app, client_as, outbox
) -> None:
    client, user = client_as(Role.READER)
    panel = section(client.get(ACCOUNT).text)
    assert panel.xpath(".//form[@action='/subscribe/account']//button")

    answer = one_click(client, "weekly")

    assert answer.status_code == 303
    assert answer.headers["Location"].endswith("/auth/account#subscription")
    assert [mail.to for mail in outbox] == [user.email]
    row = subscriber(app, user.email)
    assert (row.state, row.user_id, row.frequency) == (
        SubscriberState.PENDING,
        user.id,
        Frequency.WEEKLY,
    )
    page = client.get(ACCOUNT).text
    assert "Check your inbox" in page  # the flash

    client.get(link_in(outbox[0], "confirm"))

    assert subscriber(app, user.email).state is SubscriberState.CONFIRMED
    panel = section(client.get(ACCOUNT).text)
    assert "You are subscribed" not in panel.text_content()
    assert not panel.xpath(".//a[contains(@href, '/subscribe/manage/')]")


def test_the_account_button_needs_its_choice_and_a_csrf_token(app_factory) -> None:
    app = app_factory(WTF_CSRF_ENABLED=True)
    with app.app_context():
        user = make_user()
    client = app.test_client()
    app.config["WTF_CSRF_ENABLED"] = False
    log_in(client, user)
    app.config["WTF_CSRF_ENABLED"] = True

    assert one_click(client).status_code == 400  # no token

    page = client.get(ACCOUNT).text
    token = section(page).xpath(".//input[@name='csrf_token']")[0].get("value")
    without_choice = client.post("/subscribe/account", data={"csrf_token": token})

    assert without_choice.status_code == 303
    assert subscriber(app, user.email) is None
    assert app.extensions["blog.outbox"] == []

    client.post(
        "/subscribe/account", data={"csrf_token": token, "frequency": "each_post"}
    )

    assert subscriber(app, user.email).state is SubscriberState.PENDING


def test_an_anonymous_visitor_is_sent_to_log_in(app, client, outbox) -> None:
    answer = one_click(client)

    assert answer.status_code == 302
    assert "/auth/login" in answer.headers["Location"]
    assert outbox == []


def test_a_subscription_someone_else_started_is_not_shown_to_the_account(
    app, client_as, outbox
) -> None:
    """The account's address is unverified: its holder learns nothing of the
    address's subscription, and gets no hold on it. The address's owner gets
    their manage link by mail, as from the public form."""
    client, user = client_as(Role.READER)
    add_subscriber(app, user.email, SubscriberState.CONFIRMED)

    one_click(client, "weekly")

    row = subscriber(app, user.email)
    assert (row.user_id, row.frequency) == (None, Frequency.EACH_POST)
    panel = section(client.get(ACCOUNT).text)
    assert "You are subscribed" not in panel.text_content()
    assert panel.xpath(".//form[@action='/subscribe/account']")
    assert "It is subscribed already" in outbox[0].body


def test_an_imported_author_s_placeholder_address_is_refused(app, outbox) -> None:
    with app.app_context():
        user = make_user(email="ada@authors.invalid", role=Role.AUTHOR)
    client = log_in(app.test_client(), user)

    one_click(client)

    assert "not an e-mail address we can write to" in client.get(ACCOUNT).text
    assert subscriber(app, user.email) is None
    assert outbox == []


def test_a_request_from_the_public_form_takes_the_row_from_the_account(
    app, client_as, outbox, clock
) -> None:
    """Whoever asked last is who the confirmation answers: an account that
    registered someone else's address loses its hold when the address's
    owner asks from the public form."""
    client, user = client_as(Role.READER)
    one_click(client)
    clock.advance(timedelta(hours=1))

    subscribe(app.test_client(), user.email)
    app.test_client().get(link_in(outbox[-1], "confirm"))

    assert subscriber(app, user.email).user_id is None
    assert "You are subscribed" not in section(client.get(ACCOUNT).text).text_content()
