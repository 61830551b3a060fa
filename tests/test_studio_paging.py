"""The studio's long lists come in pages whose size the site's owner sets."""

from __future__ import annotations

import secrets

import pytest
from lxml import html

from blog.extensions import db
from blog.models import CommentStatus, Role, Upload, User
from tests.factories import make_article, make_comment, make_user


def test_page_sizes_can_be_set_from_the_environment(
    app_factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BLOG_MODERATION_COMMENTS_PER_PAGE", "20")
    monkeypatch.setenv("BLOG_UPLOADS_PER_PAGE", "12")

    app = app_factory()

    assert app.config["MODERATION_COMMENTS_PER_PAGE"] == 20
    assert app.config["UPLOADS_PER_PAGE"] == 12


def test_the_moderation_queue_holds_as_many_comments_a_page_as_configured(
    app, client_as
) -> None:
    app.config["MODERATION_COMMENTS_PER_PAGE"] = 2
    editor, _ = client_as(Role.EDITOR)
    with app.app_context():
        article, reader = make_article(), make_user()
        for _ in range(3):
            make_comment(article, reader, status=CommentStatus.PENDING)

    first = html.fromstring(editor.get("/studio/comments").text)
    second = html.fromstring(editor.get("/studio/comments?page=2").text)

    assert len(first.xpath("//input[@name='comment_ids']")) == 2
    assert len(second.xpath("//input[@name='comment_ids']")) == 1


def test_the_uploads_page_holds_as_many_images_as_configured(app, client_as) -> None:
    app.config["UPLOADS_PER_PAGE"] = 2
    app.config["STUDIO_ARTICLES_PER_PAGE"] = 1  # the articles' size is not used
    author_client, author = client_as(Role.AUTHOR)
    with app.app_context():
        for number in range(3):
            db.session.add(
                Upload(
                    filename=f"{secrets.token_hex(16)}.png",
                    original_name=f"picture-{number}.png",
                    content_type="image/png",
                    size=100,
                    width=3,
                    height=2,
                    uploader=db.session.get(User, author.id),
                )
            )
        db.session.commit()

    first = html.fromstring(author_client.get("/studio/uploads").text)
    second = html.fromstring(author_client.get("/studio/uploads?page=2").text)

    assert len(first.xpath("//ul[@class='upload-list']/li")) == 2
    assert len(second.xpath("//ul[@class='upload-list']/li")) == 1
