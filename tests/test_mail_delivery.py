"""Single mails (a reply notification, a confirmation) through a real SMTP
server: multipart, retried while the server is away, refused for good on a
5xx, and signed with DKIM when the owner set it up."""

from __future__ import annotations

import base64
import subprocess
from datetime import timedelta

import dkim

from blog.extensions import db
from blog.jobs.runner import run_due_jobs
from blog.mail import send_mail
from blog.models import Job, JobState, Subscriber, SubscriberState
from tests.newsletter_helpers import make_subscribers


def test_a_mail_is_multipart_with_the_text_and_its_html(mail_app, smtp_server) -> None:
    with mail_app.test_request_context():
        send_mail("ann@example.org", "Hello", "See https://blog.test/x.\n\nBye <b>.")

    [message] = smtp_server.messages
    assert message.get_content_type() == "multipart/alternative"
    html = message.get_body(("html",)).get_content()
    assert '<a href="https://blog.test/x">https://blog.test/x</a>.' in html
    assert "Bye &lt;b&gt;." in html
    assert message["Message-ID"].endswith("@blog.test>")


def test_a_mail_waits_while_the_server_is_down_and_goes_when_it_is_back(
    mail_app, smtp_server, clock
) -> None:
    smtp_server.stop()
    with mail_app.test_request_context():
        send_mail("ann@example.org", "Patience", "Later.")
        [queued] = db.session.scalars(db.select(Job)).all()
        assert (queued.state, queued.attempts) == (JobState.PENDING, 1)
        assert "ConnectionRefusedError" in queued.last_error

        smtp_server.start()
        clock.advance(timedelta(seconds=16))
        run_due_jobs()

    assert [message["Subject"] for message in smtp_server.messages] == ["Patience"]


def test_a_deferred_address_is_retried_and_a_refused_one_bounced(
    mail_app, smtp_server, clock
) -> None:
    smtp_server.mailbox.deferred.add("busy@example.org")
    smtp_server.mailbox.refused.add("gone0@example.org")
    with mail_app.test_request_context():
        [address] = make_subscribers(1, prefix="gone", state=SubscriberState.PENDING)
        gone_id = db.session.scalar(Subscriber.select_by_email(address)).id
        send_mail("busy@example.org", "Soon", "Soon.")
        send_mail(address, "Never", "Never.", subscriber_id=gone_id)
        assert smtp_server.messages == []

        smtp_server.mailbox.deferred.clear()
        clock.advance(timedelta(minutes=5))
        run_due_jobs()
        db.session.expire_all()  # the queue wrote behind the session's back
        states = {job.key: job.state for job in db.session.scalars(db.select(Job))}
        gone = db.session.get(Subscriber, gone_id)

    assert [message["To"] for message in smtp_server.messages] == ["busy@example.org"]
    assert sorted(states.values()) == [JobState.DONE, JobState.FAILED]
    assert gone.state is SubscriberState.BOUNCED
    assert gone.bounce_reason.startswith("550")


def test_mail_is_signed_with_dkim_when_the_owner_set_it_up(
    app_factory, smtp_server, tmp_path
) -> None:
    key = tmp_path / "dkim.pem"
    subprocess.run(  # noqa: S603
        ["openssl", "genrsa", "-out", str(key), "2048"], check=True, capture_output=True
    )
    public = subprocess.run(  # noqa: S603
        ["openssl", "rsa", "-in", str(key), "-pubout", "-outform", "DER"],
        check=True,
        capture_output=True,
    ).stdout
    app = app_factory(
        **smtp_server.settings(),
        DKIM_DOMAIN="blog.test",
        DKIM_SELECTOR="mail",
        DKIM_PRIVATE_KEY_PATH=str(key),
    )
    with app.test_request_context():
        send_mail("ann@example.org", "Signed", "By us.")

    [received] = smtp_server.mailbox.received
    record = b"v=DKIM1; k=rsa; p=" + base64.b64encode(public)

    def dns(name: bytes, timeout: int = 5) -> bytes:
        assert name == b"mail._domainkey.blog.test."
        return record

    assert received.data.startswith(b"DKIM-Signature:")
    assert dkim.verify(received.data, dnsfunc=dns)
    assert not dkim.verify(received.data.replace(b"By us.", b"By them."), dnsfunc=dns)
