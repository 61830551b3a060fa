"""Settings for mail and the background job queue, read by blog/config.py."""

from __future__ import annotations

from typing import Any

QUEUE_CONSUMERS = ("embedded", "external")
QUEUE_MODES = ("huey", "immediate")
WEEKDAYS = (
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
)


class MailAndQueueSettings:
    # Outgoing mail server; empty = mail is written to the log instead.
    MAIL_SERVER = ""
    MAIL_PORT = 25
    MAIL_USERNAME = ""
    MAIL_PASSWORD = ""  # noqa: S105 - empty default, never a real secret
    MAIL_USE_TLS = False
    MAIL_SENDER = "blog@localhost"
    # The address in every mailing's List-Unsubscribe mailto: (the https link
    # beside it works by itself); empty = MAIL_SENDER.
    MAIL_UNSUBSCRIBE_ADDRESS = ""
    # Mails a second the consumer sends at most (a provider's sending limit).
    MAIL_RATE = 10.0
    # Sign mail with DKIM when all three are set: the domain (d=), the
    # selector (s=) and the path of the PEM private key.
    DKIM_DOMAIN = ""
    DKIM_SELECTOR = ""
    DKIM_PRIVATE_KEY_PATH = ""
    # When the weekly digest goes out, in BLOG_TIMEZONE.
    DIGEST_WEEKDAY = "monday"
    DIGEST_HOUR = 8
    # Who runs the queue's jobs. "embedded": a consumer thread inside `flask
    # run`, and in one gunicorn worker per host (gunicorn.conf.py), so one
    # command serves everything. "external": only `flask --app blog worker`.
    QUEUE_CONSUMER = "embedded"
    # "immediate" runs each job in the process that enqueued it, right after
    # the commit (tests); "huey" hands it to the consumer.
    QUEUE_MODE = "huey"
    # Threads of a consumer, each running one job at a time.
    QUEUE_THREADS = 2
    # The first retry of a temporary failure (SMTP 4xx, a timeout), doubled
    # at each attempt up to an hour; a job gives up after JOB_MAX_ATTEMPTS.
    JOB_RETRY_SECONDS = 15
    JOB_MAX_ATTEMPTS = 12
    # How long a consumer holds a job before another may take it over (a long
    # job renews it); a consumer killed mid-job is replaced after this.
    JOB_LEASE_SECONDS = 60


BOOLEAN_MAIL_SETTINGS = ("MAIL_USE_TLS",)
INTEGER_MAIL_SETTINGS = (
    "MAIL_PORT",
    "DIGEST_HOUR",
    "QUEUE_THREADS",
    "JOB_RETRY_SECONDS",
    "JOB_MAX_ATTEMPTS",
    "JOB_LEASE_SECONDS",
)
STRING_MAIL_SETTINGS = (
    "MAIL_SERVER",
    "MAIL_USERNAME",
    "MAIL_PASSWORD",
    "MAIL_SENDER",
    "MAIL_UNSUBSCRIBE_ADDRESS",
    "DKIM_DOMAIN",
    "DKIM_SELECTOR",
    "DKIM_PRIVATE_KEY_PATH",
    "DIGEST_WEEKDAY",
    "QUEUE_CONSUMER",
    "QUEUE_MODE",
)


def mail_setting_problems(config: dict[str, Any]) -> list[str]:
    """Coerce the mail and queue settings; name each value that cannot work."""
    config["MAIL_RATE"] = float(config["MAIL_RATE"])
    config["DIGEST_WEEKDAY"] = str(config["DIGEST_WEEKDAY"]).strip().lower()
    problems = []
    choices = {
        "QUEUE_CONSUMER": QUEUE_CONSUMERS,
        "QUEUE_MODE": QUEUE_MODES,
        "DIGEST_WEEKDAY": WEEKDAYS,
    }
    for key, allowed in choices.items():
        if config[key] not in allowed:
            problems.append(f"BLOG_{key} must be one of {', '.join(allowed)}")
    if not 0 <= config["DIGEST_HOUR"] <= 23:
        problems.append("BLOG_DIGEST_HOUR must be an hour from 0 to 23")
    if config["MAIL_RATE"] <= 0:
        problems.append("BLOG_MAIL_RATE must be a number of mails a second above 0")
    if config["QUEUE_THREADS"] < 1 or config["JOB_MAX_ATTEMPTS"] < 1:
        problems.append(
            "BLOG_QUEUE_THREADS and BLOG_JOB_MAX_ATTEMPTS must be 1 or more"
        )
    if config["JOB_LEASE_SECONDS"] < 10:
        problems.append("BLOG_JOB_LEASE_SECONDS must be 10 or more")
    return problems
