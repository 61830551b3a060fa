"""`flask --app blog export`: everything the blog holds, in a folder or a
zip (export_format.py describes the layout). Articles and comments are
streamed a batch at a time; the manifest is written last, so a folder left
half-written by a crash is refused on import."""

from __future__ import annotations

import itertools
import shutil
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import yaml
from flask import current_app

from blog.extensions import db
from blog.models import Article, Comment, utcnow
from blog.moving import export_queries as queries
from blog.moving.archives import MANIFEST, UPLOADS
from blog.moving.export_format import (
    ARTICLES,
    COMMENTS,
    FORMAT,
    SLUG_NAME,
    VERSION,
    iso,
    replace_atomically,
    write_json,
    zip_folder,
)
from blog.moving.export_tables import (
    write_redirects,
    write_settings,
    write_terms,
    write_uploads,
    write_users,
)

# Seconds after which a folder in the studio's scratch folder is a leftover.
STALE_AFTER = 3600


class ExportRefused(Exception):
    """The target cannot take an export (a folder that is not empty)."""


def export_site(target: Path) -> dict[str, Any]:
    """Write the export to `target`: a new or empty folder, or a .zip file
    built beside it and renamed into place at the end. The manifest."""
    if target.suffix.lower() == ".zip":
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=target.parent, prefix=".export-") as tmp:
            folder = Path(tmp) / "export"
            manifest = write_export(folder)
            built = Path(tmp) / "export.zip"
            zip_folder(folder, built)
            replace_atomically(built, target)
        return manifest
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise ExportRefused(f"{target} is not an empty folder: export into a new one")
    target.mkdir(mode=0o700, parents=True, exist_ok=True)  # as the zip: 0600
    return write_export(target)


def remove_stale_folders(scratch: Path) -> None:
    """Remove what exports left in `scratch` over an hour ago: a worker
    killed mid-export leaves its folder (e-mails, drafts) behind, and an
    export takes seconds, so nothing that old is still being written."""
    cutoff = time.time() - STALE_AFTER
    for path in scratch.iterdir():
        try:
            if path.is_symlink() or path.lstat().st_mtime >= cutoff:
                continue
        except FileNotFoundError:
            continue  # another worker's, removed meanwhile
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


def write_export(folder: Path) -> dict[str, Any]:
    """Every part of the export into `folder`, read from one snapshot of
    the database, whatever is written meanwhile."""
    read_one_snapshot()
    for name in (ARTICLES, COMMENTS, UPLOADS):
        (folder / name).mkdir(parents=True, exist_ok=True)
    counts: Counter[str] = Counter()
    missing = write_uploads(folder, counts)
    write_users(folder, counts)
    write_terms(folder, counts)
    write_articles(folder, counts)
    write_comments(folder, counts)
    write_redirects(folder, counts)
    write_settings(folder)
    manifest = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": iso(utcnow()),
        "site_url": current_app.config["SITE_URL"],
        "counts": dict(sorted(counts.items())),
        "missing_uploads": missing,
    }
    db.session.rollback()  # the read transaction, and its snapshot, end here
    write_json(folder / MANIFEST, manifest)
    return manifest


def read_one_snapshot() -> None:
    """Begin the read transaction the export runs in. SQLite's (deferred,
    in WAL mode) sees one snapshot already; PostgreSQL's default, READ
    COMMITTED, would let a comment posted halfway appear without its
    article, so it is asked for REPEATABLE READ."""
    db.session.rollback()
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.connection(execution_options={"isolation_level": "REPEATABLE READ"})


def file_stem(slug: str, row_id: int) -> str:
    """A slug is a safe file name (services make it so); anything else an
    importer let in falls back to the row's id."""
    return slug if SLUG_NAME.fullmatch(slug) else f"article-{row_id}"


def write_articles(folder: Path, counts: Counter[str]) -> None:
    for article in db.session.scalars(queries.select_articles()):
        path = folder / ARTICLES / f"{file_stem(article.slug, article.id)}.md"
        path.write_text(markdown_file(article), encoding="utf-8")
        counts["pages" if article.is_page else "articles"] += 1


def markdown_file(article: Article) -> str:
    """Front matter that import-markdown reads, then the body exactly."""
    meta = yaml.safe_dump(
        front_matter(article), allow_unicode=True, sort_keys=False, width=1_000
    )
    return f"---\n{meta}---\n{article.body_markdown}"


def front_matter(article: Article) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "title": article.title,
        "slug": article.slug,
        "type": article.kind.value,
        "status": article.status.value,
        "date": iso(article.published_at),
        "updated": iso(article.updated_at),
        "created": iso(article.created_at),
        "author": article.author.display_name,
        "author_email": article.author.email,
        "summary": article.summary,
        "comments_open": article.comments_open,
    }
    if not article.is_page:
        category = article.category
        meta["category"] = category.name if category else None
        meta["category_slug"] = category.slug if category else None
        meta["tags"] = [tag.name for tag in article.tags]
        meta["tag_slugs"] = [tag.slug for tag in article.tags]
    if article.cover is not None:
        meta["cover"] = article.cover.filename
    meta["cover_alt"] = article.cover_alt
    return meta


def write_comments(folder: Path, counts: Counter[str]) -> None:
    """comments/<slug>.json for each article that has any."""
    rows = db.session.execute(queries.select_comments())
    for (article_id, slug), group in itertools.groupby(
        rows, key=lambda row: (row[0].article_id, row[1])
    ):
        comments = [comment_record(comment) for comment, _slug in group]
        path = folder / COMMENTS / f"{file_stem(slug, article_id)}.json"
        write_json(path, {"article": slug, "comments": comments})
        counts["comments"] += len(comments)


def comment_record(comment: Comment) -> dict[str, Any]:
    author = comment.author
    has_guest = bool(comment.guest_name or comment.guest_email)
    return {
        "id": comment.id,
        "parent": comment.parent_id,
        "status": comment.status.value,
        "author": None
        if author is None
        else {
            "email": author.email,
            "display_name": author.display_name,
            "slug": author.slug,
        },
        "guest": {"name": comment.guest_name, "email": comment.guest_email}
        if has_guest
        else None,
        "body": comment.body_markdown,
        "created": iso(comment.created_at),
        "edited": iso(comment.edited_at),
    }
