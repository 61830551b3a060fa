"""import-export and the accounts already in a blog: one with a password
belongs to someone who logs in here, and no export changes it; one
without (made by import-markdown or an earlier import) is brought up to
date, so importing twice, or after import-markdown, gives the same blog."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select

from blog.authors.profiles import ProfileChanges, save_profile
from blog.extensions import db
from blog.models import AuthorProfile, Role, User
from tests.export_site import (
    build_site,
    new_blog_fixture,  # noqa: F401 # the new_blog fixture
)
from tests.factories import make_user
from tests.test_export import run


def account(app, email: str) -> User | None:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        if user is not None:
            db.session.expunge(user)
        return user


def crafted_export(app, folder: Path, records: list[dict]) -> Path:
    """A real export whose users.json was then rewritten by someone else."""
    build_site(app)
    run(app, "export", str(folder))
    users = json.loads((folder / "users.json").read_text())
    (folder / "users.json").write_text(json.dumps([*users, *records]))
    return folder


def record(email: str, slug: str, role: str, *, active: bool = True) -> dict:
    return {
        "email": email,
        "display_name": "Someone Else",
        "slug": slug,
        "role": role,
        "active": active,
        "notify_replies": False,
        "has_approved_comment": False,
        "created_at": "2020-01-01T00:00:00+00:00",
        "last_login_at": None,
        "profile": {
            "bio": "Owned.",
            "website": "https://evil.example",
            "links": [],
            "avatar": None,
            "updated_at": "2020-01-01T00:00:00+00:00",
        },
    }


def test_an_export_cannot_demote_or_deface_an_account_that_logs_in_here(
    app, new_blog, tmp_path
) -> None:
    with new_blog.app_context():
        owner = make_user(
            email="owner@example.net", role=Role.ADMIN, display_name="The Owner"
        )
        save_profile(owner, ProfileChanges(bio="Mine.", website="", links=[]))
    export = crafted_export(
        app,
        tmp_path / "export",
        [record("owner@example.net", "owner-demoted", "reader", active=False)],
    )

    result = new_blog.test_cli_runner().invoke(args=["import-export", str(export)])

    assert result.exit_code == 0, result.output
    assert "account owner@example.net has a password here: left as it is" in (
        result.output
    )
    owner = account(new_blog, "owner@example.net")
    assert owner is not None
    assert (owner.role, owner.active, owner.display_name) == (
        Role.ADMIN,
        True,
        "The Owner",
    )
    assert owner.slug != "owner-demoted"
    with new_blog.app_context():
        profile = db.session.scalar(
            select(AuthorProfile).where(AuthorProfile.user_id == owner.id)
        )
        assert profile is not None and profile.bio_markdown == "Mine."


def test_an_account_an_export_makes_an_admin_is_named_in_the_output(
    app, new_blog, tmp_path
) -> None:
    export = crafted_export(
        app, tmp_path / "export", [record("mallory@evil.example", "mallory", "admin")]
    )

    output = run(new_blog, "import-export", str(export))

    assert "account mallory@evil.example was created as admin" in output
    mallory = account(new_blog, "mallory@evil.example")
    assert mallory is not None and mallory.password_hash is None


def test_an_account_without_a_password_is_brought_up_to_date(
    app, new_blog, tmp_path
) -> None:
    export = crafted_export(
        app, tmp_path / "export", [record("ed@example.org", "ed", "editor")]
    )
    with new_blog.app_context():
        make_user(email="ed@example.org", slug="ed-old", password_hash=None)

    run(new_blog, "import-export", str(export))

    ed = account(new_blog, "ed@example.org")
    assert ed is not None and (ed.role, ed.slug) == (Role.EDITOR, "ed")
