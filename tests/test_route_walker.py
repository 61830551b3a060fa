"""The route walker: every rule of the URL map, with wrong methods and hostile
values in the path, the query and the body, as anonymous and as each role.
No answer is a 500, none shows a traceback, and the database is unchanged.

Runs on SQLite and, with BLOG_TEST_DATABASE_URL, on PostgreSQL (where a NUL
byte reaching a text column is a driver error)."""

from __future__ import annotations

import re
from itertools import product

import pytest
from werkzeug.routing import Rule

from blog.models import Role
from tests.conftest import log_in
from tests.factories import make_user
from tests.test_host_header import MORE_ARGUMENTS
from tests.test_security import database_snapshot, url_arguments

METHODS = ("GET", "POST", "PUT", "DELETE", "PATCH")
# Path segments as a hostile client sends them (already percent-encoded).
HOSTILE_SEGMENTS = (
    "x%00y", "%00", "a" * 3000, "%ff%fe%fd", "%zz", "%", "%c0%af",
    "99999999999999999999", "-1", "0", "%0d%0aSet-Cookie:x=1", "..%2f..%2fetc",
)  # fmt: skip
HOSTILE_QUERIES = (
    "page=%00", "page=99999999999999999999", "page=-5", "page=abc", "q=%00%01",
    "q=" + "a" * 5000, "reply_to=99999999999999999999", "next=%00//evil.example",
    "tab=%ff%fe", "%zz=%zz",
)  # fmt: skip
# With a valid CSRF token: bodies that stay invalid for every form once the
# input policy has cleaned their control characters away.
HOSTILE_FORMS = (
    {"body": "\x00", "title": "\x01", "email": "\x00"},
    {"email": "\x00@", "password": "x", "display_name": "\x0b"},
    {"display_name": "\x0b\x0c", "comment_ids": "99999999999999999999"},
    {"comment_ids": ["-1", "99999999999999999999", "x"], "bulk_action": "\x00"},
    {"parent_id": "99999999999999999999", "body": "\x7f", "role": "\x00"},
)
# Forms that are only a button act on any POST with a token: not walked
# with one (their refusal without a token is).
BUTTON_ACTIONS = {
    "auth.logout", "auth.end_other_sessions", "comments.delete",
    "studio.toggle_active", "studio.unpublish", "studio.delete",
    "studio.restore", "studio.test_mail", "studio.remove_subscriber",
}  # fmt: skip
JUNK_BODIES = (
    ("application/json", b'{"body": "x\\u0000"}'),
    ("text/plain", b"\x00\xff\xfe garbage"),
    ("multipart/form-data; boundary=zz", b"--zz\r\nnot a part\r\n--zz--"),
    ("application/x-www-form-urlencoded", b"body=%00&comment_ids=%zz&title=%ff"),
)
CSRF_TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
ROLES = (None, Role.READER, Role.AUTHOR, Role.EDITOR, Role.ADMIN)


def real_paths(app, rule: Rule, values: dict) -> list[str]:
    arguments = {name: values[name] for name in rule.arguments}
    with app.test_request_context():
        return [app.url_for(rule.endpoint, **arguments)]


def hostile_paths(app, rule: Rule, values: dict) -> list[str]:
    """The rule's path with each argument replaced by each hostile segment:
    built with a marker of the argument's type, then the marker replaced."""
    paths = []
    for name in sorted(rule.arguments):
        if values[name] is None:
            continue  # a default (the feed's format), not part of the path
        marker = 987654321 if isinstance(values[name], int) else "zzmarkerzz"
        arguments = {other: values[other] for other in rule.arguments}
        arguments[name] = marker
        with app.test_request_context():
            path = app.url_for(rule.endpoint, **arguments)
        paths += [path.replace(str(marker), segment) for segment in HOSTILE_SEGMENTS]
    return paths


def csrf_token(client, role: Role | None) -> str:
    page = client.get("/auth/login" if role is None else "/auth/account").text
    return CSRF_TOKEN.search(page).group(1)


def assert_no_failure(response, what: str) -> None:
    assert response.status_code != 500, what
    assert response.status_code < 500 or response.status_code == 503, what
    if not response.mimetype.startswith(("text/", "application/json")):
        response.close()  # a download (the admin's export zip): no error page
        return
    body = response.get_data(as_text=True)
    assert "Traceback" not in body and 'File "' not in body, what


def walk(app, client, token: str, values: dict) -> int:
    sent = 0
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        real = real_paths(app, rule, values)
        for path, method in product(real, METHODS):
            assert_no_failure(client.open(path, method=method), f"{method} {path}")
            sent += 1
        for path in real:
            for query in HOSTILE_QUERIES:
                response = client.get(f"{path}?{query}")
                assert_no_failure(response, f"GET {path}?{query}")
                sent += 1
        for path in hostile_paths(app, rule, values):
            for method in ("GET", "POST"):
                assert_no_failure(client.open(path, method=method), f"{method} {path}")
                sent += 1
        if "POST" not in rule.methods:
            continue
        for path in real if rule.endpoint not in BUTTON_ACTIONS else []:
            for form in HOSTILE_FORMS:
                response = client.post(path, data={**form, "csrf_token": token})
                assert_no_failure(response, f"POST {path} {form}")
                sent += 1
            for content_type, body in JUNK_BODIES:
                response = client.post(path, data=body, content_type=content_type)
                assert_no_failure(response, f"POST {path} {content_type}")
                sent += 1
    return sent


@pytest.mark.parametrize("role", ROLES, ids=lambda role: str(role or "anonymous"))
def test_no_route_answers_500_or_changes_anything_for_hostile_input(
    app_factory, role: Role | None
) -> None:
    app = app_factory(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    if role is not None:
        with app.app_context():
            user = make_user(email=f"{role}@example.com", role=role)
        client = log_in_with_csrf(client, user)
    token = csrf_token(client, role)
    values = url_arguments(app) | MORE_ARGUMENTS  # objects for every argument
    before = database_snapshot(app)

    sent = walk(app, client, token, values)

    assert database_snapshot(app) == before
    assert sent > 1500, sent
    print(f"route walker, {role or 'anonymous'}: {sent} requests")  # noqa: T201


def log_in_with_csrf(client, user):
    """conftest's log_in, with the CSRF token this app asks for."""
    token = csrf_token(client, None)
    client.environ_base["HTTP_X_CSRFTOKEN"] = token
    logged_in = log_in(client, user)
    del client.environ_base["HTTP_X_CSRFTOKEN"]
    return logged_in
