"""A mail as it goes on the wire: the message built from a Mail (multipart
text and HTML, images inside, the site's headers), DKIM-signed when the
owner set it up."""

from __future__ import annotations

from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from email.utils import formatdate, make_msgid
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from blog.mail_html import html_from_text


@dataclass(frozen=True)
class InlineImage:
    """An image the HTML shows by cid:, sent inside the mail."""

    cid: str
    data: bytes
    content_type: str


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    # The plain-text part; `html` the other alternative ("" = made from it).
    body: str
    html: str = ""
    # Extra headers: List-Id, List-Unsubscribe, ...
    headers: tuple[tuple[str, str], ...] = field(default_factory=tuple)
    images: tuple[InlineImage, ...] = field(default_factory=tuple)


def build_message(mail: Mail, config: dict[str, Any]) -> bytes:
    message = EmailMessage()
    message["From"] = config["MAIL_SENDER"]
    message["To"] = mail.to
    message["Subject"] = mail.subject
    message["Date"] = formatdate(usegmt=True)
    message["Message-ID"] = make_msgid(domain=site_domain(config))
    message["Auto-Submitted"] = "auto-generated"
    for name, value in mail.headers:
        message[name] = value
    message.set_content(mail.body)
    message.add_alternative(mail.html or html_from_text(mail.body), subtype="html")
    if mail.images:
        html_part = message.get_body(preferencelist=("html",))
        assert isinstance(html_part, EmailMessage)  # noqa: S101 - added just above
        for image in mail.images:
            maintype, _, subtype = image.content_type.partition("/")
            html_part.add_related(
                image.data,
                maintype,
                subtype,
                cid=f"<{image.cid}>",
                disposition="inline",
            )
    return message.as_bytes(policy=SMTP_POLICY)


def site_domain(config: dict[str, Any]) -> str:
    return urlsplit(config["SITE_URL"]).hostname or "localhost"


def signed(message: bytes, config: dict[str, Any]) -> bytes:
    """DKIM-signed when BLOG_DKIM_DOMAIN, _SELECTOR and _PRIVATE_KEY_PATH are set."""
    settings = (
        config["DKIM_DOMAIN"],
        config["DKIM_SELECTOR"],
        config["DKIM_PRIVATE_KEY_PATH"],
    )
    if not all(settings):
        return message
    import dkim

    domain, selector, key_path = settings
    signature = dkim.sign(
        message,
        selector.encode(),
        domain.encode(),
        Path(key_path).read_bytes(),
        include_headers=[
            b"From",
            b"To",
            b"Subject",
            b"Date",
            b"Message-ID",
            b"List-Id",
            b"List-Unsubscribe",
            b"List-Unsubscribe-Post",
        ],
    )
    return bytes(signature) + message
