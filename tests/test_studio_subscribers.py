"""The owner sees who follows by e-mail, takes the list away as CSV, and
erases a follower who asks."""

from __future__ import annotations

import csv
import io

from lxml import html

from blog.extensions import db
from blog.models import Delivery, Frequency, Mailing, MailingKind, Role, Subscriber
from blog.models import SubscriberState as State
from tests.newsletter_helpers import make_subscribers


def add_followers(app) -> None:
    with app.app_context():
        make_subscribers(3, prefix="each")
        make_subscribers(2, prefix="week", frequency=Frequency.WEEKLY)
        make_subscribers(1, prefix="wait", state=State.PENDING)
        make_subscribers(1, prefix="gone", state=State.UNSUBSCRIBED)
        make_subscribers(1, prefix="=cmd|'/c calc'!", state=State.BOUNCED)


def test_an_admin_sees_the_counts_and_searches(app, admin) -> None:
    add_followers(app)

    page = html.fromstring(admin.get("/studio/subscribers").text)
    counts = {
        term.text_content(): term.getnext().text_content()
        for term in page.xpath("//dl[@class='subscriber-counts']//dt")
    }
    assert counts == {
        "Confirmed": "5",
        "Every new article": "3",
        "Weekly digest": "2",
        "Waiting to confirm": "1",
        "Unsubscribed": "1",
        "Bounced": "1",
    }
    dates = {
        row.xpath("td")[0].text_content(): len(row.xpath(".//time"))
        for row in page.xpath("//table[contains(@class, 'subscribers')]/tbody/tr")
    }
    assert dates["week0@example.org"] == 2  # signed up, confirmed
    assert dates["wait0@example.org"] == 1  # signed up only
    found = admin.get("/studio/subscribers?q=WEEK").text
    assert "week0@example.org" in found and "each0@example.org" not in found
    waiting = admin.get("/studio/subscribers?state=pending").text
    assert "wait0@example.org" in waiting and "week0@example.org" not in waiting
    assert "Nobody matches." in admin.get("/studio/subscribers?q=%25_").text


def test_only_admins_see_subscribers(app, client_as) -> None:
    author, _ = client_as(Role.AUTHOR)
    for path in ("/studio/subscribers", "/studio/subscribers.csv"):
        assert author.get(path).status_code == 403


def test_the_csv_holds_everyone_and_no_formula(app, admin) -> None:
    add_followers(app)

    response = admin.get("/studio/subscribers.csv")

    assert response.headers["Content-Disposition"].startswith("attachment")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == 8
    assert {row["email"][:4] for row in rows} == {
        "each",
        "week",
        "wait",
        "gone",
        "'=cm",
    }
    weekly = next(row for row in rows if row["email"] == "week0@example.org")
    assert (weekly["state"], weekly["frequency"]) == ("confirmed", "weekly")
    assert weekly["confirmed_at"].endswith("+00:00")


def test_removing_a_follower_erases_the_address_and_keeps_the_counts(
    app, admin
) -> None:
    with app.app_context():
        [address] = make_subscribers(1, prefix="erase")
        follower = db.session.scalar(Subscriber.select_by_email(address))
        mailing = Mailing(key="digest:x", kind=MailingKind.DIGEST, sent_count=1)
        db.session.add(mailing)
        db.session.flush()
        db.session.add(Delivery(mailing_id=mailing.id, subscriber_id=follower.id))
        db.session.commit()
        follower_id = follower.id
    asked = admin.get(f"/studio/subscribers/{follower_id}/remove")
    assert "Remove erase0@example.org?" in asked.text

    done = admin.post(f"/studio/subscribers/{follower_id}/remove")

    assert done.status_code == 303
    with app.app_context():
        assert db.session.scalar(Subscriber.select_by_email(address)) is None
        assert db.session.scalar(db.select(Delivery)) is None
        assert db.session.scalar(db.select(Mailing.sent_count)) == 1
    assert admin.get(f"/studio/subscribers/{follower_id}/remove").status_code == 404
