"""The spam guard: rate limits, the honeypot, double posts."""

from __future__ import annotations

from datetime import timedelta

from lxml import html

from blog.models import Role
from tests.comment_helpers import comments_section, logged_in, post, stored
from tests.factories import make_article, make_user


def test_the_sixth_comment_in_a_minute_gets_429_and_others_may_still_post(
    app, client_as
) -> None:
    with app.app_context():
        make_article(slug="talk")
    chatty, _ = client_as(Role.READER)
    calm, _ = client_as(Role.READER)

    statuses = [post(chatty, "talk", f"Thought {n}").status_code for n in range(6)]

    assert statuses == [303] * 5 + [429]
    refused = post(chatty, "talk", "One more thought, kept")
    assert refused.status_code == 429
    assert "faster than this site allows" in refused.text
    textarea = html.fromstring(refused.text).xpath("//textarea[@name='body']")[0]
    assert textarea.text.strip() == "One more thought, kept"
    assert post(calm, "talk", "My first").status_code == 303
    assert len(stored(app)) == 6


def test_the_comment_rate_limit_comes_from_the_configuration(app_factory) -> None:
    app = app_factory(COMMENT_RATE_LIMIT="2/minute")
    with app.app_context():
        make_article(slug="talk")
        make_user(email="reader@example.com")
    client = logged_in(app, "reader@example.com")

    statuses = [post(client, "talk", f"Thought {n}").status_code for n in range(3)]

    assert statuses == [303, 303, 429]


def test_a_filled_in_honeypot_stores_nothing(app, client_as) -> None:
    with app.app_context():
        make_article(slug="talk")
    client, _ = client_as(Role.READER)

    page = client.get("/articles/talk").text
    refused = post(client, "talk", "Great post!", website="http://spam.example")

    trap = comments_section(page).xpath(".//div[@class='honeypot']")[0]
    assert trap.xpath(".//label")[0].text_content() == "Leave this field empty"
    assert trap.xpath(".//input/@name") == ["website"]
    assert not html.fromstring(page).xpath("//*[@style]")
    assert refused.status_code == 400
    assert stored(app) == []


def test_the_same_text_twice_within_ten_minutes_is_refused(
    app, client_as, clock
) -> None:
    with app.app_context():
        make_article(slug="talk")
        make_article(slug="other")
    client, _ = client_as(Role.READER)

    assert post(client, "talk", "Same words").status_code == 303
    again = post(client, "other", "  Same words\r\n")
    clock.advance(timedelta(minutes=10, seconds=1))
    later = post(client, "talk", "Same words")

    assert again.status_code == 400
    assert "You already posted this." in again.text
    assert "Same words" in comments_section(again.text).xpath(".//textarea")[0].text
    assert later.status_code == 303
    assert len(stored(app)) == 2


def test_control_characters_are_dropped_before_storing(app, client_as) -> None:
    app.config["COMMENT_MODERATION"] = "none"
    with app.app_context():
        make_article(slug="talk")
    client, _ = client_as(Role.READER)

    assert (
        post(client, "talk", "bell\x07 and nul\x00 gone\ttab kept").status_code == 303
    )

    assert stored(app)[0].body_markdown == "bell and nul gone\ttab kept"
