"""Memos are keyed by the content version and by the code and templates that
produced them, so neither an edit nor a deploy can serve a stale one."""

from __future__ import annotations

import shutil
from pathlib import Path

from jinja2 import Environment, FileSystemLoader
from sqlalchemy import select

from blog.cache import memo, remembered
from blog.cache.memo import FINGERPRINT, code_fingerprint, memo_key
from blog.extensions import db
from blog.models import SiteState

TEMPLATES = Path(__file__).resolve().parent.parent / "blog" / "templates"
MEMO_TEMPLATES = ["articles/_head.html", "articles/_main.html", "comments/_thread.html"]


def test_editing_a_memo_template_changes_the_memo_key(tmp_path) -> None:
    copy = tmp_path / "templates"
    shutil.copytree(TEMPLATES, copy)
    environment = Environment(loader=FileSystemLoader(copy), autoescape=True)
    keys = {code_fingerprint(environment)}
    for name in MEMO_TEMPLATES:
        template = copy / name
        template.write_text(template.read_text() + "<!-- edited -->\n")
        keys.add(code_fingerprint(environment))
    assert len(keys) == 1 + len(MEMO_TEMPLATES)


def test_the_same_templates_give_the_same_key(app, tmp_path) -> None:
    shutil.copytree(TEMPLATES, tmp_path / "templates")
    copy = Environment(loader=FileSystemLoader(tmp_path / "templates"), autoescape=True)
    assert code_fingerprint(copy) == app.extensions[FINGERPRINT]


def test_a_memo_key_names_the_code_the_version_and_the_memo(app) -> None:
    with app.test_request_context():
        key = memo_key("navigation", 7)
    assert key == f"memo:{app.extensions[FINGERPRINT]}:7:navigation"


def test_a_memo_is_computed_once_per_version(app) -> None:
    calls: list[int] = []

    def compute() -> str:
        calls.append(1)
        return f"computed {len(calls)}"

    with app.test_request_context():
        assert remembered("demo", compute) == "computed 1"
        assert remembered("demo", compute) == "computed 1"
    with app.app_context():
        db.session.execute(
            db.update(SiteState).values(content_version=SiteState.content_version + 1)
        )
        db.session.commit()
    with app.test_request_context():
        assert remembered("demo", compute) == "computed 2"


def test_new_code_never_reads_a_memo_the_old_code_stored(app) -> None:
    with app.test_request_context():
        remembered("demo", lambda: "rendered by the old templates")
    app.extensions[FINGERPRINT] = "new-deploy"
    with app.test_request_context():
        assert (
            remembered("demo", lambda: "rendered by the new") == "rendered by the new"
        )


def test_a_memo_is_keyed_by_the_version_read_before_any_content(app) -> None:
    """The version is pinned by the transaction's first read, so content a
    view loaded before asking for a memo is never older than the key."""
    with app.test_request_context():
        db.session.scalar(select(SiteState.id))  # the view loads something
        with app.app_context():  # meanwhile, another request publishes
            db.session.execute(
                db.update(SiteState).values(
                    content_version=SiteState.content_version + 1
                )
            )
            db.session.commit()
        seen = remembered("demo", lambda: "content")
        assert seen == "content"
        version = db.session.scalar(select(SiteState.content_version))
    with app.test_request_context():
        assert memo_key("demo", version - 1) != memo_key("demo", version)


def test_a_changed_translation_changes_the_memo_key(tmp_path, monkeypatch) -> None:
    """A deploy that only changes a catalogue changes the words of every
    memo: none may be read from before it."""
    catalogue = tmp_path / "translations" / "fr" / "LC_MESSAGES" / "messages.mo"
    catalogue.parent.mkdir(parents=True)
    catalogue.write_bytes(b"first wording")
    (tmp_path / "module.py").write_text("VALUE = 1\n")
    monkeypatch.setattr(memo, "PACKAGE", tmp_path)
    before = memo.python_sources_digest.__wrapped__()
    catalogue.write_bytes(b"better wording")
    assert memo.python_sources_digest.__wrapped__() != before
