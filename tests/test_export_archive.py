"""The export as one .zip file, and what import-export refuses: a zip
member that would land outside its folder, an export that is not ours, a
blog that has content of its own. The export reads in batches, so its
queries do not grow with the number of articles."""

from __future__ import annotations

import json
import stat
import zipfile
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from blog.extensions import db
from blog.models import Comment, Role, Upload, User
from blog.moving.export_writer import export_site
from tests.export_site import (
    build_site,
    new_blog_fixture,  # noqa: F401 # the new_blog fixture
    snapshot,
    upload_files,
)
from tests.factories import (
    make_article,
    make_category,
    make_comment,
    make_tag,
    make_user,
)
from tests.test_export import run


def invoke(app: Flask, *arguments: str):  # noqa: ANN201
    return app.test_cli_runner().invoke(args=list(arguments))


def accounts(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(User.id)))


def test_a_zip_export_comes_back_whole_and_leaves_nothing_beside_it(
    app, new_blog, tmp_path
) -> None:
    build_site(app)
    target = tmp_path / "out" / "blog.zip"

    run(app, "export", str(target))
    run(new_blog, "import-export", str(target))

    assert sorted(path.name for path in target.parent.iterdir()) == ["blog.zip"]
    assert stat.S_IMODE(target.stat().st_mode) == 0o600  # e-mails and drafts
    with zipfile.ZipFile(target) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        assert "articles/tides.md" in archive.namelist()
    assert manifest["format"] == "blog-export"
    assert snapshot(new_blog) == snapshot(app)
    assert upload_files(new_blog) == upload_files(app)
    # The zip was unpacked in the instance folder, and that copy is gone.
    assert list((Path(new_blog.instance_path) / "imports").iterdir()) == []


def hostile_zip(path: Path, name: str, *, link: bool = False) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("manifest.json", '{"format": "blog-export", "version": 1}')
        member = zipfile.ZipInfo(name)
        if link:
            member.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(member, "/etc/passwd" if link else "owned")
    return path


@pytest.mark.parametrize(
    ("name", "link"),
    [
        ("../escaped.txt", False),
        ("articles/../../escaped.txt", False),
        ("/escaped.txt", False),
        ("C:\\escaped.txt", False),
        ("uploads/link.png", True),
    ],
)
def test_a_zip_member_outside_its_folder_is_refused_before_anything_is_written(
    app, tmp_path, name, link
) -> None:
    before = accounts(app)
    archive = hostile_zip(tmp_path / "hostile.zip", name, link=link)

    result = invoke(app, "import-export", str(archive))

    assert result.exit_code == 1
    assert "the zip holds a member outside its folder" in result.output
    assert not (tmp_path / "escaped.txt").exists()
    assert not Path("/escaped.txt").exists()
    assert list((Path(app.instance_path) / "imports").iterdir()) == []
    assert accounts(app) == before


@pytest.mark.parametrize(
    ("manifest", "message"),
    [
        (None, "has no manifest.json"),
        ('{"format": "wordpress", "version": 1}', "is not a blog-export manifest"),
        ('{"format": "blog-export", "version": 7}', "this is a version 7 export"),
        ("not json", "manifest.json is not JSON"),
    ],
)
def test_an_export_that_is_not_ours_is_refused(
    app, tmp_path, manifest, message
) -> None:
    folder = tmp_path / "other"
    folder.mkdir()
    (folder / "users.json").write_text('[{"email": "x@example.com"}]')
    if manifest is not None:
        (folder / "manifest.json").write_text(manifest)

    result = invoke(app, "import-export", str(folder))

    assert result.exit_code == 1 and message in result.output
    assert accounts(app) == 0


def test_a_file_that_is_no_zip_is_refused(app, tmp_path) -> None:
    other = tmp_path / "site.wxr"
    other.write_text("<rss/>")

    result = invoke(app, "import-export", str(other))

    assert result.exit_code == 1 and "neither a folder nor a zip" in result.output


def test_a_blog_with_articles_of_its_own_is_refused_and_left_alone(
    app, new_blog, tmp_path
) -> None:
    build_site(app)
    run(app, "export", str(tmp_path / "export"))
    with new_blog.app_context():
        make_article(slug="hello-world")
    before = accounts(new_blog)

    result = invoke(new_blog, "import-export", str(tmp_path / "export"))

    assert result.exit_code == 1
    assert "this blog has articles of its own (hello-world)" in result.output
    assert accounts(new_blog) == before


def test_export_refuses_a_folder_that_is_not_empty(app, tmp_path) -> None:
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "notes.txt").write_text("mine")

    result = invoke(app, "export", str(tmp_path / "full"))

    assert result.exit_code == 1 and "is not an empty folder" in result.output
    assert sorted(path.name for path in (tmp_path / "full").iterdir()) == ["notes.txt"]


def add_articles(app: Flask, number: int) -> None:
    with app.app_context():
        category, tag = make_category(f"Topic {number}"), make_tag(f"tag-{number}")
        for _ in range(number):
            article = make_article(
                author=make_user(role=Role.AUTHOR), category=category, tags=[tag]
            )
            make_comment(article, make_user())


def test_the_export_asks_the_same_questions_for_2_articles_or_20(
    app, count_queries, tmp_path
) -> None:
    asked = []
    for number in (2, 20):
        add_articles(app, number)
        with app.app_context(), count_queries() as queries:
            export_site(tmp_path / f"export-{number}")
        asked.append(len(queries))

    # Uploads, accounts, categories, tags, articles and their tags, comments,
    # old slugs, old addresses, settings and menus: a batch of 200 each.
    assert asked == [12, 12]


def test_a_loop_of_replies_or_a_file_that_is_no_image_fails_alone(
    app, new_blog, tmp_path
) -> None:
    build_site(app)
    target = tmp_path / "export"
    run(app, "export", str(target))
    thread = target / "comments" / "tides.json"
    data = json.loads(thread.read_text())
    first, second = data["comments"][0], data["comments"][1]
    first["parent"], second["parent"] = second["id"], first["id"]
    thread.write_text(json.dumps(data))
    uploads = json.loads((target / "uploads.json").read_text())
    (target / "uploads" / uploads[0]["filename"]).write_text("<script>")

    result = invoke(new_blog, "import-export", str(target))

    assert result.exit_code == 1
    assert f"comment {first['id']} is in a loop of replies" in result.output
    assert f"{uploads[0]['filename']}: This file is not a PNG" in result.output
    with new_blog.app_context():
        assert db.session.scalar(select(func.count(Comment.id))) == 0
        assert db.session.scalar(select(func.count(Upload.id))) == len(uploads) - 1
    assert uploads[0]["filename"] not in upload_files(new_blog)
