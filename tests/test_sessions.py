"""Sessions that really end: a cookie copied before logout, a remember-me
cookie, a password change or a deactivation leaves nothing that still opens
the account; logged-in pages are never stored by a shared cache."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient
from lxml import html
from sqlalchemy import func, select

from blog.extensions import db
from blog.models import Role, UserSession
from tests.conftest import log_in
from tests.factories import PASSWORD, make_user

ACCOUNT = "/auth/account"


def logged_in_client(app: Flask, email: str, *, remember: bool = False) -> FlaskClient:
    client = app.test_client()
    data = {"email": email, "password": PASSWORD}
    if remember:
        data["remember"] = "y"
    assert client.post("/auth/login", data=data).status_code == 303
    return client


def cookie(client: FlaskClient, name: str) -> str | None:
    found = client.get_cookie(name)
    return found.value if found else None


def client_with_cookies(app: Flask, **cookies: str) -> FlaskClient:
    client = app.test_client()
    for name, value in cookies.items():
        client.set_cookie(name, value)
    return client


def opens_account(client: FlaskClient) -> bool:
    return client.get(ACCOUNT).status_code == 200


def session_rows(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(UserSession.id)))


def test_a_session_cookie_copied_before_logout_is_refused_after(app) -> None:
    with app.app_context():
        make_user(email="ann@example.com")
    browser = logged_in_client(app, "ann@example.com")
    stolen = cookie(browser, "session")
    assert opens_account(client_with_cookies(app, session=stolen))

    browser.post("/auth/logout", data={})

    assert not opens_account(browser)
    assert not opens_account(client_with_cookies(app, session=stolen))
    assert session_rows(app) == 0


def test_a_remember_cookie_copied_before_logout_is_refused_after(app) -> None:
    with app.app_context():
        make_user(email="ann@example.com")
    browser = logged_in_client(app, "ann@example.com", remember=True)
    stolen = cookie(browser, "remember_token")
    assert stolen

    browser.post("/auth/logout", data={})

    assert not opens_account(client_with_cookies(app, remember_token=stolen))


def test_a_remember_cookie_logs_in_once_then_is_replaced(app) -> None:
    with app.app_context():
        make_user(email="ann@example.com")
    browser = logged_in_client(app, "ann@example.com", remember=True)
    first = cookie(browser, "remember_token")

    returning = client_with_cookies(app, remember_token=first)
    assert opens_account(returning)  # a new browser session from the cookie
    second = cookie(returning, "remember_token")

    assert second and second != first
    assert not opens_account(client_with_cookies(app, remember_token=first))
    assert opens_account(client_with_cookies(app, remember_token=second))


def test_the_database_keeps_no_usable_token(app) -> None:
    with app.app_context():
        make_user(email="ann@example.com")
    browser = logged_in_client(app, "ann@example.com", remember=True)
    with app.app_context():
        digests = db.session.scalars(select(UserSession.token_digest)).all()
    cookies = f"{cookie(browser, 'session')} {cookie(browser, 'remember_token')}"

    assert len(digests) == 1
    assert digests[0] not in cookies


def test_changing_the_password_ends_every_other_session(app) -> None:
    with app.app_context():
        make_user(email="ann@example.com")
    here = logged_in_client(app, "ann@example.com")
    elsewhere = logged_in_client(app, "ann@example.com", remember=True)
    remembered = cookie(elsewhere, "remember_token")

    response = here.post(
        "/auth/account/password",
        data={
            "current_password": PASSWORD,
            "password": "a brand new passphrase",
            "password_again": "a brand new passphrase",
        },
    )

    assert response.status_code == 303
    assert opens_account(here)
    assert not opens_account(elsewhere)
    assert not opens_account(client_with_cookies(app, remember_token=remembered))


def test_log_out_everywhere_else_keeps_this_browser(app) -> None:
    with app.app_context():
        make_user(email="ann@example.com")
    here = logged_in_client(app, "ann@example.com")
    phone = logged_in_client(app, "ann@example.com", remember=True)
    page = here.get(ACCOUNT).text
    assert page.count("<li>") >= 2 and "(this browser)" in page

    response = here.post("/auth/account/sessions/end-others", data={})

    assert response.status_code == 303
    assert "Logged out 1 other session." in here.get(ACCOUNT).text
    assert opens_account(here)
    assert not opens_account(phone)


def test_deactivating_an_account_ends_its_sessions(app, client_as) -> None:
    with app.app_context():
        user = make_user(email="ann@example.com")
    browser = logged_in_client(app, "ann@example.com", remember=True)
    remembered = cookie(browser, "remember_token")
    admin, _ = client_as(Role.ADMIN)

    admin.post(f"/studio/users/{user.id}/active", data={"active": ""})

    assert not opens_account(browser)
    assert not opens_account(client_with_cookies(app, remember_token=remembered))
    assert session_rows(app) == 1  # the admin's own


def test_logged_in_responses_are_private_and_not_stored(app, client) -> None:
    with app.app_context():
        make_user(email="ann@example.com", role=Role.ADMIN)
    browser = logged_in_client(app, "ann@example.com")

    for path in (ACCOUNT, "/studio/", "/"):
        assert browser.get(path).headers["Cache-Control"] == "private, no-store", path
    assert "no-store" not in client.get("/").headers.get("Cache-Control", "")


def test_a_csrf_token_from_before_logout_is_refused(app_factory) -> None:
    app = app_factory(WTF_CSRF_ENABLED=True)
    with app.app_context():
        make_user(email="ann@example.com")
    browser = app.test_client()
    login_page = browser.get("/auth/login").text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', login_page).group(1)
    browser.post(
        "/auth/login",
        data={"email": "ann@example.com", "password": PASSWORD, "csrf_token": token},
    )
    account_page = browser.get(ACCOUNT).text
    old_token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', account_page)
    logout_token = old_token.group(1)
    assert (
        browser.post("/auth/logout", data={"csrf_token": logout_token}).status_code
        == 303
    )

    # Logged in again, in the same browser: the old page's token is void.
    login_page = browser.get("/auth/login").text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', login_page).group(1)
    browser.post(
        "/auth/login",
        data={"email": "ann@example.com", "password": PASSWORD, "csrf_token": token},
    )
    response = browser.post(
        "/auth/account/profile",
        data={"display_name": "Changed", "csrf_token": logout_token},
    )

    assert response.status_code == 400
    assert "Changed" not in browser.get(ACCOUNT).text


def test_the_account_page_names_each_browser_in_plain_words(app) -> None:
    firefox = (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 "
        "Firefox/133.0"
    )
    with app.app_context():
        user = make_user(email="owner@example.com")
    phone = app.test_client()
    phone.environ_base["HTTP_USER_AGENT"] = firefox
    log_in(phone, user)
    script = app.test_client()
    script.environ_base["HTTP_USER_AGENT"] = "\x00weird/agent"
    log_in(script, user)

    page = html.fromstring(phone.get("/auth/account").text)

    sessions = [
        item.text_content() for item in page.xpath("//ul[@class='sessions']/li")
    ]
    assert any(line.startswith("Firefox on Windows, since") for line in sessions), (
        sessions
    )
    assert any(line.startswith("An unknown browser, since") for line in sessions), (
        sessions
    )
    assert all("Mozilla/5.0" not in line for line in sessions)
