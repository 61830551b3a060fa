"""An author writes who they are in the studio: a photo, a bio and links.
Readers meet it under the author's articles and on their page, search
engines in JSON-LD, subscribers in the author's feed; no request leaves the
site for it."""

from __future__ import annotations

import io
import json
from typing import NamedTuple
from urllib.parse import urlsplit

import feedparser
import pytest
from flask.testing import FlaskClient
from lxml import html

from blog.extensions import db
from blog.models import AuthorProfile, Role, Upload, User
from tests.factories import make_article, make_user
from tests.test_site_settings import png_bytes

BIO = "Harbour master for **twenty** years. <script>alert(1)</script>"


class Author(NamedTuple):
    id: int
    slug: str
    display_name: str


@pytest.fixture
def author_client(client_as) -> tuple[FlaskClient, Author]:
    """A logged-in author, and who they are."""
    client, user = client_as(Role.AUTHOR)
    return client, Author(user.id, user.slug, user.display_name)


@pytest.fixture
def their_article(app, author_client) -> str:
    _client, author = author_client
    with app.app_context():
        user = db.session.get(User, author.id)
        make_article(title="Low tide", slug="low-tide", author=user)
    return "/articles/low-tide"


def save_profile(client, **changes: object):
    form: dict[str, object] = {
        "bio": BIO,
        "website": "https://ada.example.org/",
        "links": "https://mastodon.example/@ada\nhttps://github.com/ada",
    }
    form.update(changes)
    data = {key: value for key, value in form.items() if value is not None}
    return client.post("/studio/profile", data=data, content_type="multipart/form-data")


def json_ld(page: html.HtmlElement) -> list[dict]:
    return [
        json.loads(script.text)
        for script in page.iter("script")
        if script.get("type") == "application/ld+json"
    ]


def test_an_author_writes_a_bio_and_links_that_readers_see_under_their_articles(
    app, author_client, their_article, client
) -> None:
    author_page_client, author = author_client
    response = save_profile(author_page_client)
    assert response.status_code == 303

    page = html.fromstring(client.get(their_article).text)
    box = page.find_class("author-box")[0]
    assert box.findtext(".//h2/a") == author.display_name
    bio = box.find_class("author-bio")[0]
    assert bio.get("dir") == "auto"
    assert bio.findtext(".//strong") == "twenty"
    # The bio is sanitised: its script is text at most, never an element.
    assert not box.xpath(".//script")
    links = box.xpath(".//ul[@class='profile-links']//a")
    assert [link.get("href") for link in links] == [
        "https://ada.example.org/",
        "https://mastodon.example/@ada",
        "https://github.com/ada",
    ]
    assert {link.get("rel") for link in links} == {"me"}
    assert [link.text for link in links] == [
        "ada.example.org",
        "mastodon.example/@ada",
        "github.com/ada",
    ]


def test_without_a_photo_the_author_is_shown_by_initials_drawn_in_the_page(
    app, their_article, client
) -> None:
    page = html.fromstring(client.get(their_article).text)
    avatar = page.find_class("author-box")[0].find_class("avatar")[0]
    assert avatar.tag == "svg"
    assert avatar.get("aria-hidden") == "true"
    name = page.find_class("author-box")[0].findtext(".//h2/a")  # "User 12"
    assert avatar.findtext(".//text") == "U" + name.split()[-1][0]


def test_a_photo_is_cropped_square_and_served_from_the_site(
    app, author_client, their_article, client
) -> None:
    author_page_client, author = author_client
    response = save_profile(
        author_page_client, avatar=(io.BytesIO(png_bytes((800, 500))), "me.png")
    )
    assert response.status_code == 303
    with app.app_context():
        profile = db.session.get(AuthorProfile, author.id)
        assert profile.avatar.square_sizes == [64, 96, 128, 192]
        assert profile.avatar.alt == author.display_name

    page = html.fromstring(client.get(their_article).text)
    image = page.find_class("author-box")[0].find_class("avatar")[0]
    assert image.tag == "img" and image.get("alt") == ""
    assert image.get("width") == image.get("height") == "64"
    small, large = (part.split()[0] for part in image.get("srcset").split(","))
    assert small.endswith("-64sq.png") and large.endswith("-128sq.png")
    with client.get(large) as served:
        assert served.status_code == 200
        assert served.mimetype == "image/png"

    author_page = html.fromstring(client.get(f"/author/{author.slug}").text)
    assert (
        author_page.find_class("avatar")[0]
        .get("srcset")
        .split(",")[0]
        .endswith("-96sq.png 1x")
    )

    save_profile(author_page_client, remove_avatar="y")
    page = html.fromstring(client.get(their_article).text)
    assert page.find_class("author-box")[0].find_class("avatar")[0].tag == "svg"


def test_the_author_page_carries_their_profile_and_a_person_in_json_ld(
    app, author_client, their_article, client
) -> None:
    author_page_client, author = author_client
    save_profile(author_page_client, avatar=(io.BytesIO(png_bytes()), "me.png"))

    page = html.fromstring(client.get(f"/author/{author.slug}").text)
    header = page.find_class("author-header")[0]
    assert header.find(".//h1").text_content().split() == [
        "Author",
        *author.display_name.split(),
    ]
    assert header.find_class("author-bio")[0].findtext(".//strong") == "twenty"
    assert len(header.xpath(".//a[@rel='me']")) == 3

    (profile_page,) = json_ld(page)
    assert profile_page["@type"] == "ProfilePage"
    person = profile_page["mainEntity"]
    assert person["@type"] == "Person"
    assert person["name"] == author.display_name
    site_url = app.config["SITE_URL"]
    assert person["url"] == f"{site_url}/author/{author.slug}"
    assert person["image"].startswith(f"{site_url}/uploads/")
    assert person["image"].endswith("-192sq.png")
    assert person["description"].startswith("Harbour master for twenty years.")
    assert person["sameAs"][0] == "https://ada.example.org/"

    (article,) = json_ld(html.fromstring(client.get(their_article).text))
    assert article["@type"] == "Article"
    assert article["author"] == person


def test_no_profile_page_asks_another_origin_for_anything(
    app, author_client, their_article, client
) -> None:
    author_page_client, author = author_client
    save_profile(author_page_client, avatar=(io.BytesIO(png_bytes()), "me.png"))
    site = urlsplit(app.config["SITE_URL"]).netloc
    for path in (their_article, f"/author/{author.slug}", "/studio/profile"):
        source = (author_page_client if "studio" in path else client).get(path).text
        page = html.fromstring(source)
        fetched = page.xpath("//@src | //@srcset | //link/@href | //@poster")
        for address in fetched:
            for candidate in address.split(","):
                url = candidate.split()[0] if candidate.split() else ""
                assert urlsplit(url).netloc in ("", site), (path, url)


def test_the_author_feed_carries_their_photo_and_bio(
    app, author_client, their_article, client
) -> None:
    author_page_client, author = author_client
    before = client.get(f"/author/{author.slug}/feed.json")
    assert before.status_code == 200
    save_profile(author_page_client, avatar=(io.BytesIO(png_bytes()), "me.png"))

    # A subscriber holding the old feed is sent the new one.
    revalidated = client.get(
        f"/author/{author.slug}/feed.json",
        headers={
            "If-None-Match": before.headers["ETag"],
        },
    )
    assert revalidated.status_code == 200
    since = client.get(
        f"/author/{author.slug}/feed.json",
        headers={"If-Modified-Since": before.headers["Last-Modified"]},
    )
    assert since.status_code == 200

    document = revalidated.json
    assert document["description"].startswith("Harbour master for twenty years.")
    (feed_author,) = document["authors"]
    assert feed_author["avatar"].endswith("-128sq.png")
    assert document["items"][0]["authors"][0]["avatar"] == feed_author["avatar"]

    rss = feedparser.parse(client.get(f"/author/{author.slug}/feed.xml").data)
    assert rss.feed.image.href == feed_author["avatar"]
    assert rss.feed.subtitle.startswith("Harbour master")
    atom = feedparser.parse(client.get(f"/author/{author.slug}/atom.xml").data)
    assert atom.feed.logo == feed_author["avatar"]

    # Every feed names the author's photo in JSON Feed.
    site = client.get("/feed.json").json
    assert site["items"][0]["authors"][0]["avatar"] == feed_author["avatar"]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("website", "javascript:alert(1)", "is not a web address"),
        ("links", "https://ok.example\nfile:///etc/passwd", "is not a web address"),
        ("links", "\n".join(f"https://site{n}.example" for n in range(7)), "at most 6"),
        ("website", "https://" + "a" * 300 + ".example", "at most 300 characters"),
        ("bio", "x" * 2001, "at most 2000"),
    ],
)
def test_a_bad_profile_is_refused_with_the_reason_and_changes_nothing(
    app, author_client, field, value, message
) -> None:
    author_page_client, author = author_client
    assert save_profile(author_page_client, bio="Kept.").status_code == 303
    uploads_before = count_uploads(app)

    response = save_profile(
        author_page_client, avatar=(io.BytesIO(png_bytes()), "me.png"), **{field: value}
    )
    assert response.status_code == 400
    assert message in response.text
    # What was typed comes back to be corrected.
    assert html.fromstring(response.text).xpath(f"//*[@name='{field}']")
    with app.app_context():
        profile = db.session.get(AuthorProfile, author.id)
        assert profile.bio_markdown == "Kept."
        assert profile.avatar is None
    assert count_uploads(app) == uploads_before  # no photo left behind


def count_uploads(app) -> int:
    with app.app_context():
        return len(db.session.scalars(db.select(Upload)).all())


def test_readers_have_no_profile_to_edit_and_authors_edit_only_their_own(
    app, client_as, author_client
) -> None:
    reader_client, _reader = client_as(Role.READER)
    assert reader_client.get("/studio/profile").status_code == 403
    author_page_client, _author = author_client
    with app.app_context():
        other_id = make_user(role=Role.AUTHOR).id
    assert author_page_client.get(f"/studio/profile/{other_id}").status_code == 403
    assert save_profile(author_page_client).status_code == 303
    with app.app_context():
        assert db.session.get(AuthorProfile, other_id) is None


def test_an_admin_writes_an_imported_authors_profile(app, admin, client) -> None:
    with app.app_context():
        imported = make_user(role=Role.AUTHOR, password_hash=None)
        make_article(author=imported, slug="theirs")
        imported_id, reader_id = imported.id, make_user(role=Role.READER).id
    response = admin.post(
        f"/studio/profile/{imported_id}",
        data={"bio": "Wrote for us in 2019.", "website": "", "links": ""},
    )
    assert response.status_code == 303
    assert "Wrote for us in 2019." in client.get("/articles/theirs").text
    assert admin.get(f"/studio/profile/{reader_id}").status_code == 404
    assert admin.get("/studio/profile/999999").status_code == 404
