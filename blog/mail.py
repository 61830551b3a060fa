"""Outgoing mail: SMTP when BLOG_MAIL_SERVER is set, else the log."""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

from flask import current_app

from blog.background import run_in_background

log = logging.getLogger(__name__)

SMTP_TIMEOUT_SECONDS = 10


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    body: str


def send_mail(to: str, subject: str, body: str) -> None:
    """Send one plain-text message, in the background. A failure is logged,
    never raised: no page should fail because a mail server is down."""
    mail = Mail(to=to, subject=subject, body=body)
    config = current_app.config
    outbox = current_app.extensions.get("blog.outbox")
    if outbox is not None:  # tests capture mail here
        outbox.append(mail)
    elif not config["MAIL_SERVER"]:
        log.info("mail (no BLOG_MAIL_SERVER set) to %s: %s\n%s", to, subject, body)
    else:
        # Off the request: a slow mail server must not hold a page, nor the
        # database lock a writing request may hold.
        settings = {key: config[key] for key in SMTP_SETTINGS}
        run_in_background(deliver, mail, settings)


SMTP_SETTINGS = (
    "MAIL_SERVER",
    "MAIL_PORT",
    "MAIL_USERNAME",
    "MAIL_PASSWORD",
    "MAIL_USE_TLS",
    "MAIL_SENDER",
)


def deliver(mail: Mail, config: dict[str, Any]) -> bool:
    """Send one message over SMTP; True when the server took it."""
    try:
        send_over_smtp(mail, config)
    except (OSError, smtplib.SMTPException):
        log.exception("could not send mail to %s: %s", mail.to, mail.subject)
        return False
    return True


def send_over_smtp(mail: Mail, config: dict[str, Any]) -> None:
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
