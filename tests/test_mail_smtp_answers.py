"""Review: what an SMTP answer says about a subscriber. Only a refusal of
the address itself may mark them bounced (and stop all their mail for
good): a wrong BLOG_MAIL_PASSWORD, or a refusal of the message (too big,
its content), is about us, not about them."""

from __future__ import annotations

import socket
import threading

import pytest

from blog.extensions import db
from blog.models import Subscriber, SubscriberState
from tests.newsletter_helpers import an_author, make_subscribers, publish


def states(app) -> set[SubscriberState]:
    with app.app_context():
        return set(db.session.scalars(db.select(Subscriber.state)))


class RefusingServer:
    """A minimal SMTP server that greets with `greeting`, offers AUTH, and
    refuses every login (535): a provider after its password changed."""

    def __init__(self, greeting: str = "220 ready") -> None:
        self.greeting = greeting
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self) -> None:
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self.talk, args=(connection,), daemon=True).start()

    def talk(self, connection: socket.socket) -> None:
        with connection, connection.makefile("rwb") as stream:
            stream.write(self.greeting.encode() + b"\r\n")
            stream.flush()
            for line in stream:
                verb = line.split()[0].upper() if line.split() else b""
                if verb in (b"EHLO", b"HELO"):
                    answer = b"250-refuser\r\n250 AUTH PLAIN LOGIN"
                elif verb == b"AUTH":
                    answer = b"535 5.7.8 Authentication credentials invalid"
                elif verb == b"QUIT":
                    stream.write(b"221 bye\r\n")
                    stream.flush()
                    return
                else:
                    answer = b"503 5.5.1 Authenticate first"
                stream.write(answer + b"\r\n")
                stream.flush()

    def close(self) -> None:
        self.listener.close()


@pytest.mark.parametrize(
    "greeting",
    ["220 ready", "554 5.7.1 Service unavailable; client host blocked"],
    ids=["wrong-password", "refused-connection"],
)
def test_a_server_refusing_us_bounces_no_subscriber(app_factory, greeting) -> None:
    server = RefusingServer(greeting)
    try:
        app = app_factory(
            MAIL_SERVER="127.0.0.1",
            MAIL_PORT=server.port,
            MAIL_USERNAME="blog",
            MAIL_PASSWORD="expired",  # noqa: S106 - a test's wrong password
            MAIL_RATE=1000,
        )
        with app.app_context():
            author_id = an_author().id
            make_subscribers(3)
        publish(app, "Nobody gets this yet", author_id=author_id)
    finally:
        server.close()

    assert states(app) == {SubscriberState.CONFIRMED}


def test_a_message_refused_at_data_for_its_size_bounces_no_subscriber(
    mail_app, smtp_server
) -> None:
    async def too_big(server, session, envelope):  # noqa: ANN001, ANN202
        return "552 5.3.4 Message size exceeds fixed maximum message size"

    smtp_server.mailbox.handle_DATA = too_big
    with mail_app.app_context():
        author_id = an_author().id
        make_subscribers(3)

    publish(mail_app, "With a large picture", author_id=author_id)

    assert states(mail_app) == {SubscriberState.CONFIRMED}


def test_a_mailing_that_gives_up_counts_its_failures_and_ends(
    app_factory, smtp_server, clock
) -> None:
    """One address deferred (451) at every try: once the job's attempts are
    spent, the studio's "sent to N, M failed" must count it, and the
    mailing must end, not stay "sending" for ever."""
    from datetime import timedelta

    from blog.models import Delivery, DeliveryState, Mailing
    from tests.newsletter_helpers import sweep

    app = app_factory(**smtp_server.settings(), MAIL_RATE=1000, JOB_MAX_ATTEMPTS=2)
    with app.app_context():
        author_id = an_author().id
        followers = make_subscribers(3)
    smtp_server.mailbox.deferred.add(followers[1])

    publish(app, "Busy mailbox", author_id=author_id)
    for _ in range(6):
        clock.advance(timedelta(hours=1))
        sweep(app)

    with app.app_context():
        mailing = db.session.scalar(db.select(Mailing))
        stuck = db.session.scalars(db.select(Delivery.state)).all()
        assert (mailing.sent_count, mailing.failed_count) == (2, 1)
        assert DeliveryState.PENDING not in stuck
        assert mailing.finished_at is not None
