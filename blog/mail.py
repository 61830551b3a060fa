"""Outgoing mail: SMTP when BLOG_MAIL_SERVER is set, else the log."""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage

from flask import current_app

log = logging.getLogger(__name__)

SMTP_TIMEOUT_SECONDS = 10


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    body: str


def send_mail(to: str, subject: str, body: str) -> None:
    """Send one plain-text message. A failure is logged, never raised: no page
    should fail because a mail server is down."""
    mail = Mail(to=to, subject=subject, body=body)
    config = current_app.config
    outbox = current_app.extensions.get("blog.outbox")
    if outbox is not None:  # tests capture mail here
        outbox.append(mail)
    elif not config["MAIL_SERVER"]:
        log.info("mail (no BLOG_MAIL_SERVER set) to %s: %s\n%s", to, subject, body)
    else:
        try:
            deliver(mail)
        except (OSError, smtplib.SMTPException):
            log.exception("could not send mail to %s: %s", to, subject)


def deliver(mail: Mail) -> None:
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["MAIL_SENDER"]
    message["To"] = mail.to
    message["Subject"] = mail.subject
    message.set_content(mail.body)
    with smtplib.SMTP(
        config["MAIL_SERVER"], config["MAIL_PORT"], timeout=SMTP_TIMEOUT_SECONDS
    ) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(message)
