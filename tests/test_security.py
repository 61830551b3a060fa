"""Security rules that hold for every response."""

from __future__ import annotations

import pytest

from blog.models import Role
from blog.security import SECURITY_HEADERS
from tests.factories import make_article


def test_anonymous_reading_sets_no_cookie(app, client) -> None:
    with app.app_context():
        article = make_article()

    for path in ("/", f"/articles/{article.slug}", "/healthz", "/missing"):
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
