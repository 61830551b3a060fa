"""Outgoing mail. `send_mail()` enqueues a job in the caller's transaction;
the job hands the message to BLOG_MAIL_SERVER over SMTP (or, with none set,
writes it to the log). Every message is multipart/alternative: the text the
caller wrote, and the same as HTML when the caller gave none.

SMTP's answer decides what happens next: 2xx sent; 4xx, a refused
connection or a timeout are temporary (the job is retried with backoff);
5xx is permanent (recorded; a refused subscriber is marked bounced).
"""

from __future__ import annotations

import base64
import uuid
from typing import Any

from blog.jobs import (
    PermanentFailure,
    RunningJob,
    TemporaryFailure,
    enqueue,
    job_handler,
)
from blog.mail_message import InlineImage, Mail
from blog.postman import MailDeferred, MailRefused, Postman

__all__ = ["InlineImage", "Mail", "send_mail"]


def send_mail(
    to: str,
    subject: str,
    body: str,
    *,
    html: str = "",
    headers: tuple[tuple[str, str], ...] = (),
    key: str | None = None,
    subscriber_id: int | None = None,
    images: tuple[InlineImage, ...] = (),
) -> bool:
    """Queue one message, in the caller's write transaction if there is one.
    `key` makes a second call for the same message a no-op (False);
    `subscriber_id` is marked bounced if the server refuses the address."""
    payload = {
        "to": to,
        "subject": " ".join(subject.split()),  # a header holds no line break
        "body": body,
        "html": html,
        "headers": [list(pair) for pair in headers],
        "subscriber_id": subscriber_id,
        "images": [
            [image.cid, base64.b64encode(image.data).decode(), image.content_type]
            for image in images
        ],
    }
    return enqueue("mail", key or f"mail:{uuid.uuid4()}", payload)


def mail_from_payload(payload: dict[str, Any]) -> Mail:
    return Mail(
        to=str(payload["to"]),
        subject=str(payload["subject"]),
        body=str(payload["body"]),
        html=str(payload.get("html") or ""),
        headers=tuple((str(name), str(value)) for name, value in payload["headers"]),
        images=tuple(
            InlineImage(cid=cid, data=base64.b64decode(data), content_type=kind)
            for cid, data, kind in payload.get("images") or ()
        ),
    )


@job_handler("mail")
def deliver_job(job: RunningJob) -> None:
    mail = mail_from_payload(job.payload)
    try:
        with Postman() as postman:
            postman.send(mail)
    except MailDeferred as error:
        raise TemporaryFailure(str(error)) from error
    except MailRefused as error:
        subscriber_id = job.payload.get("subscriber_id")
        if error.bounce and isinstance(subscriber_id, int):
            from blog.subscriptions.services import mark_bounced

            mark_bounced(subscriber_id, str(error))
        raise PermanentFailure(str(error)) from error
