"""A Markdown file whose front matter is a YAML alias bomb: a few hundred
bytes that stand for a list nested eight deep (43 million items, 226 MB
spelled out). import-markdown and import-export refuse it at once, with
the key that is wrong, and never spell it out."""

from __future__ import annotations

import string
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from blog.extensions import db
from blog.models import Article
from tests.factories import make_article

LEVELS = 8


def alias_bomb(key: str) -> str:
    """Front matter whose `key` is the last of LEVELS lists of nine, each
    item an alias of the list before."""
    names = string.ascii_lowercase[:LEVELS]
    lines = [f"{names[0]}: &{names[0]} [x,x,x,x,x,x,x,x,x]"]
    for before, name in zip(names, names[1:], strict=False):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{before}"] * 9) + "]")
    fields = {"title": "Fine", "author": "Ann", key: f"*{names[-1]}"}
    lines += [f"{field}: {value}" for field, value in fields.items()]
    return "---\n" + "\n".join(lines) + "\n---\nThe body.\n"


REFUSALS = {
    "title": "the front matter's title must be text",
    "slug": "the front matter's slug must be text",
    "type": "the front matter's type must be article or page",
    "status": "the front matter's status must be draft or published",
    "date": "the front matter's date must be a date like",
    "tags": "the front matter's tags must be a list of names",
    "category": "the front matter's category must be text",
}


@pytest.mark.parametrize("key", REFUSALS)
def test_import_markdown_refuses_an_alias_bomb_at_once(app, tmp_path, key) -> None:
    path = tmp_path / "bomb.md"
    path.write_text(alias_bomb(key))
    assert path.stat().st_size < 400

    started = time.monotonic()
    result = app.test_cli_runner().invoke(args=["import-markdown", str(path)])
    seconds = time.monotonic() - started

    assert result.exit_code == 1
    assert f"failed  {path}: {REFUSALS[key]}" in result.output
    assert seconds < 1, f"{seconds:.1f} s: the value was spelled out"
    with app.app_context():
        assert db.session.scalar(select(func.count(Article.id))) == 0


def test_import_export_refuses_an_alias_bomb_slug_at_once(app, tmp_path) -> None:
    export = tmp_path / "export"
    (export / "articles").mkdir(parents=True)
    (export / "manifest.json").write_text('{"format": "blog-export", "version": 1}')
    (export / "articles" / "bomb.md").write_text(alias_bomb("slug"))
    with app.app_context():
        # A blog with an article: import-export reads every file's slug first.
        make_article(slug="mine")

    started = time.monotonic()
    result = app.test_cli_runner().invoke(args=["import-export", str(export)])
    seconds = time.monotonic() - started

    assert result.exit_code == 1
    assert "articles/bomb.md: the front matter's slug must be text" in result.output
    assert seconds < 1, f"{seconds:.1f} s: the value was spelled out"


def test_a_list_of_plain_tags_is_still_read(app, tmp_path) -> None:
    path: Path = tmp_path / "tags.md"
    path.write_text(
        "---\ntitle: Tagged\nauthor: Ann\ntags: [python, 2026]\n---\nText\n"
    )

    result = app.test_cli_runner().invoke(args=["import-markdown", str(path)])

    assert result.exit_code == 0, result.output
    with app.app_context():
        article = db.session.scalar(select(Article))
        assert sorted(tag.name for tag in article.tags) == ["2026", "python"]
