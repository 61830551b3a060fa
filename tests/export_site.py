"""A blog with one of everything an export must give back, and a snapshot
of a database that two blogs can be compared by, row by row, ids aside."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from PIL import Image
from sqlalchemy import create_engine, select

from blog.articles.navigation import MenuEntry, save_menu
from blog.articles.uploads import save_upload
from blog.authors.profiles import ProfileChanges, save_profile
from blog.extensions import db
from blog.models import (
    ArticleKind,
    ArticleRedirect,
    ArticleStatus,
    Base,
    Comment,
    CommentStatus,
    LegacyAddress,
    LegacyTarget,
    Role,
    User,
    utcnow,
)
from blog.models.profile import AVATAR_SIZES
from blog.site_settings import ICON_SIZES, save_settings
from tests.conftest import fresh_postgres_schema, stamp_migration_head
from tests.factories import (
    make_article,
    make_category,
    make_comment,
    make_tag,
    make_user,
)

# Every table an export gives back (revisions, sessions and unsaved editor
# text stay behind).
COMPARED = (
    "users",
    "author_profiles",
    "categories",
    "tags",
    "uploads",
    "articles",
    "article_tags",
    "comments",
    "article_redirects",
    "legacy_addresses",
    "site_settings",
    "menu_items",
)
NATURAL_KEYS = {
    "users": "email",
    "articles": "slug",
    "categories": "slug",
    "tags": "slug",
    "uploads": "filename",
}
LEGACY_TABLES = {
    LegacyTarget.ARTICLE: "articles",
    LegacyTarget.CATEGORY: "categories",
    LegacyTarget.TAG: "tags",
    LegacyTarget.AUTHOR: "users",
}


def image_bytes(
    size: tuple[int, int], kind: str, colour: tuple[int, int, int]
) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format=kind)
    return buffer.getvalue()


def uploaded(name: str, data: bytes, by: User, **options: Any) -> Any:
    return save_upload(
        stream=io.BytesIO(data), original_name=name, uploader=by, **options
    )


def build_site(app: Flask) -> None:
    """Accounts of every role (one inactive, one deleted), a profile with a
    photo, terms used and unused (one whose slug is not its name's), images
    as covers and in bodies, an article, a draft, a scheduled article and a
    page, comments of every state in threads (a guest's, a deleted
    account's), an old slug, an imported blog's addresses, settings, menus."""
    with app.app_context():
        admin = make_user(role=Role.ADMIN, display_name="Ada Admin", slug="ada")
        editor = make_user(role=Role.EDITOR, notify_replies=True)
        author = make_user(
            role=Role.AUTHOR, display_name="Émile Écrivain", last_login_at=utcnow()
        )
        reader = make_user(display_name="Rex Reader")
        make_user(display_name="Ina Inactive", active=False)
        gone = make_user(display_name="Gone Soon")
        cover = uploaded(
            "sea.jpg", image_bytes((900, 600), "JPEG", (20, 80, 160)), author, alt="Sea"
        )
        inline = uploaded("dot.png", image_bytes((60, 40), "PNG", (200, 0, 0)), editor)
        avatar = uploaded(
            "me.png",
            image_bytes((300, 300), "PNG", (0, 120, 0)),
            author,
            squares=AVATAR_SIZES,
        )
        icon = uploaded(
            "icon.png",
            image_bytes((64, 64), "PNG", (9, 9, 9)),
            admin,
            squares=ICON_SIZES,
        )
        save_profile(
            author,
            ProfileChanges(
                bio="I write *about* the sea.",
                website="https://emile.example",
                links=["https://social.example/@emile"],
                avatar=avatar,
            ),
        )
        news = make_category("News")
        make_category("Café Society", slug="cafe")
        python, cpp = make_tag("python"), make_tag("C++", slug="cpp")
        make_tag("Lonely", slug="lonely-tag")
        tides = make_article(
            title="Tides — «marées»",
            slug="tides",
            author=author,
            category=news,
            tags=[python, cpp],
            cover=cover,
            cover_alt="Waves at dusk",
            summary="About tides.",
            body_markdown=(
                "    code, indented on the first line\n\n"
                f"![A red dot](/uploads/{inline.filename})\n\nNo newline at the end"
            ),
            created_at=utcnow() - timedelta(days=3),
        )
        make_article(
            title="Half done",
            status=ArticleStatus.DRAFT,
            published_at=None,
            author=author,
        )
        make_article(
            title="Tomorrow's",
            published_at=utcnow() + timedelta(days=2),
            author=editor,
            comments_open=False,
        )
        about = make_article(
            title="About", slug="about", kind=ArticleKind.PAGE, author=admin
        )
        add_comments(tides, reader, author, editor, gone)
        db.session.add(ArticleRedirect(old_slug="old-tides", article_id=tides.id))
        for path, target, target_id, target_path in (
            ("/2024/05/01/tides", LegacyTarget.ARTICLE, tides.id, ""),
            ("/category/news-old", LegacyTarget.CATEGORY, news.id, ""),
            ("/author/emile", LegacyTarget.AUTHOR, author.id, ""),
            ("/feed", LegacyTarget.ADDRESS, None, "/feed.xml"),
        ):
            db.session.add(
                LegacyAddress(
                    path=path,
                    target=target,
                    target_id=target_id,
                    target_path=target_path,
                    source="wordpress:https://old.example",
                )
            )
        db.session.execute(Comment.recount_articles([tides.id]))
        db.session.commit()
        save_settings(values={"tagline": "By the sea", "icon_id": icon.id})
        save_menu(
            menu="header",
            entries=[
                MenuEntry(label="", target=f"page:{about.id}"),
                MenuEntry(label="News", target=f"category:{news.id}"),
                MenuEntry(label="Elsewhere", target="url", url="https://example.org"),
            ],
        )


def add_comments(
    article: Any, reader: User, author: User, editor: User, gone: User
) -> None:
    first = make_comment(article, reader, body_markdown="First, *and* proud.")
    reply = make_comment(
        article, author, parent=first, status=CommentStatus.PENDING, body_markdown="Hm."
    )
    make_comment(
        article,
        editor,
        parent=reply,
        status=CommentStatus.HIDDEN,
        edited_at=utcnow(),
        body_markdown="Hidden reply.",
    )
    make_comment(article, reader, status=CommentStatus.SPAM, body_markdown="Buy!")
    removed = make_comment(article, reader, status=CommentStatus.DELETED)
    make_comment(article, editor, parent=removed, body_markdown="Under a removed one.")
    make_comment(
        article,
        None,
        guest_name="Gus",
        guest_email="gus@example.org",
        body_markdown="Old.",
    )
    make_comment(article, gone, body_markdown="Before I left.")
    db.session.execute(Comment.update_orphan_by(gone.id))
    db.session.delete(db.session.get(User, gone.id))
    db.session.commit()


def snapshot(app: Flask) -> dict[str, list[dict[str, Any]]]:
    """Every compared table's rows, sorted, with ids replaced by what they
    point at (an e-mail, a slug, a file name; a comment by its article, time
    and text) and password hashes left out."""
    with app.app_context():
        connection = db.session.connection()
        keys = {
            table: dict(
                connection.execute(
                    select(
                        Base.metadata.tables[table].c.id,
                        Base.metadata.tables[table].c[column],
                    )
                ).all()
            )
            for table, column in NATURAL_KEYS.items()
        }
        keys["comments"] = {
            row_id: (keys["articles"][article_id], created, body)
            for row_id, article_id, created, body in connection.execute(
                select(
                    Comment.id,
                    Comment.article_id,
                    Comment.created_at,
                    Comment.body_markdown,
                )
            )
        }
        return {table: rows_of(connection, table, keys) for table in COMPARED}


def rows_of(connection: Any, name: str, keys: dict[str, dict]) -> list[dict[str, Any]]:
    table = Base.metadata.tables[name]
    rows = []
    for row in connection.execute(select(table)).mappings():
        values = {}
        for column in table.columns:
            if column.name in ("id", "password_hash"):
                continue
            value = row[column.name]
            if column.foreign_keys and value is not None:
                (foreign,) = column.foreign_keys
                value = keys[foreign.column.table.name][value]
            values[column.name] = value
        if name == "legacy_addresses" and values["target_id"] is not None:
            values["target_id"] = keys[LEGACY_TABLES[values["target"]]][
                values["target_id"]
            ]
        rows.append(values)
    return sorted(rows, key=repr)


def upload_files(app: Flask) -> dict[str, bytes]:
    folder = Path(app.instance_path) / "uploads"
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


@pytest.fixture(name="new_blog")
def new_blog_fixture(
    app: Flask,
    app_factory: Callable[..., Flask],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    postgres_url: str | None,
) -> Iterator[Flask]:
    """A second blog, with its own database and instance folder."""
    monkeypatch.setenv("BLOG_INSTANCE_PATH", str(tmp_path / "new-instance"))
    if postgres_url is None:
        yield app_factory(DATABASE_URL=f"sqlite:///{tmp_path / 'new.sqlite'}")
        return
    with fresh_postgres_schema("blog_new") as url:
        engine = create_engine(url)
        Base.metadata.create_all(engine)
        with engine.begin() as connection:
            stamp_migration_head(connection)
        engine.dispose()
        blog = app_factory(DATABASE_URL=url)
        yield blog
        with blog.app_context():
            db.session.remove()
            db.engine.dispose()
