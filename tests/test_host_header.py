"""Redirects come from BLOG_SITE_URL: a Host header chosen by a client never
decides where a browser is sent next."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from blog.models import Role
from tests.test_security import url_arguments

HOSTILE_HOSTS = ("evil.example", "evil.example:8443", "127.0.0.1:5000@evil.example")
# Values for the URL arguments that url_arguments() has no object for.
MORE_ARGUMENTS = {
    "year": 2026,
    "month": 1,
    "filename": "missing.png",
    "format_name": None,
    "kind": None,
}


def every_get_path(app) -> list[str]:
    """Each GET rule with real arguments, with and without its last slash
    (Werkzeug redirects one to the other where a rule ends in /)."""
    values = url_arguments(app) | MORE_ARGUMENTS
    paths = set()
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods:
            continue
        arguments = {name: values[name] for name in rule.arguments}
        with app.test_request_context():
            path = app.url_for(rule.endpoint, **arguments)
        paths.update({path, path.rstrip("/") or "/", path + "/"})
    return sorted(paths)


def assert_on_site(app, response, path: str) -> None:
    location = response.headers.get("Location")
    if location is None:
        return
    site = urlsplit(app.config["SITE_URL"])
    target = urlsplit(location)
    assert target.netloc in ("", site.netloc), (path, location)
    assert "evil" not in location.split("?")[0], (path, location)


@pytest.mark.parametrize("role", [None, Role.ADMIN])
def test_no_redirect_follows_the_host_header(app, client_as, client, role) -> None:
    browser = client if role is None else client_as(role)[0]
    paths = every_get_path(app)

    for host in HOSTILE_HOSTS:
        for path in paths:
            response = browser.get(
                path, headers={"Host": host, "X-Forwarded-Host": "evil.example"}
            )
            assert_on_site(app, response, path)


def test_the_studio_slash_redirect_points_at_the_site(app, client_as) -> None:
    admin, _ = client_as(Role.ADMIN)

    response = admin.get("/studio", headers={"Host": "evil.example"})

    assert response.status_code == 308
    assert response.headers["Location"] == app.config["SITE_URL"] + "/studio/"
