"""import-export's later steps: the Markdown files (through
import_markdown_file(), as `import-markdown` reads them), comments with
their threads, and the site's settings and menus (old addresses are
import_redirects.py's)."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from blog.articles.importing import import_markdown_file
from blog.articles.navigation import MenuEntry, save_menu
from blog.database import write_transaction
from blog.errors import BlogError
from blog.extensions import db
from blog.models import (
    Article,
    Category,
    Comment,
    CommentStatus,
    SiteSettings,
    Tag,
    Upload,
    User,
)
from blog.models.navigation import MENUS
from blog.models.settings import SETTINGS_ROW_ID
from blog.moving.export_format import (
    ARTICLES,
    COMMENTS,
    NotAnExport,
    optional_time,
    parse_time,
    read_json,
)
from blog.moving.export_summary import Summary
from blog.moving.export_tables import SETTING_COLUMNS
from blog.moving.import_records import Record, emails_to_users
from blog.rendering import render_comment
from blog.site_settings import save_settings

# A comment is the same one when it is on the same article, at the same
# time, by the same account or guest.
CommentKey = tuple[datetime, int | None, str | None]


def restore_articles(folder: Path, summary: Summary) -> None:
    for path in sorted((folder / ARTICLES).glob("*.md")):
        try:
            outcome = import_markdown_file(path)
        except BlogError as error:
            db.session.rollback()
            summary.fail("articles", path.name, error.message)
            continue
        summary.add("articles", "created" if outcome.created else "updated")


def restore_comments(folder: Path, summary: Summary) -> None:
    """Each article's comments, parents before their replies; those the blog
    has already (an earlier run) are matched, not added again."""
    users = emails_to_users()
    for path in sorted((folder / COMMENTS).glob("*.json")):
        data = read_json(path)
        article = db.session.scalar(Article.select_by_slug(str(data["article"])))
        if article is None:
            summary.fail("comments", path.name, "its article was not imported")
            continue
        try:
            with write_transaction():
                added = add_thread(article, data["comments"], users)
                db.session.flush()
                db.session.execute(Comment.recount_articles([article.id]))
        except BlogError as error:
            summary.fail("comments", path.name, error.message)
            continue
        summary.add("comments", "created", added)
        summary.add("comments", "unchanged", len(data["comments"]) - added)


def add_thread(article: Article, records: list[Record], users: Any) -> int:
    """The comments not in the blog yet, linked to their parents; how many."""
    check_threads(records)
    existing = existing_comments(article)
    by_export_id: dict[int, Comment] = {}
    added = 0
    for record in records:
        author = users(record["author"]["email"]) if record["author"] else None
        if record["author"] and author is None:
            message = f"comment {record['id']}: no account {record['author']['email']}"
            raise NotAnExport(message)
        guest = record.get("guest") or {}
        created = parse_time(record["created"], f"comment {record['id']}")
        key = (created, author.id if author else None, guest.get("name"))
        matches = existing.get(key)
        if matches:
            by_export_id[int(record["id"])] = matches.pop(0)
            continue
        comment = new_comment(article, record, author, guest, created)
        by_export_id[int(record["id"])] = comment
        db.session.add(comment)
        added += 1
    for record in records:
        if record["parent"] is not None:
            parent = by_export_id[int(record["parent"])]
            by_export_id[int(record["id"])].parent = parent
    return added


def check_threads(records: list[Record]) -> None:
    """Every parent is a comment of the file, and no reply is its own
    ancestor (a loop would fail deep in the database's write)."""
    parents = {int(r["id"]): r["parent"] for r in records}
    for start in parents:
        seen, current = {start}, parents[start]
        while current is not None:
            if int(current) not in parents:
                raise NotAnExport(f"comment {start}'s parent {current} is not there")
            if int(current) in seen:
                raise NotAnExport(f"comment {start} is in a loop of replies")
            seen.add(int(current))
            current = parents[int(current)]


def existing_comments(article: Article) -> dict[CommentKey, list[Comment]]:
    found: dict[CommentKey, list[Comment]] = defaultdict(list)
    statement = (
        select(Comment).where(Comment.article_id == article.id).order_by(Comment.id)
    )
    for comment in db.session.scalars(statement):
        key = (comment.created_at, comment.author_id, comment.guest_name)
        found[key].append(comment)
    return found


def new_comment(
    article: Article,
    record: Record,
    author: User | None,
    guest: dict[str, Any],
    created: datetime,
) -> Comment:
    try:
        status = CommentStatus(record["status"])
    except ValueError:
        message = f"comment {record['id']}: no status {record['status']!r}"
        raise NotAnExport(message) from None
    body = str(record["body"])
    return Comment(
        article=article,
        author=author,
        guest_name=guest.get("name"),
        guest_email=guest.get("email"),
        body_markdown=body,
        body_html=render_comment(body),
        status=status,
        created_at=created,
        edited_at=optional_time(record.get("edited"), f"comment {record['id']}"),
    )


def restore_settings(folder: Path, summary: Summary) -> None:
    """What the owner had set in the studio, and the menus they arranged."""
    data = read_json(folder / "settings.json")
    site = data.get("site")
    if site:
        values = {
            column: site[column]
            for column in SETTING_COLUMNS
            if site.get(column) is not None
        }
        for column in ("logo", "icon"):
            if site.get(column):
                values[f"{column}_id"] = upload_id(site[column])
        save_settings(values=values)
        with write_transaction():
            row = db.session.get(SiteSettings, SETTINGS_ROW_ID)
            if row is not None:
                row.updated_at = parse_time(site["updated_at"], "settings")
        summary.add("settings", "restored")
    items = data.get("menus") or []
    for menu in MENUS:
        entries = [menu_entry(item) for item in items if item["menu"] == menu]
        if entries:
            save_menu(menu=menu, entries=entries)
            summary.add("menus", "restored")


def upload_id(filename: str) -> int | None:
    return db.session.scalar(select(Upload.id).where(Upload.filename == filename))


def menu_entry(item: Record) -> MenuEntry:
    """A menu item as the studio's form gives it: a row by its id here."""
    target = str(item["target"])
    rows: dict[str, type[Article] | type[Category] | type[Tag]]
    rows = {"page": Article, "category": Category, "tag": Tag}
    if target in rows:
        model = rows[target]
        row_id = db.session.scalar(select(model.id).where(model.slug == item[target]))
        target = f"{target}:{row_id or 0}"
    return MenuEntry(label=str(item["label"]), target=target, url=str(item["url"]))
