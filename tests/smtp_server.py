"""A real SMTP server for the tests (aiosmtpd) on 127.0.0.1: mail goes out
over a socket through smtplib exactly as in production, never a mock.

It keeps every message it accepted, and can refuse an address for good
(550 at RCPT TO), defer one (451), or be stopped and started on its port to
play a server that is down for a while.
"""

from __future__ import annotations

import socket
import threading
from collections import Counter
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller


@dataclass
class Received:
    recipients: list[str]
    data: bytes

    @property
    def message(self) -> EmailMessage:
        return message_from_bytes(self.data, policy=policy.default)  # type: ignore[return-value]


@dataclass
class Mailbox:
    """The handler: what the server says to each address, and what it took."""

    received: list[Received] = field(default_factory=list)
    refused: set[str] = field(default_factory=set)
    deferred: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(self, server, session, envelope, address, options):  # noqa: ANN001, N802
        if address in self.refused:
            return "550 5.1.1 No such mailbox"
        if address in self.deferred:
            return "451 4.3.0 Mailbox busy, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: ANN001, N802
        with self.lock:
            self.received.append(Received(list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SMTPServer:
    def __init__(self) -> None:
        self.port = free_port()
        self.mailbox = Mailbox()
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def messages(self) -> list[EmailMessage]:
        with self.mailbox.lock:
            return [received.message for received in self.mailbox.received]

    def count_by_recipient(self) -> Counter[str]:
        with self.mailbox.lock:
            return Counter(
                address
                for received in self.mailbox.received
                for address in received.recipients
            )

    def settings(self) -> dict[str, object]:
        """The blog's settings that send mail here."""
        return {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": self.port}
