"""The whole story over a real SMTP server, on an https site: a reader
subscribes from an article, confirms, gets the next article once, leaves
with the one click their mail client offers, and gets nothing more. Every
mail on the way passes the structural check providers and readers need."""

from __future__ import annotations

import re
from datetime import timedelta
from email.message import EmailMessage
from urllib.parse import urlsplit

from lxml import html

from blog.extensions import db
from blog.jobs.runner import run_due_jobs
from blog.models import Article, Frequency, User
from tests.backup_helpers import add_upload
from tests.factories import make_article
from tests.newsletter_helpers import an_author, make_subscribers, publish

SITE = "https://blog.example.org"


def check_structure(message: EmailMessage) -> str:
    """Fail unless the mail is what providers accept and readers can trust;
    its HTML, for further checks."""
    assert message.get_content_type() == "multipart/alternative", message
    plain, rich = message.get_body(("plain",)), message.get_body(("html",))
    assert plain is not None and rich is not None
    for header in ("Message-ID", "Date", "From", "To", "Subject", "List-Id"):
        assert message[header], header
    unsubscribe = re.findall(r"<([^>]+)>", message["List-Unsubscribe"])
    assert [link.split(":")[0] for link in unsubscribe] == ["https", "mailto"]
    assert unsubscribe[0].startswith(f"{SITE}/unsubscribe/")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    page = rich.get_content()
    tree = html.fromstring(page)
    assert not tree.xpath("//script | //iframe | //link | //object | //embed")
    assert "javascript:" not in page.lower()
    for image in tree.xpath("//img"):
        assert image.get("src", "").startswith("cid:"), image.get("src")
        assert image.get("alt"), "every image says what it shows"
    assert "url(" not in page, "no image from a style sheet"
    # Absolute https links; the site's own on BLOG_SITE_URL (an author's
    # link to another site stays theirs).
    links = tree.xpath("//a/@href") + re.findall(r"https?://\S+", plain.get_content())
    for link in links:
        assert link.startswith("https://"), link
        if "blog" in urlsplit(link).hostname:
            assert link.startswith(f"{SITE}/"), link
    return page


def test_a_reader_subscribes_confirms_reads_once_and_leaves_in_one_click(
    app_factory, smtp_server, clock
) -> None:
    app = app_factory(**smtp_server.settings(), MAIL_RATE=1000, SITE_URL=SITE)
    client = app.test_client()
    with app.app_context():
        author = an_author()
        author_id = author.id
        picture = add_upload(app, author)
        make_article(slug="tides", author=author)
    page = html.fromstring(client.get("/articles/tides").text)
    form = page.xpath("//form[@action='/subscribe']")[0]

    client.post(form.get("action"), data={"email": "Reader@Example.org"})

    [confirmation] = smtp_server.messages
    assert confirmation["To"] == "reader@example.org"
    check_structure(confirmation)
    confirm = re.search(rf"{SITE}(/subscribe/confirm/\S+)", body_of(confirmation))
    assert client.get(confirm[1]).status_code == 200

    body = (
        f"The sea came in.\n\n![A red square](/uploads/{picture})\n\n"
        "![A far photo](https://elsewhere.example/far.png)\n\n[More](/about)\n"
    )
    publish(app, "High water", author_id=author_id, body=body)

    [article_mail] = smtp_server.messages[1:]
    assert article_mail["Subject"] == "High water"
    page = check_structure(article_mail)
    assert "The sea came in." in page and "High water" in page
    images = [
        part for part in article_mail.walk() if part.get_content_maintype() == "image"
    ]
    assert [image["Content-ID"] for image in images] == [f"<image1.{picture}>"]
    assert 'href="https://elsewhere.example/far.png"' not in page.split("<body")[0]

    unsubscribe = re.findall(r"<([^>]+)>", article_mail["List-Unsubscribe"])[0]
    one_click = app.test_client()  # a mail client: no cookie, no token
    answer = one_click.post(
        urlsplit(unsubscribe).path,
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert answer.status_code == 200
    publish(app, "Low water", author_id=author_id)

    assert smtp_server.count_by_recipient() == {"reader@example.org": 2}


def test_the_weekly_digest_goes_out_once_at_its_hour_with_the_weeks_articles(
    app_factory, smtp_server, clock
) -> None:
    app = app_factory(
        **smtp_server.settings(),
        MAIL_RATE=1000,
        SITE_URL=SITE,
        TIMEZONE="Europe/Paris",
        DIGEST_WEEKDAY="friday",
        DIGEST_HOUR=7,
    )
    with app.app_context():
        author_id = an_author().id
        weekly = make_subscribers(2, prefix="weekly", frequency=Frequency.WEEKLY)
        make_subscribers(1, prefix="each")
    # Thursday 2026-12-03, noon in Paris: two articles this week.
    clock.now = clock.now.replace(year=2026, month=12, day=3, hour=11, minute=0)
    publish(app, "Monday's", author_id=author_id, at=clock.now - timedelta(days=3))
    publish(app, "Thursday's", author_id=author_id, mail=False)
    smtp_server.mailbox.received.clear()

    def sweep_at(hours: float) -> None:
        clock.now = clock.now + timedelta(hours=hours)
        with app.test_request_context():
            run_due_jobs()

    sweep_at(18)  # Friday 06:00 in Paris: not yet
    assert smtp_server.messages == []
    sweep_at(1.01)  # 07:00:36, the hour
    sweep_at(0.5)
    sweep_at(24 * 3)  # days later: that week is done

    assert smtp_server.count_by_recipient() == {address: 1 for address in weekly}
    digest = smtp_server.messages[0]
    assert digest["Subject"] == "This week on Test Blog"
    page = check_structure(digest)
    assert "Monday’s" in page or "Monday's" in page
    assert "Thursday" in page

    sweep_at(24 * 4)  # the next Friday: nothing new was published
    assert len(smtp_server.messages) == 2


def body_of(message: EmailMessage) -> str:
    return message.get_body(("plain",)).get_content()


def test_a_test_mail_goes_to_the_author_only_and_says_so(
    app_factory, smtp_server
) -> None:
    from blog.newsletter.test_mail import send_test_mail

    app = app_factory(**smtp_server.settings(), MAIL_RATE=1000, SITE_URL=SITE)
    with app.app_context():
        make_subscribers(2)
        article_id = make_article(slug="draft-ish", author=an_author()).id
    with app.test_request_context():
        article = db.session.get(Article, article_id)
        send_test_mail(article, db.session.get(User, article.author_id))

    [mail] = smtp_server.messages
    assert mail["To"] == "author@example.com"
    assert mail["Subject"].startswith("[Test] ")
    assert mail["List-Unsubscribe"] is None  # the author is on no list
