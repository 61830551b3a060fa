"""Acceptance 4 of issue 13 from outside: three gunicorn workers, no Redis,
each request on a new connection so the workers share them out, and every
documented limit holds as if one process counted. Mail goes to the log
without BLOG_MAIL_SERVER, so the reset mails sent are counted there."""

from __future__ import annotations

import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.factories import PASSWORD
from tests.test_comments_load import (
    BIN,
    REPOSITORY,
    Browser,
    add_users_and_article,
    gunicorn,
    load_test_database,
    server_environment,
)


def mails_logged(log_path: Path, address: str, *, expected: int) -> int:
    """How many mails to `address` the log shows, once `expected` are there
    or ten seconds have passed (then one more would show, too)."""
    deadline = time.monotonic() + 10
    while True:
        count = log_path.read_text().count(
            f"mail (no BLOG_MAIL_SERVER set) to {address}"
        )
        if count >= expected or time.monotonic() > deadline:
            time.sleep(0.5)
            return log_path.read_text().count(
                f"mail (no BLOG_MAIL_SERVER set) to {address}"
            )
        time.sleep(0.1)


@pytest.mark.slow
def test_three_gunicorn_workers_without_redis_hold_every_limit(tmp_path: Path) -> None:
    with load_test_database(tmp_path) as database_url:
        environment = server_environment(database_url, tmp_path)
        environment["BLOG_COMMENT_RATE_LIMIT"] = "5/minute"
        subprocess.run(  # noqa: S603 - our own command line
            [str(BIN / "flask"), "--app", "blog", "db", "upgrade"],
            cwd=REPOSITORY, env=environment, check=True, capture_output=True,
        )  # fmt: skip
        add_users_and_article(database_url)  # load0@example.com …, article "busy"
        log_path = tmp_path / "gunicorn.log"
        with gunicorn(environment, log_path, workers=3, threads=2) as base_url:
            statuses = limited_statuses(base_url)
            # Each mail is a job: the workers' consumer sends it a moment later.
            mails = mails_logged(log_path, "load0@", expected=3)

    assert statuses["stranger"] == [400] * 5 + [429] * 15
    assert statuses["owner"] == 303
    assert statuses["burst"] == [400] * 5 + [429] * 7
    assert statuses["registrations"] == [303] * 5 + [429]
    assert statuses["resets"] == [200] * 3 + [429]
    assert mails == 3
    assert statuses["comments"] == [303] * 5 + [429]


def post(base_url: str, address: str, path: str, form: dict[str, str]) -> int:
    """One form sent by a new browser: its own cookie jar and connections."""
    browser = Browser(base_url, address)
    form = {**form, "csrf_token": browser.csrf_token(path)}
    return browser.request(path, form).status


def limited_statuses(base_url: str) -> dict[str, list[int] | int]:
    """What a stranger, the owner, a burst of guesses, a registering bot, a
    reset spammer and a chatty commenter get."""
    owner = "load0@example.com"
    wrong = {"email": owner, "password": "not the password"}
    stranger = [post(base_url, "10.6.6.6", "/auth/login", wrong) for _ in range(20)]
    # Meanwhile the owner, from an address of their own, gets in.
    right = {"email": owner, "password": PASSWORD}
    owner_status = post(base_url, "10.1.1.1", "/auth/login", right)
    with ThreadPoolExecutor(12) as threads:
        burst = threads.map(
            lambda _: post(base_url, "10.5.5.5", "/auth/login", wrong), range(12)
        )
        burst_statuses = sorted(burst)
    registrations = [
        post(base_url, "10.7.7.7", "/auth/register", {
            "email": f"bot{n}@example.com", "display_name": "Bot",
            "password": PASSWORD, "password_again": PASSWORD,
        })
        for n in range(6)
    ]  # fmt: skip
    resets = [
        post(base_url, f"10.8.8.{n}", "/auth/reset", {"email": owner}) for n in range(4)
    ]
    return {
        "stranger": stranger,
        "owner": owner_status,
        "burst": burst_statuses,
        "registrations": registrations,
        "resets": resets,
        "comments": comment_statuses(base_url),
    }


def comment_statuses(base_url: str) -> list[int]:
    commenter = Browser(base_url, "10.3.3.3")
    form = {"email": "load1@example.com", "password": PASSWORD}
    assert post_with(commenter, "/auth/login", form) == 303
    return [
        post_with(commenter, "/articles/busy/comments", {"body": f"Thought {n}"})
        for n in range(6)
    ]


def post_with(browser: Browser, path: str, form: dict[str, str]) -> int:
    page = "/articles/busy" if path.endswith("/comments") else path
    return browser.request(
        path, {**form, "csrf_token": browser.csrf_token(page)}
    ).status
