"""Moving out and back: `export` writes everything the blog holds, and
`import-export` brings it into a new, empty blog as it was, row for row
(ids aside) and file for file."""

from __future__ import annotations

import json
import stat

import frontmatter
from flask import Flask
from sqlalchemy import func, select

from blog.extensions import db
from blog.models import Revision
from tests.export_site import (
    build_site,
    new_blog_fixture,  # noqa: F401 # the new_blog fixture
    snapshot,
    upload_files,
)


def run(app: Flask, *arguments: str) -> str:
    result = app.test_cli_runner().invoke(args=list(arguments))
    assert result.exit_code == 0, result.output
    return result.output


def assert_same_blogs(old: Flask, new: Flask) -> None:
    before, after = snapshot(old), snapshot(new)
    for table, rows in before.items():
        assert after[table] == rows, table
    assert upload_files(new) == upload_files(old)


def test_an_export_comes_back_into_an_empty_blog_row_for_row(
    app, new_blog, tmp_path
) -> None:
    build_site(app)
    target = tmp_path / "export"

    exported = run(app, "export", str(target))
    imported = run(new_blog, "import-export", str(target))

    manifest = json.loads((target / "manifest.json").read_text())
    assert stat.S_IMODE(target.stat().st_mode) == 0o700  # e-mails and drafts
    assert manifest["format"] == "blog-export" and manifest["version"] == 1
    assert manifest["exported_at"].endswith("+00:00")
    assert manifest["counts"] == {
        "articles": 3,
        "categories": 2,
        "comments": 8,
        "old_addresses": 4,
        "old_slugs": 1,
        "pages": 1,
        "tags": 3,
        "uploads": 4,
        "users": 5,
    }
    assert "Exported 3 articles, 2 categories, 8 comments" in exported
    assert "failed" not in imported, imported
    assert_same_blogs(app, new_blog)


def test_the_markdown_files_are_what_import_markdown_reads(app, tmp_path) -> None:
    build_site(app)
    run(app, "export", str(tmp_path / "export"))

    text = (tmp_path / "export/articles/tides.md").read_text()
    post = frontmatter.loads(text)
    comments = json.loads((tmp_path / "export/comments/tides.json").read_text())
    users = json.loads((tmp_path / "export/users.json").read_text())

    assert post["title"] == "Tides — «marées»" and post["type"] == "article"
    assert post["status"] == "published" and post["author_email"].endswith(".com")
    assert post["tags"] == ["C++", "python"] and post["tag_slugs"] == ["cpp", "python"]
    assert post["date"].endswith("+00:00") and post["cover"].endswith(".jpg")
    # The body as it is: the code block's indentation and no final newline.
    assert text.split("\n---\n", 1)[1].startswith("    code, indented")
    assert text.endswith("\n\nNo newline at the end")
    guest = next(c for c in comments["comments"] if c["guest"])
    assert guest["author"] is None
    assert guest["guest"] == {"name": "Gus", "email": "gus@example.org"}
    replies = [c for c in comments["comments"] if c["parent"] is not None]
    assert len(replies) == 3
    assert {c["status"] for c in comments["comments"]} == {
        "visible",
        "pending",
        "hidden",
        "spam",
        "deleted",
    }
    assert all("password" not in key for user in users for key in user)


def test_import_markdown_first_then_import_export_gives_the_same_blog(
    app, new_blog, tmp_path
) -> None:
    build_site(app)
    target = tmp_path / "export"
    run(app, "export", str(target))

    run(new_blog, "import-markdown", *map(str, sorted(target.glob("articles/*.md"))))
    run(new_blog, "import-export", str(target))

    assert_same_blogs(app, new_blog)


def test_import_export_twice_changes_nothing(app, new_blog, tmp_path) -> None:
    build_site(app)
    target = tmp_path / "export"
    run(app, "export", str(target))
    run(new_blog, "import-export", str(target))
    first = snapshot(new_blog)

    again = run(new_blog, "import-export", str(target))

    assert snapshot(new_blog) == first
    assert "comments: 8 unchanged\n" in again
    assert "articles: 4 updated\n" in again
    with new_blog.app_context():
        # The same text again is no new version of it.
        assert db.session.scalar(select(func.count(Revision.id))) == 0


def test_export_markdown_is_the_export_under_design_s_name(app, tmp_path) -> None:
    build_site(app)

    run(app, "export-markdown", str(tmp_path / "markdown"))

    post = frontmatter.loads((tmp_path / "markdown/articles/tides.md").read_text())
    assert post["title"] == "Tides — «marées»"
    assert (tmp_path / "markdown/manifest.json").exists()
