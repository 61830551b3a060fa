"""WordPress sites set up otherwise than the anchor: installed in a folder,
with pages named like the blog's own addresses, with photos larger than
uploads may be, and an import where one post fails."""

from __future__ import annotations

import shutil
from pathlib import Path

from lxml import html
from sqlalchemy import select

import blog.moving.writer
from blog.errors import Conflict
from blog.extensions import db
from blog.models import Article, Upload
from tests.wordpress_export import MEDIA_DIR, SMALL_WXR

SITE = "http://127.0.0.1:8080"


def changed_export(tmp_path: Path, change) -> Path:
    path = tmp_path / "site.wxr"
    path.write_text(change(SMALL_WXR.read_text(encoding="utf-8")), encoding="utf-8")
    return path


def import_file(runner, path: Path, media: Path = MEDIA_DIR):
    result = runner.invoke(
        args=["import-wordpress", str(path), "--media-dir", str(media)]
    )
    assert result.exit_code == 0, result.output
    return result.output


def test_wordpress_in_a_folder_keeps_its_folder_s_addresses(
    app, runner, client, tmp_path
) -> None:
    path = changed_export(tmp_path, lambda text: text.replace(SITE, f"{SITE}/blog"))

    output = import_file(runner, path)

    assert "is not in the site's" not in output  # found under /blog/wp-content/
    with app.app_context():
        assert db.session.scalar(select(Upload.id).limit(1)) is not None
    assert client.get("/blog/feed/").headers["Location"] == "/feed.xml"
    moved = client.get("/blog/?p=1006")
    assert moved.status_code == 301
    assert moved.headers["Location"] == "/articles/excerpt-and-featured-image"
    assert client.get("/blog/2026/05/20/excerpt-and-featured-image/").status_code == 301
    assert (
        client.get("/blog/category/travel/").headers["Location"] == "/category/travel"
    )


def test_a_page_named_like_one_of_the_blog_s_addresses_moves_aside(
    app, runner, client, tmp_path
) -> None:
    """A static-front-page site has pages "Home" and "Blog"; /search, /feed
    and the like are the blog's own."""
    path = changed_export(
        tmp_path,
        lambda text: text.replace(
            "<wp:post_name><![CDATA[about]]></wp:post_name>",
            "<wp:post_name><![CDATA[search]]></wp:post_name>",
        ),
    )

    output = import_file(runner, path)

    assert "its address /search is taken here: it is at search-2" in output
    assert client.get("/about/").headers["Location"] == "/search-2"
    assert client.get("/search-2").status_code == 200


def test_a_photo_larger_than_uploads_may_be_is_taken_from_its_smaller_copy(
    app_factory, tmp_path
) -> None:
    app = app_factory(UPLOAD_MAX_BYTES=8_000)  # harbour.jpg is 8,745 bytes
    media = tmp_path / "uploads"
    shutil.copytree(MEDIA_DIR, media)

    output = import_file(app.test_cli_runner(), SMALL_WXR, media)

    assert "harbour.jpg is larger than the upload limit" in output
    with app.app_context():
        sizes = set(db.session.scalars(select(Upload.width)))
    assert 300 in sizes  # harbour-300x200.jpg, the copy the post shows


def test_a_post_that_fails_takes_no_image_from_the_others(
    app, runner, client, monkeypatch
) -> None:
    """The about page fails after its images are stored; the post sharing
    its photo still shows that photo, and every image shown has its row."""
    save = blog.moving.writer.save_article

    def refusing(*, article, fields, author, editor):
        if fields.title == "About":
            raise Conflict("refused for the test")
        return save(article=article, fields=fields, author=author, editor=editor)

    monkeypatch.setattr(blog.moving.writer, "save_article", refusing)
    result = runner.invoke(
        args=["import-wordpress", str(SMALL_WXR), "--media-dir", str(MEDIA_DIR)]
    )

    assert result.exit_code == 1 and "page About: refused for the test" in result.output
    with app.app_context():
        stored = set(db.session.scalars(select(Upload.filename)))
        article = db.session.scalar(
            Article.select_by_slug("excerpt-and-featured-image")
        )
        assert article.cover.original_name == "harbour.jpg"
    for slug in ("excerpt-and-featured-image", "every-block-the-editor-has"):
        page = html.fromstring(client.get(f"/articles/{slug}").data)
        shown = {
            src.rsplit("/", 1)[1]
            for src in page.xpath("//div[@class='body']//img/@src")
        }
        assert shown <= stored, slug
