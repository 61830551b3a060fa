"""Security rules that hold for every response."""

from __future__ import annotations

import re

import pytest

from blog import create_app
from blog.auth.services import make_reset_token
from blog.extensions import db
from blog.models import Base, Revision, Role, Subscriber, Upload, User
from blog.security import SECURITY_HEADERS
from tests.conftest import log_in
from tests.factories import make_article, make_comment, make_user


def test_anonymous_reading_sets_no_cookie(app, client) -> None:
    with app.app_context():
        article = make_article()

    for path in (
        "/",
        f"/articles/{article.slug}",
        "/feed.xml",
        "/atom.xml",
        "/feed.json",
        f"/articles/{article.slug}/comments/feed.xml",
        "/healthz",
        "/missing",
    ):
        response = client.get(path)
        assert "Set-Cookie" not in response.headers, path


@pytest.mark.parametrize("path", ["/", "/healthz", "/auth/login", "/missing"])
def test_every_response_carries_the_security_headers(client, path: str) -> None:
    response = client.get(path)
    for name, value in SECURITY_HEADERS.items():
        assert response.headers[name] == value
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example",
        "https://evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "javascript:alert(1)",
        "/%0d%0aLocation:%20https://evil.example",
    ],
)
def test_next_after_login_stays_on_this_site(client_as, target: str) -> None:
    client, user = client_as(Role.READER)
    client.post("/auth/logout")
    response = client.post(
        f"/auth/login?next={target}",
        data={"email": user.email, "password": "correct horse battery", "next": target},
    )
    location = response.headers["Location"]
    assert response.status_code == 303
    assert location.startswith("/") and not location.startswith("//")
    assert "evil.example" not in location.split("?")[0] or location.startswith("/%")


def database_snapshot(app) -> dict[str, list[tuple]]:
    """Every row of every table, to prove a request changed nothing."""

    with app.app_context():
        return {
            table.name: sorted(
                tuple(map(str, row)) for row in db.session.execute(table.select())
            )
            for table in Base.metadata.sorted_tables
        }


def url_arguments(app) -> dict[str, object]:
    """A real object for every URL argument a POST route can take. A new
    argument name fails this test until it is added here."""
    with app.app_context():
        reader = make_user(email="target@example.com")
        article = make_article(slug="target-article")
        comment = make_comment(article, db.session.get(User, reader.id))
        revision = Revision(
            article_id=article.id, title="Before", body_markdown="Old text."
        )
        db.session.add(revision)
        upload = Upload(
            filename="0" * 32 + ".png",
            original_name="target.png",
            content_type="image/png",
            size=1,
            width=1,
            height=1,
            alt="The target",
            uploader=article.author,
        )
        db.session.add(upload)
        follower = Subscriber(email="follower@example.org")
        db.session.add(follower)
        db.session.commit()
        return {
            "subscriber_id": follower.id,
            "upload_id": upload.id,
            "revision_id": revision.id,
            "user_id": reader.id,
            "slug": article.slug,
            "article_id": article.id,
            "comment_id": comment.id,
            "token": make_reset_token(db.session.get(User, reader.id)),
            "menu": "header",
        }


# POST routes that take no CSRF token on purpose, each proved in its tests
# (tests/test_subscriptions_links.py): RFC 8058's one-click unsubscribe, which
# mail clients post with no session; the subscribe form, which sits on cached
# pages that set no cookie and acts on no session (double opt-in guards it).
CSRF_EXEMPT = {"subscriptions.subscribe", "subscriptions.unsubscribe"}


def post_routes(app) -> list:
    return [
        rule
        for rule in app.url_map.iter_rules()
        if "POST" in rule.methods
        and rule.endpoint != "static"
        and rule.endpoint not in CSRF_EXEMPT
    ]


def test_every_post_route_refuses_a_missing_csrf_token_and_changes_nothing(
    app_factory,
) -> None:

    app = app_factory(WTF_CSRF_ENABLED=True)
    with app.app_context():
        admin = make_user(role=Role.ADMIN)
    arguments = url_arguments(app)
    client = app.test_client()
    app.config["WTF_CSRF_ENABLED"] = False
    log_in(client, admin)
    app.config["WTF_CSRF_ENABLED"] = True
    routes = post_routes(app)
    assert len(routes) >= 8
    before = database_snapshot(app)

    for rule in routes:
        path = rule.build({name: arguments[name] for name in rule.arguments})[1]
        response = client.post(
            path,
            data={
                "email": "target@example.com",
                "password": "x" * 12,
                "display_name": "Changed",
                "role": "admin",
                "current_password": "correct horse battery",
            },
        )
        assert response.status_code == 400, path
        assert "CSRF" in response.text, path

    assert database_snapshot(app) == before
    assert client.get("/auth/account").status_code == 200  # still logged in


def test_a_post_with_a_valid_csrf_token_goes_through(app_factory) -> None:
    app = app_factory(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    form = client.get("/auth/register").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form)
    response = client.post(
        "/auth/register",
        data={
            "csrf_token": token.group(1),
            "email": "new@example.com",
            "display_name": "New",
            "password": "long enough pw",
            "password_again": "long enough pw",
        },
    )
    assert response.status_code == 303


def session_cookie_header(response) -> str:
    cookies = [
        value
        for value in response.headers.getlist("Set-Cookie")
        if value.startswith("session=")
    ]
    assert cookies, "no session cookie was set"
    return cookies[0]


@pytest.mark.parametrize("https", [False, True])
def test_session_cookie_flags(app_factory, https: bool) -> None:
    app = app_factory(HTTPS=https)
    with app.app_context():
        user = make_user()
    response = app.test_client().post(
        "/auth/login", data={"email": user.email, "password": "correct horse battery"}
    )
    cookie = session_cookie_header(response)
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert ("Secure" in cookie) is https


def test_https_comes_from_the_environment(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("BLOG_HTTPS", "1")
    app = create_app({"SECRET_KEY": "x", "DATABASE_URL": "sqlite://"})
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["REMEMBER_COOKIE_SECURE"] is True


@pytest.mark.parametrize(
    "path",
    [
        "/?page=99999999999999999999",
        "/search?q=x&page=9223372036854775808",
        "/studio/?page=99999999999999999999",
        "/studio/articles/99999999999999999999/edit",
        "/comments/99999999999999999999/edit",
        "/archive/1",
    ],
)
def test_absurd_numbers_get_404_never_500(client_as, path: str) -> None:
    client, _ = client_as(Role.ADMIN)
    assert client.get(path).status_code == 404


def test_a_reply_to_an_absurd_parent_is_refused_with_400(app, client_as) -> None:
    client, _ = client_as(Role.READER)
    with app.app_context():
        make_article(slug="talk")
    response = client.post(
        "/articles/talk/comments",
        data={"body": "Hello", "parent_id": "99999999999999999999"},
    )
    assert response.status_code == 400


@pytest.mark.parametrize("path", ["/studio/", "/auth/account", "/studio/users"])
def test_anonymous_visits_to_login_only_pages_set_no_cookie(client, path) -> None:
    response = client.get(path)
    assert response.status_code == 302
    assert "Set-Cookie" not in response.headers


def test_https_sites_send_strict_transport_security(app_factory) -> None:
    plain = app_factory().test_client().get("/")
    secure = app_factory(HTTPS=True).test_client().get("/")
    assert "Strict-Transport-Security" not in plain.headers
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=")
