"""Themes: a folder of templates and static files replaces the built-in ones
file by file (blog/themes.py, docs/THEMES.md), without touching blog/, and
never loosens the CSP, the cookie rule or the caching."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from jinja2 import Environment, nodes
from werkzeug.test import TestResponse

from blog.cache.memo import FINGERPRINT
from blog.cache.middleware import page_key
from blog.cache.store import backend_of
from blog.extensions import db
from blog.models import Role, SiteState
from blog.security import SECURITY_HEADERS
from tests.conftest import log_in
from tests.factories import make_article, make_category, make_user

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_THEME = ROOT / "docs" / "sample-theme"
BUILT_IN = ROOT / "blog"
THEME_DOCS = ROOT / "docs" / "THEMES.md"
# What only the sample theme's page has, and what only the built-in one has.
SAMPLE_MARK = '<body class="with-sidebar">'
BUILT_IN_MARK = '<header class="site-header">'
STYLESHEETS = re.compile(r'<link rel="stylesheet" href="([^"]+)">')


def write(folder: Path, name: str, text: str) -> None:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def sample_theme_in(folder: Path) -> Path:
    """The sample theme copied where an operator would put it."""
    shutil.copytree(SAMPLE_THEME, folder)
    return folder


def publish(app: Flask) -> None:
    with app.app_context():
        author = make_user(slug="writer", role=Role.AUTHOR)
        make_article(
            title="Themed piece", slug="themed", category=make_category("News"),
            author=author,
        )  # fmt: skip


def stylesheets(page: str) -> list[str]:
    return STYLESHEETS.findall(page)


def fetched(client: FlaskClient, address: str) -> TestResponse:
    """A static file's response, read and closed."""
    with client.get(address) as response:
        response.get_data()
        return response


@pytest.fixture
def instance_theme(tmp_path: Path) -> Path:
    """The sample theme at the default place, the instance folder's theme/."""
    return sample_theme_in(tmp_path / "instance" / "theme")


# --- Picked up, file by file ------------------------------------------------


def test_the_sample_theme_in_the_instance_folder_changes_every_page(
    app_factory: Callable[..., Flask], instance_theme: Path
) -> None:
    app = app_factory()
    publish(app)
    client = app.test_client()
    for path in ("/", "/articles/themed", "/category/news", "/author/writer",
                 "/auth/login", "/no-such-page"):  # fmt: skip
        page = client.get(path).text
        assert SAMPLE_MARK in page, path
        assert BUILT_IN_MARK not in page, path
        # Then the pages' own templates, which the theme does not replace.
        assert '<main id="main"' in page and 'class="skip-link"' in page, path
    assert "Themed piece" in client.get("/articles/themed").text


def test_a_configured_folder_elsewhere_is_used(
    app_factory: Callable[..., Flask], tmp_path: Path
) -> None:
    folder = sample_theme_in(tmp_path / "themes" / "harbour")
    assert SAMPLE_MARK in app_factory(THEME_FOLDER=str(folder)).test_client().get(
        "/"
    ).text  # fmt: skip
    relative = app_factory(THEME_FOLDER="../themes/harbour")  # from instance/
    assert SAMPLE_MARK in relative.test_client().get("/").text


def test_an_empty_setting_or_a_missing_folder_means_no_theme(
    app_factory: Callable[..., Flask], instance_theme: Path, tmp_path: Path
) -> None:
    for setting in ("", str(tmp_path / "nowhere")):
        page = app_factory(THEME_FOLDER=setting).test_client().get("/").text
        assert BUILT_IN_MARK in page and SAMPLE_MARK not in page


def test_the_theme_stylesheet_has_its_own_digest_and_a_year_of_caching(
    app_factory: Callable[..., Flask], instance_theme: Path
) -> None:
    client = app_factory().test_client()
    built_in, themed = stylesheets(client.get("/").text)[:2]
    assert built_in.startswith("/static/builtin/site.css?v=")
    assert themed.startswith("/static/site.css?v=")
    assert built_in.split("v=")[1] != themed.split("v=")[1]

    served = fetched(client, themed)
    assert served.data == (instance_theme / "static" / "site.css").read_bytes()
    assert served.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    original = fetched(client, built_in)
    assert original.data == (BUILT_IN / "static" / "site.css").read_bytes()
    assert original.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    # An old page's address for the file gets the current one, never kept.
    stale = fetched(client, "/static/site.css?v=0123456789ab")
    assert stale.data == served.data
    assert "immutable" not in stale.headers.get("Cache-Control", "")


def test_a_file_the_theme_lacks_is_the_built_in_one(
    app_factory: Callable[..., Flask], tmp_path: Path
) -> None:
    theme = tmp_path / "instance" / "theme"
    write(theme, "templates/auth/login.html", "{% extends 'base.html' %}"
          "{% block content %}<h1>Welcome back</h1>{% endblock %}")  # fmt: skip
    write(theme, "static/feed.css", "/* the theme's feed style */\n")
    client = app_factory().test_client()

    assert "<h1>Welcome back</h1>" in client.get("/auth/login").text
    home = client.get("/").text
    assert BUILT_IN_MARK in home  # base.html is not in the theme
    assert stylesheets(home)[0].startswith("/static/site.css?v=")
    for name in ("site.css", "code.css", "favicon.svg"):
        response = fetched(client, f"/static/{name}")
        assert response.data == (BUILT_IN / "static" / name).read_bytes(), name
    assert fetched(client, "/static/feed.css").text == "/* the theme's feed style */\n"


# --- Removing it, and the caches --------------------------------------------


def test_removing_the_theme_restores_the_default_at_the_next_start(
    app_factory: Callable[..., Flask], instance_theme: Path
) -> None:
    themed = app_factory()
    assert SAMPLE_MARK in themed.test_client().get("/").text
    shutil.rmtree(instance_theme)

    # The running app goes on answering; its files fall back at once.
    still_running = themed.test_client()
    assert still_running.get("/").status_code == 200
    built_in_css = (BUILT_IN / "static" / "site.css").read_bytes()
    assert fetched(still_running, "/static/site.css").data == built_in_css

    restarted = app_factory().test_client()
    page = restarted.get("/").text
    assert BUILT_IN_MARK in page and SAMPLE_MARK not in page
    assert not any(href.startswith("/static/builtin/") for href in stylesheets(page))


def test_pages_of_another_theme_are_never_served_after_a_restart(
    app_factory: Callable[..., Flask], tmp_path: Path
) -> None:
    """Cached pages and memos are keyed by the code fingerprint, which hashes
    the theme's files: a shared cache (Redis) can hold only the pages the
    running theme rendered. A changed stylesheet alone moves it too, since
    its digest is in every page."""
    first = sample_theme_in(tmp_path / "first")
    second = sample_theme_in(tmp_path / "second")
    write(second, "static/site.css", "body { color: #000; }\n")
    fingerprints = {
        app_factory(THEME_FOLDER="").extensions[FINGERPRINT],
        app_factory(THEME_FOLDER=str(first)).extensions[FINGERPRINT],
        app_factory(THEME_FOLDER=str(second)).extensions[FINGERPRINT],
    }
    assert len(fingerprints) == 3
    again = app_factory(THEME_FOLDER=str(first)).extensions[FINGERPRINT]
    assert again == app_factory(THEME_FOLDER=str(first)).extensions[FINGERPRINT]


def test_themed_pages_are_cached_and_answer_304(
    app_factory: Callable[..., Flask], instance_theme: Path
) -> None:
    app = app_factory()
    publish(app)
    client = app.test_client()
    first = client.get("/articles/themed")
    assert SAMPLE_MARK in first.text
    assert first.headers["Cache-Control"] == "no-cache"
    with app.app_context():
        version = db.session.scalar(db.select(SiteState.content_version))
    environ = {"PATH_INFO": "/articles/themed", "QUERY_STRING": ""}
    key = page_key(app.extensions[FINGERPRINT], version, environ)
    assert backend_of(app).has(key)

    again = client.get(
        "/articles/themed", headers={"If-None-Match": first.headers["ETag"]}
    )
    assert again.status_code == 304


# --- What a theme cannot change ---------------------------------------------

HOSTILE_BASE = """<!doctype html>
<html lang="en"><head><title>{% block title %}{% endblock %}</title>
<meta http-equiv="Content-Security-Policy" content="default-src *">
<style>body { color: red; }</style></head>
<body><script>document.cookie = "tracker=1";</script>
<p>{{ csrf_token() }}</p>
<main id="main">{% block content %}{% endblock %}</main></body></html>
"""


@pytest.fixture
def hostile_app(app_factory: Callable[..., Flask], tmp_path: Path) -> Flask:
    """A theme whose base.html tries inline script and style, its own CSP,
    and a CSRF token (so a session) for every reader."""
    write(tmp_path / "instance" / "theme", "templates/base.html", HOSTILE_BASE)
    app = app_factory()
    publish(app)
    return app


def test_a_theme_gets_the_same_security_headers(hostile_app: Flask) -> None:
    client = hostile_app.test_client()
    for path in ("/", "/articles/themed", "/auth/login", "/no-such-page"):
        response = client.get(path)
        assert "<script>document.cookie" in response.text, path
        for name, value in SECURITY_HEADERS.items():
            assert response.headers[name] == value, (path, name)


def test_a_theme_cannot_give_an_anonymous_reader_a_cookie(hostile_app: Flask) -> None:
    client = hostile_app.test_client()
    for path in ("/", "/articles/themed", "/category/news", "/no-such-page"):
        response = client.get(path)
        assert "Set-Cookie" not in response.headers, path
    # So the page cache keeps the page, and answers its ETag.
    first = client.get("/articles/themed")
    again = client.get(
        "/articles/themed", headers={"If-None-Match": first.headers["ETag"]}
    )
    assert again.status_code == 304


def test_a_logged_in_reader_s_cookie_keeps_its_flags(hostile_app: Flask) -> None:
    with hostile_app.app_context():
        reader = make_user(role=Role.READER)
    client = log_in(hostile_app.test_client(), reader)
    cookie = client.get_cookie("session")
    assert cookie is not None and cookie.http_only and cookie.same_site == "Lax"
    # Logged in, the theme's token is theirs: their session carries it.
    assert client.get("/").status_code == 200


def test_static_names_never_leave_the_two_folders(
    app_factory: Callable[..., Flask], instance_theme: Path, tmp_path: Path
) -> None:
    (tmp_path / "instance" / "secret.txt").write_text("not for readers")
    client = app_factory().test_client()
    for path in (
        "/static/..%2fsecret.txt",
        "/static/../secret.txt",
        "/static/%2e%2e/%2e%2e/config.py",
        "/static/..%2f..%2fconfig.py",
        "/static/..%2ftemplates%2fbase.html",  # the theme's, not a static file
        "/static/builtin/..%2f__init__.py",
        "/static/builtin/../config.py",
        "/static/%2e%2e%5c..%5cconfig.py",
        "/static/x%00y.css",
        "/static/" + "a" * 3000,
    ):
        response = fetched(client, path)
        assert response.status_code == 404, path
        assert b"not for readers" not in response.data


# --- The sample theme and its documentation ---------------------------------


def blocks_of(path: Path) -> set[str]:
    tree = Environment(autoescape=True).parse(path.read_text())
    return {block.name for block in tree.find_all(nodes.Block)}


def test_the_sample_keeps_every_block_the_built_in_base_defines() -> None:
    built_in = blocks_of(BUILT_IN / "templates" / "base.html")
    assert built_in <= blocks_of(SAMPLE_THEME / "templates" / "base.html")
    documentation = THEME_DOCS.read_text()
    assert [name for name in built_in if f"`{name}`" not in documentation] == []


def test_the_sample_keeps_to_the_content_security_policy() -> None:
    files = [
        *SAMPLE_THEME.glob("templates/**/*.*"),
        *SAMPLE_THEME.glob("static/**/*.*"),
    ]
    assert files
    for path in files:
        text = path.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)|<style|\sstyle=", text), path
        assert not re.search(r"(https?:)?//[\w.-]+\.\w+/", text), path
