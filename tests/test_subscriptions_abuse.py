"""Review: what an account registered at someone else's address (this blog
does not verify accounts' addresses) learns of, or holds on, that address's
subscription; and hostile inputs to the subscription routes."""

from __future__ import annotations

from datetime import timedelta

from blog.models import Role, SubscriberState
from tests.conftest import log_in
from tests.factories import make_user
from tests.test_subscriptions import add_subscriber, link_in, subscribe, subscriber
from tests.test_subscriptions_account import ACCOUNT, one_click, section


def account_at(app, email: str):
    with app.app_context():
        user = make_user(email=email, role=Role.READER)
    return log_in(app.test_client(), user)


def test_the_account_page_does_not_tell_whether_its_address_is_subscribed(
    app, outbox
) -> None:
    """Two throwaway accounts at two victims' addresses, one subscribed, one
    not: after the same click, their account pages must read the same."""
    add_subscriber(app, "subscribed@example.com", SubscriberState.CONFIRMED)
    subscribed = account_at(app, "subscribed@example.com")
    stranger = account_at(app, "stranger@example.com")

    one_click(subscribed)
    one_click(stranger)

    def panel(client) -> str:
        text = " ".join(section(client.get(ACCOUNT).text).text_content().split())
        return text.replace("subscribed@", "X@").replace("stranger@", "X@")

    assert panel(subscribed) == panel(stranger)


def test_an_account_at_someone_s_address_gets_no_hold_on_their_subscription(
    app, client, outbox, clock
) -> None:
    """The owner asked from the public form, and has not confirmed yet. An
    account registered at their address clicks on its account page an hour
    later. The owner then confirms with the link of their own request: the
    account must not end up holding (seeing, changing, ending) their
    subscription."""
    subscribe(client, "owner@example.com")
    own_link = link_in(outbox[0], "confirm")
    clock.advance(timedelta(hours=1))
    squatter = account_at(app, "owner@example.com")
    one_click(squatter)

    client.get(own_link)  # the owner confirms their own request

    assert subscriber(app, "owner@example.com").state is SubscriberState.CONFIRMED
    panel = section(squatter.get(ACCOUNT).text)
    assert "You are subscribed" not in panel.text_content()
    assert not panel.xpath(".//a[contains(@href, '/subscribe/manage/')]")


def test_requests_at_the_same_moment_send_one_mail_an_hour(app, clock) -> None:
    """Two requests for one pending address at the same moment (two web
    workers): the hourly limit must still let one mail through, not two.
    SQLite's writers take turns; PostgreSQL's read the row side by side."""
    import threading

    from blog.subscriptions import services

    outbox = app.extensions["blog.outbox"]
    subscribe(app.test_client(), "twice@example.com")
    clock.advance(timedelta(hours=2))
    outbox.clear()
    both_read = threading.Barrier(2)
    may_mail = services.may_mail

    def read_side_by_side(row) -> bool:  # noqa: ANN001
        answer = may_mail(row)
        try:
            both_read.wait(timeout=3)  # SQLite: the other waits for the lock
        except threading.BrokenBarrierError:
            pass
        return answer

    services.may_mail = read_side_by_side
    try:
        threads = [
            threading.Thread(
                target=lambda: subscribe(app.test_client(), "twice@example.com")
            )
            for _ in range(2)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
    finally:
        services.may_mail = may_mail

    assert [mail.to for mail in outbox] == ["twice@example.com"]


def test_plus_address_variants_of_one_mailbox_share_the_address_limit(
    app, outbox
) -> None:
    """victim+1@, victim+2@, ... all land in victim@'s inbox (RFC 5233
    subaddresses): from a handful of clients, an attacker must not get more
    mail into that inbox than the per-address limit lets through."""
    from tests.test_auth import client_from

    answers = [
        subscribe(client_from(app, f"10.0.1.{n}"), f"victim+{n}@example.com")
        for n in range(6)
    ]

    assert [answer.status_code for answer in answers] == [200, 200, 200] + [429] * 3
    assert len(outbox) <= 3
