"""The owner makes the site theirs from the studio: its title, tagline,
description, accent, logo and icon, language, time zone and policies, seen
by every reader at once; what the operator set in the configuration wins."""

from __future__ import annotations

import io
import json

import feedparser
import pytest
from lxml import html
from PIL import Image

from blog.extensions import db
from blog.models import Article, Comment, CommentStatus, Role, SiteSettings
from tests.factories import make_article, make_user

PNG_SQUARE = (600, 600)


def png_bytes(size: tuple[int, int] = PNG_SQUARE, colour=(200, 60, 20)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="PNG")
    return buffer.getvalue()


def settings_form(**changes: object) -> dict[str, object]:
    form: dict[str, object] = {
        "title": "Harbour Notes",
        "tagline": "Tides, boats and the people between",
        "description": "A harbour master writes about the sea.",
        "accent_color": "#8a2be2",
        "language": "en",
        "timezone": "Europe/Paris",
        "comment_moderation": "first",
        "registration_open": "y",
    }
    form.update(changes)
    return {key: value for key, value in form.items() if value is not None}


def save(client, **changes: object):
    data = settings_form(**changes)
    return client.post(
        "/studio/settings", data=data, content_type="multipart/form-data"
    )


@pytest.fixture
def published(app):
    with app.app_context():
        make_article(title="Low tide", slug="low-tide")


def test_an_admin_retitles_the_site_and_anonymous_readers_see_it_at_once(
    app, admin, client, published, count_queries, version_reads
) -> None:
    # The old title is cached first, for anonymous readers.
    assert "Test Blog" in client.get("/").text
    with count_queries() as queries:
        assert "Test Blog" in client.get("/").text
    assert len(queries) == version_reads  # served from the page cache
    old_feed = client.get("/feed.xml")

    response = save(admin)
    assert response.status_code == 303

    home = html.fromstring(client.get("/").text)
    assert home.findtext(".//title") == "Harbour Notes"
    assert home.findtext(".//h1") == "Harbour Notes"
    assert home.findtext(".//p[@class='tagline']").startswith("Tides, boats")
    meta = {
        element.get("property") or element.get("name"): element.get("content")
        for element in home.iter("meta")
    }
    assert meta["og:site_name"] == "Harbour Notes"
    assert meta["description"] == "A harbour master writes about the sea."
    article = html.fromstring(client.get("/articles/low-tide").text)
    assert article.findtext(".//a[@class='brand']").strip() == "Harbour Notes"
    # Feed readers holding the old copy get the new channel, not a 304.
    feed = client.get("/feed.xml", headers={"If-None-Match": old_feed.headers["ETag"]})
    assert feed.status_code == 200
    channel = feedparser.parse(feed.data).feed
    assert channel.title == "Harbour Notes"
    assert channel.subtitle == "A harbour master writes about the sea."
    by_date = client.get(
        "/feed.xml", headers={"If-Modified-Since": old_feed.headers["Last-Modified"]}
    )
    assert by_date.status_code == 200
    manifest = client.get("/manifest.webmanifest").get_json(force=True)
    assert manifest["name"] == "Harbour Notes"


def test_the_accent_colour_reaches_the_theme_stylesheet(app, admin, client) -> None:
    save(admin, accent_color="#8a2be2")
    page = html.fromstring(client.get("/").text)
    theme = [
        link.get("href")
        for link in page.iter("link")
        if "/theme.css" in (link.get("href") or "")
    ]
    assert theme, "no accent stylesheet linked"
    assert "--accent: #8a2be2" in client.get(theme[0]).text


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"accent_color": "#ffff00"}, "contrast of"),
        ({"accent_color": "yellow"}, "six hex digits"),
        ({"timezone": "Mars/Olympus"}, "Not a valid choice"),
        ({"language": "xx"}, "Not a valid choice"),
        ({"comment_moderation": "sometimes"}, "Not a valid choice"),
        ({"title": "   "}, "This field is required"),
        ({"title": "T" * 81}, "Field cannot be longer than 80 characters"),
        ({"description": "D" * 301}, "Field cannot be longer than 300 characters"),
    ],
)
def test_a_value_the_site_cannot_use_is_refused_and_nothing_changes(
    app, admin, client, changes, message
) -> None:
    response = save(admin, **changes)
    assert response.status_code == 400
    assert message in response.text
    # What was typed comes back for correcting (a choice not offered cannot).
    for field, value in changes.items():
        if field in ("title", "accent_color", "description") and value.strip():
            assert value[:80] in response.text
    with app.app_context():
        assert db.session.get(SiteSettings, 1) is None
    assert "Test Blog" in client.get("/").text


def test_only_admins_reach_the_settings(app, client_as, client) -> None:
    for role in (Role.READER, Role.AUTHOR, Role.EDITOR):
        user_client, _user = client_as(role)
        assert user_client.get("/studio/settings").status_code == 403
        assert save(user_client).status_code == 403
    assert client.get("/studio/settings").status_code == 302  # to log in
    with app.app_context():
        assert db.session.get(SiteSettings, 1) is None


def test_a_setting_the_operator_set_wins_and_is_shown_locked(
    app_factory, monkeypatch
) -> None:
    monkeypatch.setenv("BLOG_SITE_TAGLINE", "The operator's line")
    app = app_factory()
    with app.app_context():
        admin = make_user(role=Role.ADMIN)
    from tests.conftest import log_in

    client = log_in(app.test_client(), admin)
    page = html.fromstring(client.get("/studio/settings").text)
    tagline = page.get_element_by_id("tagline")
    assert tagline.get("disabled") is not None
    assert "BLOG_SITE_TAGLINE" in page.text_content()

    # A browser sends nothing for a disabled field; a hand-made form might.
    assert save(client, tagline=None).status_code == 303
    assert save(client, tagline="Sneaked in").status_code == 303
    home = html.fromstring(app.test_client().get("/").text)
    assert home.findtext(".//p[@class='tagline']") == "The operator's line"
    # The rest of the form was saved.
    assert home.findtext(".//h1") == "Harbour Notes"


def test_an_uploaded_icon_becomes_the_favicon_touch_icon_and_app_icons(
    app, admin, client
) -> None:
    response = admin.post(
        "/studio/settings",
        data={**settings_form(), "icon": (io.BytesIO(png_bytes()), "mark.png")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 303, response.text
    page = html.fromstring(client.get("/").text)
    links = {link.get("rel"): link.get("href") for link in page.iter("link")}
    assert image_size(client, links["apple-touch-icon"]) == (180, 180)
    assert image_size(client, links["icon"]) == (32, 32)
    favicon = client.get("/favicon.ico")
    assert favicon.mimetype == "image/vnd.microsoft.icon"
    assert Image.open(io.BytesIO(favicon.data)).format == "ICO"
    manifest = json.loads(client.get(links["manifest"]).data)
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert sizes == {"192x192", "512x512"}
    for icon in manifest["icons"]:
        width = int(icon["sizes"].split("x")[0])
        assert image_size(client, icon["src"]) == (width, width)


def image_size(client, path: str) -> tuple[int, int]:
    with client.get(path) as response:
        assert response.status_code == 200, path
        return Image.open(io.BytesIO(response.data)).size


def test_a_logo_replaces_the_title_in_the_header_and_keeps_it_as_alt_text(
    app, admin, client
) -> None:
    logo = png_bytes((400, 100))
    admin.post(
        "/studio/settings",
        data={**settings_form(), "logo": (io.BytesIO(logo), "logo.png")},
        content_type="multipart/form-data",
    )
    brand = html.fromstring(client.get("/").text).find(".//a[@class='brand']")
    image = brand.find("img")
    assert image.get("alt") == "Harbour Notes"
    assert (image.get("width"), image.get("height")) == ("400", "100")
    with client.get(image.get("src")) as served:
        assert served.status_code == 200

    save(admin, remove_logo="y")
    brand = html.fromstring(client.get("/").text).find(".//a[@class='brand']")
    assert brand.find("img") is None
    assert brand.text_content().strip() == "Harbour Notes"


def test_a_file_that_is_not_an_image_is_refused_with_the_rest_kept(app, admin) -> None:
    response = admin.post(
        "/studio/settings",
        data={**settings_form(), "icon": (io.BytesIO(b"<svg/>"), "mark.svg")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert "not a PNG, JPEG, GIF or WebP image" in response.text
    assert "Harbour Notes" in response.text
    with app.app_context():
        assert db.session.get(SiteSettings, 1) is None


def test_the_time_zone_set_in_the_studio_dates_the_articles(app, admin, client) -> None:
    from datetime import UTC, datetime

    with app.app_context():
        make_article(slug="late", published_at=datetime(2026, 3, 1, 23, 30, tzinfo=UTC))
    assert "1 March 2026" in client.get("/articles/late").text
    save(admin, timezone="Asia/Tokyo")
    assert "2 March 2026" in client.get("/articles/late").text


def test_closing_registration_in_the_studio_closes_it(app, admin, client) -> None:
    assert "Register" in client.get("/").text
    save(admin, registration_open=None)
    assert client.get("/auth/register").status_code == 403
    assert ">Register<" not in client.get("/").text


def test_the_moderation_policy_set_in_the_studio_holds_comments(
    app, admin, client_as
) -> None:
    with app.app_context():
        make_article(slug="open")
    save(admin, comment_moderation="all")
    reader, user = client_as(Role.READER)
    with app.app_context():
        user.has_approved_comment = True
        db.session.merge(user)
        db.session.commit()
    reader.post("/articles/open/comments", data={"body": "Held back?"})
    with app.app_context():
        comment = db.session.scalars(db.select(Comment)).one()
        assert comment.status == CommentStatus.PENDING
        assert db.session.scalars(db.select(Article)).one().slug == "open"


def test_a_logo_sent_with_a_refused_accent_is_not_kept_apart(app, admin) -> None:
    from blog.models import Upload

    response = admin.post(
        "/studio/settings",
        data={
            **settings_form(accent_color="#ffff00"),
            "logo": (io.BytesIO(png_bytes((400, 100))), "logo.png"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalars(db.select(Upload)).first() is None
