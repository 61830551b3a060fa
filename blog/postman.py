"""Handing mail to the SMTP server: one connection for a run of messages,
paced to BLOG_MAIL_RATE, DKIM-signed when configured, and each SMTP answer
read as sent, deferred (4xx, down: try later) or refused (5xx: never)."""

from __future__ import annotations

import logging
import re
import smtplib
import socket
import threading
import time
from collections.abc import Callable
from types import TracebackType

from flask import current_app

from blog.mail_message import Mail, build_message, signed

log = logging.getLogger(__name__)

SMTP_TIMEOUT_SECONDS = 10
LEADING_DOT = re.compile(rb"^\.", re.MULTILINE)
ENHANCED_STATUS = re.compile(r"\s*5\.\d{1,3}\.\d{1,3}\b")
MAILBOX_STATUS = re.compile(r"\s*5\.[12]\.\d{1,3}\b")


class MailDeferred(Exception):
    """The server could not take it now (4xx, down, timed out): try later.
    `recipient`: it deferred this address only (a 4xx to RCPT TO)."""

    def __init__(self, reason: str, *, recipient: bool = False) -> None:
        super().__init__(reason)
        self.recipient = recipient


class MailRefused(Exception):
    """The server refused it for good (5xx). `bounce`: it refused this
    recipient's address. `message_only`: it refused this message (too big,
    taken for spam), not the address and not us: the next one may go."""

    def __init__(self, reason: str, *, bounce: bool, message_only: bool = False):
        super().__init__(reason)
        self.bounce = bounce
        self.message_only = message_only


class Pacer:
    """At most BLOG_MAIL_RATE mails a second from this process, however many
    threads send: each takes the next free slot and sleeps until it."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.next_slot = 0.0

    def wait_turn(self, rate: float) -> None:
        with self.lock:
            now = time.monotonic()
            slot = max(now, self.next_slot)
            self.next_slot = slot + 1 / rate
        if slot > now:
            time.sleep(slot - now)


pacer = Pacer()


class Postman:
    """One SMTP connection for a run of messages (a mailing sends thousands
    through one), opened on the first message. Without BLOG_MAIL_SERVER the
    messages go to the log, or to the tests' outbox."""

    def __init__(self) -> None:
        self.config = current_app.config
        self.outbox: list[Mail] | None = current_app.extensions.get("blog.outbox")
        self.smtp: smtplib.SMTP | None = None

    def __enter__(self) -> Postman:
        return self

    def __exit__(
        self,
        _type: type[BaseException] | None,
        _error: BaseException | None,
        _traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (OSError, smtplib.SMTPException):
                self.smtp.close()
            self.smtp = None

    def drop(self) -> None:
        """Close the connection without a word (no QUIT, no final ".")."""
        if self.smtp is not None:
            self.smtp.close()
            self.smtp = None

    def send(self, mail: Mail, checkpoint: Callable[[], None] = lambda: None) -> None:
        """Hand over one message; raises MailDeferred or MailRefused.

        `checkpoint` runs when the whole message is on the wire and only the
        final "." is left to send: the caller records it sent there. A kill
        before the "." leaves the server nothing (the recipient is retried);
        after it, the record is already made (nobody gets it twice). If the
        server then refuses, it raises as usual and the caller undoes its record.
        If `checkpoint` raises, the message is not sent: its error is raised."""
        if not self.config["MAIL_SERVER"]:
            checkpoint()
            if self.outbox is not None:
                self.outbox.append(mail)
            else:
                log.info(
                    "mail (no BLOG_MAIL_SERVER set) to %s: %s", mail.to, mail.subject
                )
                log.info("%s", mail.body)
            return
        pacer.wait_turn(self.config["MAIL_RATE"])
        message = signed(build_message(mail, self.config), self.config)

        def checkpoint_or_drop() -> None:
            try:
                checkpoint()
            except BaseException:
                # The caller must not send it (another consumer did): drop
                # the connection before the final ".", so the server
                # discards the message, and raise the caller's error.
                self.drop()
                raise

        try:
            self.hand_over(mail.to, message, checkpoint_or_drop)
        except smtplib.SMTPRecipientsRefused as error:
            code, answer = next(iter(error.recipients.values()))
            raise refusal(code, answer, recipient=True) from error
        except smtplib.SMTPSenderRefused as error:
            raise refusal(error.smtp_code, error.smtp_error, recipient=False) from error
        except smtplib.SMTPResponseException as error:
            self.close()
            # After DATA. A 4xx may be the server's state: the whole run
            # waits. A 5xx names its reason in an enhanced code (RFC 3463):
            # 5.1.x and 5.2.x are the mailbox (bounced); anything else, the
            # message (552 5.3.4 too big, 554 5.7.1 spam), which must not
            # bounce every reader at that provider.
            raise refused_at_data(error.smtp_code, error.smtp_error) from error
        except (OSError, smtplib.SMTPException) as error:
            self.close()
            raise MailDeferred(f"{type(error).__name__}: {error}") from error

    def hand_over(
        self, to: str, message: bytes, checkpoint: Callable[[], None]
    ) -> None:
        reused = self.smtp is not None
        try:
            transmit(
                self.connection(), self.config["MAIL_SENDER"], to, message, checkpoint
            )
        except smtplib.SMTPServerDisconnected as error:
            if not reused or getattr(error, "after_checkpoint", False):
                raise
            # The server closed an idle connection between two messages.
            self.close()
            transmit(
                self.connection(), self.config["MAIL_SENDER"], to, message, checkpoint
            )

    def connection(self) -> smtplib.SMTP:
        if self.smtp is None:
            try:
                self.smtp = self.open()
            except smtplib.SMTPResponseException as error:
                # A refused greeting, EHLO, STARTTLS or login (a wrong
                # password, our address blocked) is about us, never about
                # the recipient: later, and no subscriber bounced for it.
                text = error.smtp_error
                if isinstance(text, bytes):
                    text = text.decode(errors="replace")
                raise MailDeferred(
                    f"the server refused the session: {error.smtp_code} {text}"
                ) from error
        return self.smtp

    def open(self) -> smtplib.SMTP:
        config = self.config
        smtp = smtplib.SMTP(
            config["MAIL_SERVER"], config["MAIL_PORT"], timeout=SMTP_TIMEOUT_SECONDS
        )
        try:
            # transmit() writes the message and its final "." apart: with
            # Nagle's algorithm the "." waits for the server's delayed ACK,
            # 40 ms a message (17 mails a second, measured).
            if smtp.sock is not None:
                smtp.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            smtp.ehlo_or_helo_if_needed()
            if config["MAIL_USE_TLS"]:
                smtp.starttls()
            if config["MAIL_USERNAME"]:
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        except BaseException:
            smtp.close()
            raise
        return smtp


def transmit(
    smtp: smtplib.SMTP,
    sender: str,
    to: str,
    message: bytes,
    checkpoint: Callable[[], None],
) -> None:
    """smtplib's sendmail() in its steps, to run `checkpoint` just before the
    final "." (smtplib has no hook there). Raises smtplib's own errors."""
    smtp.ehlo_or_helo_if_needed()
    code, answer = smtp.mail(sender)
    if code != 250:
        smtp.rset()
        raise smtplib.SMTPSenderRefused(code, answer, sender)
    code, answer = smtp.rcpt(to)
    if code not in (250, 251):
        smtp.rset()
        raise smtplib.SMTPRecipientsRefused({to: (code, answer)})
    code, answer = smtp.docmd("DATA")
    if code != 354:
        smtp.rset()
        raise smtplib.SMTPDataError(code, answer)
    stuffed = LEADING_DOT.sub(b"..", message)
    smtp.send(stuffed if stuffed.endswith(b"\r\n") else stuffed + b"\r\n")
    checkpoint()
    try:
        smtp.send(b".\r\n")
        code, answer = smtp.getreply()
    except smtplib.SMTPServerDisconnected as error:
        error.after_checkpoint = True  # type: ignore[attr-defined]
        raise
    if code != 250:
        raise smtplib.SMTPDataError(code, answer)


def refused_at_data(code: int, answer: bytes | str) -> Exception:
    text = answer.decode(errors="replace") if isinstance(answer, bytes) else answer
    if not 500 <= code < 600:
        return refusal(code, answer, recipient=False)
    if MAILBOX_STATUS.match(text) or not ENHANCED_STATUS.match(text):
        return refusal(code, answer, recipient=True)
    return MailRefused(f"{code} {text}".strip(), bounce=False, message_only=True)


def refusal(code: int, answer: bytes | str, *, recipient: bool) -> Exception:
    text = answer.decode(errors="replace") if isinstance(answer, bytes) else answer
    reason = f"{code} {text}".strip()
    if 500 <= code < 600:
        return MailRefused(reason, bounce=recipient)
    return MailDeferred(reason, recipient=recipient)
