"""Accounts: register, log in and out, change and reset the password."""

from __future__ import annotations

import re
import time
import uuid
from datetime import timedelta
from unittest.mock import patch

import pytest
import redis

from blog.auth.services import make_reset_token
from blog.extensions import db
from blog.models import Comment, Role, User
from tests.factories import PASSWORD, make_article, make_comment, make_user

NEW_PASSWORD = "a brand new password"


def register(client, email="Reader@Example.com", password="reader password 1"):
    return client.post(
        "/auth/register",
        data={
            "email": email,
            "display_name": "Rita Reader",
            "password": password,
            "password_again": password,
        },
    )


def log_in(client, email, password, remember=False, **extra):
    data = {"email": email, "password": password, **extra}
    if remember:
        data["remember"] = "y"
    return client.post("/auth/login", data=data)


def user_by_email(app, email: str) -> User | None:
    with app.app_context():
        user = db.session.scalar(User.select_by_email(email))
        if user is not None:
            db.session.expunge(user)
        return user


def test_a_reader_registers_logs_in_and_changes_password(app, client) -> None:
    assert register(client).status_code == 303
    assert "Rita Reader" in client.get("/").text
    client.post("/auth/logout")
    assert "Log in" in client.get("/").text

    response = log_in(client, "reader@example.com", "reader password 1", remember=True)
    assert response.status_code == 303
    assert "remember_token=" in response.headers.get("Set-Cookie", "") or any(
        "remember_token" in value for value in response.headers.getlist("Set-Cookie")
    )
    changed = client.post(
        "/auth/account/password",
        data={
            "current_password": "reader password 1",
            "password": NEW_PASSWORD,
            "password_again": NEW_PASSWORD,
        },
    )
    assert changed.status_code == 303
    client.post("/auth/logout")

    assert log_in(client, "reader@example.com", "reader password 1").status_code == 400
    assert log_in(client, "reader@example.com", NEW_PASSWORD).status_code == 303
    user = user_by_email(app, "reader@example.com")
    assert user.role is Role.READER
    assert NEW_PASSWORD not in user.password_hash
    assert user.password_hash.startswith(("scrypt:", "pbkdf2:"))
    assert user.check_password(NEW_PASSWORD)


def test_two_hashes_of_one_password_differ(app) -> None:
    with app.app_context():
        first, second = make_user(), make_user()
        first.set_password("same password!")
        second.set_password("same password!")
        assert first.password_hash != second.password_hash


def test_registration_refuses_bad_input_and_keeps_what_was_typed(app, client) -> None:
    short = register(client, password="short")
    assert short.status_code == 400
    assert "Use 10 to" in short.text
    assert 'value="Reader@Example.com"' in short.text
    same = register(client, email="same@example.com", password="same@example.com")
    assert same.status_code == 400 and "must not be the email" in same.text
    register(client)
    client.post("/auth/logout")
    taken = register(client, email="READER@example.com")
    assert taken.status_code == 400 and "exists already" in taken.text
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(User.id))) == 1


def test_closed_registration_creates_nobody(app_factory) -> None:
    app = app_factory(REGISTRATION_OPEN=False)
    client = app.test_client()
    assert client.get("/auth/register").status_code == 403
    assert register(client).status_code == 403
    assert user_by_email(app, "reader@example.com") is None


def test_wrong_password_and_unknown_email_get_the_same_answer(app, client) -> None:
    with app.app_context():
        make_user(email="known@example.com")
    wrong = log_in(client, "known@example.com", "not the password")
    unknown = log_in(client, "nobody@example.com", "not the password")
    assert wrong.status_code == unknown.status_code == 400
    assert "The email or password is not right." in wrong.text
    assert "The email or password is not right." in unknown.text


def test_logout_is_post_only(client_as) -> None:
    client, _ = client_as(Role.READER)
    assert client.get("/auth/logout").status_code == 405
    assert client.get("/auth/account").status_code == 200


def test_account_pages_need_a_login(client) -> None:
    response = client.get("/auth/account")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login?next=")


def test_profile_and_notification_choice_are_saved(app, client_as) -> None:
    client, user = client_as(Role.READER)
    response = client.post(
        "/auth/account/profile",
        data={"display_name": "New Name", "notify_replies": "y"},
    )
    assert response.status_code == 303
    saved = user_by_email(app, user.email)
    assert (saved.display_name, saved.notify_replies) == ("New Name", True)


def test_deleting_an_account_keeps_its_comments_as_deleted_user(app, client_as) -> None:
    client, user = client_as(Role.READER)
    with app.app_context():
        article = make_article(slug="talk")
        make_comment(article, db.session.get(User, user.id), body_markdown="Still here")

    refused = client.post("/auth/account/delete", data={"current_password": "wrong"})
    assert refused.status_code == 400
    deleted = client.post("/auth/account/delete", data={"current_password": PASSWORD})

    assert deleted.status_code == 303
    assert user_by_email(app, user.email) is None
    with app.app_context():
        comment = db.session.scalar(db.select(Comment))
        assert comment.author_id is None and comment.body_markdown == "Still here"
    assert client.get("/auth/account").status_code == 302


def reset_link_from(outbox) -> str:
    return re.search(r"http://blog\.test(/auth/reset/\S+)", outbox[-1].body).group(1)


def test_reset_answers_the_same_whether_or_not_the_account_exists(
    app, client, outbox
) -> None:
    with app.app_context():
        make_user(email="known@example.com")
    known = client.post("/auth/reset", data={"email": "known@example.com"})
    unknown = client.post("/auth/reset", data={"email": "unknown@example.com"})

    assert known.status_code == unknown.status_code == 200
    assert known.text.replace("known@", "X@") == unknown.text.replace("unknown@", "X@")
    assert [mail.to for mail in outbox] == ["known@example.com"]


def test_a_reset_link_points_at_the_site_whatever_host_the_request_claims(
    app, client, outbox
) -> None:
    with app.app_context():
        make_user(email="victim@example.com")
    client.post(
        "/auth/reset",
        data={"email": "victim@example.com"},
        headers={"Host": "attacker.example", "X-Forwarded-Host": "attacker.example"},
    )
    assert "attacker.example" not in outbox[-1].body
    assert "http://blog.test/auth/reset/" in outbox[-1].body


def test_a_reset_link_works_once(app, client, outbox) -> None:
    with app.app_context():
        make_user(email="forgetful@example.com")
    client.post("/auth/reset", data={"email": "forgetful@example.com"})
    link = reset_link_from(outbox)
    form = {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD}

    assert client.get(link).status_code == 200
    assert client.post(link, data=form).status_code == 303
    again = client.post(link, data={**form, "password": "another password 2"})

    assert again.status_code == 400
    assert "used already" in again.text
    assert log_in(client, "forgetful@example.com", NEW_PASSWORD).status_code == 303


def test_an_expired_reset_link_is_refused(app, client) -> None:
    with app.app_context():
        user = make_user()
        token = make_reset_token(user)
    an_hour_and_a_bit_later = time.time() + 60 * 60 + 5
    with patch("itsdangerous.timed.time.time", return_value=an_hour_and_a_bit_later):
        response = client.get(f"/auth/reset/{token}")
    assert response.status_code == 400
    assert "expired" in response.text


def test_a_reset_link_from_before_a_password_change_is_refused(app, client_as) -> None:
    client, user = client_as(Role.READER)
    with app.app_context():
        token = make_reset_token(db.session.get(User, user.id))
    client.post(
        "/auth/account/password",
        data={
            "current_password": PASSWORD,
            "password": NEW_PASSWORD,
            "password_again": NEW_PASSWORD,
        },
    )
    response = client.get(f"/auth/reset/{token}")
    assert response.status_code == 400
    assert "password has changed" in response.text


def test_a_forged_reset_link_is_refused(client) -> None:
    response = client.get("/auth/reset/not-a-real-token")
    assert response.status_code == 400
    assert "not valid" in response.text


def test_changing_the_password_ends_other_sessions(app, client_as) -> None:
    first, user = client_as(Role.READER)
    second = log_in(app.test_client(), user.email, PASSWORD)
    other = app.test_client()
    log_in(other, user.email, PASSWORD)
    first.post(
        "/auth/account/password",
        data={
            "current_password": PASSWORD,
            "password": NEW_PASSWORD,
            "password_again": NEW_PASSWORD,
        },
    )
    assert second.status_code == 303
    assert first.get("/auth/account").status_code == 200
    assert other.get("/auth/account").status_code == 302


def test_the_eleventh_login_from_one_ip_in_a_minute_gets_429(app, client) -> None:
    statuses = [
        log_in(client, f"user{n}@example.com", "wrong password").status_code
        for n in range(11)
    ]
    assert statuses[:10] == [400] * 10
    assert statuses[10] == 429
    assert "Too many requests" in log_in(client, "x@example.com", "y").text


def client_from(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def test_the_sixth_failed_login_for_one_account_from_one_address_gets_429(
    app,
) -> None:
    with app.app_context():
        user = make_user()
    stranger = client_from(app, "10.0.0.66")

    statuses = [log_in(stranger, user.email, "wrong").status_code for _ in range(6)]

    assert statuses == [400] * 5 + [429]


def test_a_stranger_failing_for_an_account_does_not_lock_its_owner_out(app) -> None:
    with app.app_context():
        user = make_user()
    stranger = client_from(app, "10.0.0.66")
    for _ in range(20):
        log_in(stranger, user.email, "wrong")

    owner = client_from(app, "10.0.0.7")

    assert log_in(owner, user.email, PASSWORD).status_code == 303
    assert log_in(stranger, user.email, PASSWORD).status_code == 429


def test_the_sixth_registration_from_one_ip_in_an_hour_gets_429(client) -> None:
    statuses = [
        register(client, email=f"r{n}@example.com").status_code for n in range(6)
    ]
    assert statuses[-1] == 429


def test_the_fourth_reset_for_one_email_in_an_hour_gets_429(client, outbox) -> None:
    statuses = [
        client.post("/auth/reset", data={"email": "a@example.com"}).status_code
        for _ in range(4)
    ]
    assert statuses == [200, 200, 200, 429]


def test_a_deactivated_user_is_logged_out_on_the_next_request(app, client_as) -> None:
    admin, _ = client_as(Role.ADMIN)
    reader, user = client_as(Role.READER)
    assert reader.get("/auth/account").status_code == 200

    assert admin.post(f"/studio/users/{user.id}/active").status_code == 303

    assert reader.get("/auth/account").status_code == 302
    assert log_in(app.test_client(), user.email, PASSWORD).status_code == 400
    assert user_by_email(app, user.email).active is False


def test_only_admins_reach_the_accounts_page(client_as) -> None:
    for role in (Role.READER, Role.AUTHOR, Role.EDITOR):
        client, _ = client_as(role)
        assert client.get("/studio/users").status_code == 403
    admin, _ = client_as(Role.ADMIN)
    assert admin.get("/studio/users").status_code == 200


def test_an_admin_changes_a_role(app, client_as) -> None:
    admin, me = client_as(Role.ADMIN)
    _, reader = client_as(Role.READER)
    admin.post(f"/studio/users/{reader.id}/role", data={"role": "author"})
    refused = admin.post(
        f"/studio/users/{me.id}/role", data={"role": "reader"}, follow_redirects=True
    )
    assert user_by_email(app, reader.email).role is Role.AUTHOR
    assert user_by_email(app, me.email).role is Role.ADMIN
    assert "cannot remove your own admin role" in refused.text


def test_set_role_command(app, runner) -> None:
    with app.app_context():
        user = make_user(email="promote@example.com")
    result = runner.invoke(args=["set-role", "Promote@example.com", "editor"])
    assert result.exit_code == 0, result.output
    assert user_by_email(app, user.email).role is Role.EDITOR
    missing = runner.invoke(args=["set-role", "nobody@example.com", "editor"])
    assert missing.exit_code != 0 and "No account" in missing.output


def test_remember_me_keeps_the_login_after_the_session_cookie_is_gone(
    app, client
) -> None:
    with app.app_context():
        user = make_user()
    log_in(client, user.email, PASSWORD, remember=True)
    client.delete_cookie("session")
    assert client.get("/auth/account").status_code == 200
    assert timedelta(seconds=app.config["REMEMBER_COOKIE_DURATION"]).days == 30


def redis_is_reachable() -> bool:
    import socket

    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


@pytest.mark.skipif(not redis_is_reachable(), reason="no Redis on 127.0.0.1:6379")
def test_login_limits_hold_across_hosts_sharing_redis(app_factory) -> None:
    hosts = [app_factory(REDIS_URL="redis://127.0.0.1:6379/15") for _ in range(2)]
    with hosts[0].app_context():
        user = make_user(email=f"shared-{uuid.uuid4().hex}@example.com")
    # Redis outlives the test: a fresh client address keeps earlier runs' per-IP
    # counts out of this one.
    address = f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.1"
    clients = [host.test_client() for host in hosts]
    for client in clients:
        client.environ_base["REMOTE_ADDR"] = address
    statuses = [
        log_in(clients[n % 2], user.email, "wrong password").status_code
        for n in range(6)
    ]
    assert statuses == [400] * 5 + [429]
    counters = redis.Redis(db=15).keys(f"*{user.email}*")
    assert counters, "the login counter is not kept in Redis"
    redis.Redis(db=15).delete(*counters, *redis.Redis(db=15).keys(f"*{address}*"))


def test_successful_logins_do_not_count_against_the_limits(app) -> None:
    with app.app_context():
        user = make_user()
    statuses = [
        log_in(app.test_client(), user.email, PASSWORD).status_code for _ in range(8)
    ]
    assert statuses == [303] * 8
