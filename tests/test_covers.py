"""Cover images and described images: an author uploads a picture once, with
what it shows; readers get it sized for their screen, link previews and feed
readers get it too, and nobody gets a picture described as nothing."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import feedparser
from lxml import html
from PIL import Image

from blog.extensions import db
from blog.models import Article, Role, Upload
from tests.factories import make_article, make_user
from tests.test_studio import editor_form

WIDE_PHOTO = (2000, 1000)


def jpeg_bytes(size: tuple[int, int] = WIDE_PHOTO) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (30, 90, 160)).save(buffer, format="JPEG")
    return buffer.getvalue()


def uploads_folder(app) -> Path:
    return Path(app.instance_path) / "uploads"


def publish_with_cover(client, **fields: object):
    form = editor_form(publish="1", **{k: v for k, v in fields.items() if k != "file"})
    form["cover_image"] = (io.BytesIO(fields.get("file") or jpeg_bytes()), "sea.jpg")
    return client.post(
        "/studio/articles/new", data=form, content_type="multipart/form-data"
    )


def drop_image(client, alt: str, data: bytes | None = None, name: str = "sea.jpg"):  # noqa: ANN201
    """An image sent as the editor's script sends one dropped into the text."""
    return client.post(
        "/studio/uploads/insert",
        data={"image": (io.BytesIO(data or jpeg_bytes()), name), "alt": alt},
        content_type="multipart/form-data",
    )


def the_article(app) -> Article:
    with app.app_context():
        article = db.session.scalar(db.select(Article))
        db.session.refresh(article)
        _ = article.cover
        db.session.expunge_all()
        return article


def test_an_upload_is_kept_in_smaller_copies_as_webp_and_its_own_format(
    app, client_as
) -> None:
    author_client, _ = client_as(Role.AUTHOR)

    response = publish_with_cover(author_client, cover_alt="A calm blue sea")

    assert response.status_code == 303
    cover = the_article(app).cover
    assert cover.variant_widths == [480, 800, 1200, 1600]
    for width in cover.variant_widths:
        for extension, image_format in (("webp", "WEBP"), ("jpg", "JPEG")):
            path = uploads_folder(app) / f"{cover.stem}-{width}w.{extension}"
            with Image.open(path) as copy:
                assert copy.format == image_format
                assert copy.size == (width, width // 2)


def test_an_image_narrower_than_the_copies_is_never_enlarged(app, client_as) -> None:
    author_client, _ = client_as(Role.AUTHOR)

    publish_with_cover(author_client, file=jpeg_bytes((600, 400)), cover_alt="Sea")

    cover = the_article(app).cover
    assert cover.variant_widths == [480, 600]
    names = sorted(path.name for path in uploads_folder(app).iterdir())
    assert names == sorted(
        [cover.filename]
        + [f"{cover.stem}-{name}" for name in ("480w.jpg", "480w.webp", "600w.webp")]
    )


def test_the_article_shows_its_cover_sized_for_the_screen_without_layout_shift(
    app, client_as
) -> None:
    author_client, _ = client_as(Role.AUTHOR)
    publish_with_cover(author_client, cover_alt="A calm blue sea")
    article = the_article(app)

    page = html.fromstring(app.test_client().get(f"/articles/{article.slug}").data)

    (picture,) = page.xpath("//article//picture[contains(@class, 'article-cover')]")
    # lxml's HTML parser puts the <img> inside the <source>.
    (source,) = picture.xpath(".//source")
    (img,) = picture.xpath(".//img")
    assert source.get("type") == "image/webp"
    assert source.get("srcset").count("w,") == 3
    assert "-1600w.webp 1600w" in source.get("srcset")
    assert source.get("sizes") == img.get("sizes")
    assert (img.get("width"), img.get("height")) == ("1200", "600")
    assert img.get("alt") == "A calm blue sea"
    # The largest paint of the page: never fetched lazily.
    assert img.get("loading") is None
    served = app.test_client().get(img.get("src"))
    assert (served.status_code, served.mimetype) == (200, "image/jpeg")
    served.close()


def test_listings_show_covers_as_thumbnails_lazily_after_the_first(
    app, client_as
) -> None:
    author_client, _ = client_as(Role.AUTHOR)
    publish_with_cover(author_client, title="First", cover_alt="Sea")
    publish_with_cover(author_client, title="Second", cover_alt="Sea")

    page = html.fromstring(app.test_client().get("/").data)

    images = page.xpath("//article[contains(@class, 'card')]//picture//img")
    assert len(images) == 2
    assert images[0].get("loading") is None
    assert images[1].get("loading") == "lazy"
    # The article page describes it; beside the title it is decoration.
    assert {img.get("alt") for img in images} == {""}


def test_link_previews_and_structured_data_carry_the_cover(app, client_as) -> None:
    author_client, _ = client_as(Role.AUTHOR)
    publish_with_cover(author_client, cover_alt="A calm blue sea")
    article = the_article(app)

    page = html.fromstring(app.test_client().get(f"/articles/{article.slug}").data)

    def meta(key: str) -> str:
        return page.xpath(f"//meta[@property='{key}' or @name='{key}']/@content")[0]

    cover_url = meta("og:image")
    assert re.fullmatch(r"http://blog\.test/uploads/[0-9a-f]{32}-1200w\.jpg", cover_url)
    assert (meta("og:image:width"), meta("og:image:height")) == ("1200", "600")
    assert meta("og:image:alt") == "A calm blue sea"
    assert meta("twitter:card") == "summary_large_image"
    assert meta("twitter:image") == cover_url
    data = json.loads(page.xpath("//script[@type='application/ld+json']")[0].text)
    assert data["image"] == cover_url


def test_feeds_carry_the_cover(app, client_as) -> None:
    author_client, _ = client_as(Role.AUTHOR)
    publish_with_cover(author_client, cover_alt="A calm blue sea")
    cover = the_article(app).cover
    shared = uploads_folder(app) / f"{cover.stem}-1200w.jpg"
    client = app.test_client()

    rss = feedparser.parse(client.get("/feed.xml").data)
    atom = feedparser.parse(client.get("/atom.xml").data)
    feed_json = client.get("/feed.json").get_json()

    for parsed in (rss, atom):
        assert not parsed.bozo
        (enclosure,) = parsed.entries[0].enclosures
        assert enclosure.href.endswith(shared.name)
        assert enclosure.type == "image/jpeg"
        assert int(enclosure.length) == shared.stat().st_size
    assert feed_json["items"][0]["image"].endswith(shared.name)


def test_a_cover_without_its_own_text_uses_the_images_description(
    app, client_as
) -> None:
    author_client, _ = client_as(Role.AUTHOR)
    uploaded = drop_image(author_client, "Waves at noon").get_json()

    author_client.post(
        "/studio/articles/new",
        data=editor_form(publish="1", cover=str(uploaded["id"]), cover_alt=""),
    )
    slug = the_article(app).slug
    page = app.test_client().get(f"/articles/{slug}").text

    assert 'alt="Waves at noon"' in page
    # Described better later: the cover says so at once.
    author_client.post(
        f"/studio/uploads/{uploaded['id']}/alt",
        data={f"upload-{uploaded['id']}-alt": "Waves breaking at noon"},
    )
    assert (
        'alt="Waves breaking at noon"'
        in app.test_client().get(f"/articles/{slug}").text
    )


def test_an_author_cannot_take_another_authors_image(app, client_as) -> None:
    owner_client, _ = client_as(Role.AUTHOR)
    other_client, _ = client_as(Role.AUTHOR)
    theirs = drop_image(owner_client, "Mine").get_json()["id"]

    for cover in (str(theirs), "99999", "²", "9" * 30, "-1", "1 OR 1=1"):
        response = other_client.post(
            "/studio/articles/new", data=editor_form(save="1", cover=cover)
        )
        assert response.status_code == 400, cover
        assert "That image is not one you can use" in response.text
        assert "Volcanoes Up Close" in response.text  # the text is still there
    described = other_client.post(
        f"/studio/uploads/{theirs}/alt", data={f"upload-{theirs}-alt": "Stolen"}
    )
    assert described.status_code == 403
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Article.id))) == 0
        assert db.session.get(Upload, theirs).alt == "Mine"


def test_an_editor_may_use_any_image_and_the_author_keeps_it(app, client_as) -> None:
    author_client, _ = client_as(Role.AUTHOR)
    editor_client, _ = client_as(Role.EDITOR)
    image_id = drop_image(editor_client, "Sea").get_json()["id"]
    author_client.post("/studio/articles/new", data=editor_form(save="1"))
    article_id = the_article(app).id

    chosen = editor_client.post(
        f"/studio/articles/{article_id}/edit",
        data=editor_form(save="1", cover=str(image_id)),
    )
    kept = author_client.post(
        f"/studio/articles/{article_id}/edit",
        data=editor_form(save="1", cover=str(image_id), summary="Changed"),
    )

    assert (chosen.status_code, kept.status_code) == (303, 303)
    assert the_article(app).cover_id == image_id


def test_a_refused_save_keeps_the_cover_just_uploaded(app, client_as) -> None:
    author_client, _ = client_as(Role.AUTHOR)

    response = publish_with_cover(author_client, slug="Not A Slug!", cover_alt="Sea")

    assert response.status_code == 400
    with app.app_context():
        upload_id = db.session.scalar(db.select(Upload.id))
    page = html.fromstring(response.data)
    (selected,) = page.xpath("//select[@name='cover']/option[@selected]")
    assert selected.get("value") == str(upload_id)


def test_an_image_dropped_in_the_editor_comes_back_as_markdown_with_its_alt(
    app, client_as
) -> None:
    author_client, _ = client_as(Role.AUTHOR)

    answer = author_client.post(
        "/studio/uploads/insert",
        data={
            "image": (io.BytesIO(jpeg_bytes((300, 200))), "pasted.png"),
            "alt": "A [bracketed]\nlabel",
        },
        content_type="multipart/form-data",
    )

    assert answer.status_code == 200
    markdown = answer.get_json()["markdown"]
    assert re.fullmatch(
        r"!\[A bracketed label\]\(/uploads/[0-9a-f]{32}\.jpg\)", markdown
    )
    # The images page and the editor's list offer the same, described, snippet.
    assert markdown in author_client.get("/studio/uploads").text
    assert markdown in author_client.get("/studio/articles/new").text


def test_a_refused_drop_answers_json_with_the_reason(client_as) -> None:
    author_client, _ = client_as(Role.AUTHOR)

    refused = drop_image(author_client, "x", data=b"not an image", name="x.png")
    missing = author_client.post("/studio/uploads/insert", data={"alt": "x"})

    assert refused.status_code == 400
    assert "not a PNG, JPEG, GIF or WebP" in refused.get_json()["error"]
    assert missing.status_code == 400
    assert missing.get_json()["error"].startswith("Image")


def test_readers_cannot_upload(client_as) -> None:
    reader_client, _ = client_as(Role.READER)
    response = drop_image(reader_client, "x")
    assert response.status_code == 403


def test_an_article_without_a_cover_offers_none(app) -> None:
    with app.app_context():
        article = make_article(author=make_user(role="author"))
        slug = article.slug
    page = app.test_client().get(f"/articles/{slug}").text
    assert "og:image" not in page
    assert 'content="summary"' in page
    assert "<picture" not in page


def test_a_refused_description_says_why_and_keeps_the_old_one(app, client_as) -> None:
    author_client, _ = client_as(Role.AUTHOR)
    image_id = drop_image(author_client, "Sea").get_json()["id"]

    too_long = author_client.post(
        f"/studio/uploads/{image_id}/alt", data={f"upload-{image_id}-alt": "x" * 201}
    )
    nothing_sent = author_client.post(f"/studio/uploads/{image_id}/alt", data={})

    assert too_long.status_code == 400
    assert "Field cannot be longer than 200 characters." in too_long.text
    assert nothing_sent.status_code == 400
    assert "No description was sent." in nothing_sent.text
    with app.app_context():
        assert db.session.get(Upload, image_id).alt == "Sea"


def test_a_cover_sent_with_preview_is_kept_for_the_save_that_follows(
    app, client_as
) -> None:
    author_client, _ = client_as(Role.AUTHOR)
    form = editor_form(preview="1", cover_alt="Sea")
    form["cover_image"] = (io.BytesIO(jpeg_bytes()), "sea.jpg")

    preview = author_client.post(
        "/studio/articles/new", data=form, content_type="multipart/form-data"
    )

    assert preview.status_code == 200
    (selected,) = html.fromstring(preview.data).xpath(
        "//select[@name='cover']/option[@selected]"
    )
    with app.app_context():
        assert selected.get("value") == str(db.session.scalar(db.select(Upload.id)))
