"""`flask --app blog import-export`: an export of ours back into a blog, in
the order its parts need each other. Accounts first (articles and comments
name them), then categories and tags, the uploads (covers, photos and
bodies name them), the profiles, the Markdown files, the comments, the old
addresses and last the settings and menus.

It fills an empty blog, or one where `import-markdown` has already read the
export's Markdown files: every step finds what an earlier run made (by
e-mail, slug, file name; a comment by its time and writer), so running it
twice changes nothing. A blog holding articles or comments of its own is
refused before anything is written."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import frontmatter
import yaml
from flask import current_app
from sqlalchemy import func, select

from blog.articles.front_matter import text_value
from blog.errors import InvalidInput
from blog.extensions import db
from blog.models import Article, Comment, User
from blog.moving.export_format import (
    ARTICLES,
    COMMENTS,
    NotAnExport,
    opened_export,
    parse_time,
    read_export_manifest,
    read_json,
)
from blog.moving.export_summary import Summary
from blog.moving.import_records import (
    restore_profiles,
    restore_terms,
    restore_uploads,
    restore_users,
)
from blog.moving.import_redirects import restore_redirects
from blog.moving.import_threads import (
    restore_articles,
    restore_comments,
    restore_settings,
)

STEPS = (
    ("accounts", restore_users),
    ("categories and tags", restore_terms),
    ("uploads", restore_uploads),
    ("profiles", restore_profiles),
    ("articles and pages", restore_articles),
    ("comments", restore_comments),
    ("old addresses", restore_redirects),
    ("settings and menus", restore_settings),
)


def import_export(
    source: Path, *, progress: Callable[[str], None] = lambda step: None
) -> Summary:
    """Bring the export at `source` (a folder or a .zip) into this blog.
    NotAnExport, with nothing written, when it is not ours or the blog
    holds content of its own."""
    summary = Summary()
    scratch = Path(current_app.instance_path) / "imports"
    with opened_export(source, scratch) as folder:
        read_export_manifest(folder)
        check_blog_takes(folder)
        for name, step in STEPS:
            progress(name)
            try:
                step(folder, summary)
            except (KeyError, TypeError, ValueError, AttributeError) as error:
                db.session.rollback()
                message = f"the export's {name} are malformed: {error!r}"
                raise NotAnExport(message) from error
    return summary


def check_blog_takes(folder: Path) -> None:
    """Refuse a blog with articles or comments the export does not hold:
    the export would be mixed into another site."""
    slugs = set(db.session.scalars(select(Article.slug)))
    if slugs:
        foreign = sorted(slugs - exported_slugs(folder))
        if foreign:
            raise NotAnExport(
                "this blog has articles of its own (" + ", ".join(foreign[:5]) + "):"
                " import an export into an empty blog"
            )
    if db.session.scalar(select(func.count(Comment.id))):
        known = exported_comment_keys(folder)
        rows = db.session.execute(
            select(Article.slug, Comment.created_at, User.email, Comment.guest_name)
            .join(Comment.article)
            .outerjoin(Comment.author)
        )
        if any(tuple(row) not in known for row in rows):
            raise NotAnExport(
                "this blog has comments of its own: import an export into an empty blog"
            )


def exported_slugs(folder: Path) -> set[str]:
    """The slugs the export's Markdown files give, each checked to be text
    before it is read as text (front_matter.py says why)."""
    slugs = set()
    for path in (folder / ARTICLES).glob("*.md"):
        try:
            post = frontmatter.loads(path.read_text("utf-8"))
            slugs.add(text_value(post.metadata, "slug", required=False))
        except InvalidInput as error:
            raise NotAnExport(f"{ARTICLES}/{path.name}: {error.message}") from None
        except (yaml.YAMLError, UnicodeDecodeError) as error:
            message = f"{ARTICLES}/{path.name} has no readable front matter: {error}"
            raise NotAnExport(message) from None
    return slugs


def exported_comment_keys(folder: Path) -> set[tuple[Any, ...]]:
    keys = set()
    for path in (folder / COMMENTS).glob("*.json"):
        data = read_json(path)
        for record in data["comments"]:
            author = (record.get("author") or {}).get("email")
            guest = (record.get("guest") or {}).get("name")
            created = parse_time(record["created"], path.name)
            keys.add((data["article"], created, author, guest))
    return keys
