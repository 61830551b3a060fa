"""Nobody can use the subscribe form to flood an inbox or the mail server:
requests are limited per client address and per address typed. The limits
count in the blog's real counter store (the test's instance folder), with
no stand-in."""

from __future__ import annotations

from lxml import html

from tests.test_auth import client_from
from tests.test_subscriptions import subscribe, subscriber


def explanation(page: str) -> str:
    return " ".join(html.fromstring(page).xpath("//main")[0].text_content().split())


def test_the_fourth_request_for_one_address_in_an_hour_gets_429(app, outbox) -> None:
    clients = [client_from(app, f"10.0.0.{n}") for n in range(4)]
    typed = [
        "ann@example.com",
        "Ann@Example.com",
        " ANN@example.com ",
        "ann@example.com",
    ]

    answers = [
        subscribe(client, email) for client, email in zip(clients, typed, strict=True)
    ]

    assert [answer.status_code for answer in answers] == [200, 200, 200, 429]
    refused = answers[-1]
    assert "This address was asked for several times in the last hour" in (
        explanation(refused.text)
    )
    assert 0 < int(refused.headers["Retry-After"]) <= 3600
    assert len(outbox) == 1  # and the hourly rule sent one mail of the three


def test_the_eleventh_request_from_one_client_in_an_hour_gets_429(app, outbox) -> None:
    client = client_from(app, "10.0.0.9")

    statuses = [
        subscribe(client, f"reader{n}@example.com").status_code for n in range(11)
    ]

    assert statuses == [200] * 10 + [429]
    refused = subscribe(client, "one-more@example.com")
    assert refused.status_code == 429
    assert "Too many subscription requests came from your network" in (
        explanation(refused.text)
    )
    assert subscriber(app, "one-more@example.com") is None
    assert len(outbox) == 10
    # Another client is not held back by this one.
    assert subscribe(client_from(app, "10.0.0.10"), "x@example.com").status_code == 200


def test_a_refused_address_counts_too(app) -> None:
    """Bad input is counted like any request: probing costs the same."""
    client = client_from(app, "10.0.0.11")

    statuses = [subscribe(client, "not an address").status_code for _ in range(4)]

    assert statuses == [400, 400, 400, 429]
