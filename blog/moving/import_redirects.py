"""import-export's old addresses: an article's old slugs, and the addresses
an imported blog had, each by its target's slug. An address is stored in
the form the blog looks it up in (blog.articles.legacy.normal_path), and
one that leads to a fixed path must lead to a path of this site: the blog
answers it with a redirect to that path, which must never be another
site's address."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from blog.articles.legacy import normal_path
from blog.database import write_transaction
from blog.extensions import db
from blog.models import Article, ArticleRedirect, LegacyAddress, LegacyTarget
from blog.models.imports import PATH_MAX
from blog.moving.export_format import parse_time, read_json
from blog.moving.export_summary import Summary
from blog.moving.export_tables import SLUG_MODELS
from blog.moving.import_records import Record


def restore_redirects(folder: Path, summary: Summary) -> None:
    """Old slugs and an imported blog's old addresses, by their targets'
    slugs; one already there is left as it is."""
    data = read_json(folder / "redirects.json")
    with write_transaction():
        for record in data["old_slugs"]:
            add_old_slug(record, summary)
        for record in data["addresses"]:
            add_address(record, summary)


def add_old_slug(record: Record, summary: Summary) -> None:
    old_slug = str(record["old_slug"])
    if db.session.scalar(ArticleRedirect.select_by_slug(old_slug)):
        summary.add("old slugs", "unchanged")
        return
    article = db.session.scalar(Article.select_by_slug(str(record["article"])))
    if article is None:
        summary.fail("old slugs", old_slug, "its article is not there")
        return
    created = parse_time(record["created_at"], old_slug)
    db.session.add(
        ArticleRedirect(old_slug=old_slug, article=article, created_at=created)
    )
    summary.add("old slugs", "created")


def add_address(record: Record, summary: Summary) -> None:
    given, target_path = record["path"], record.get("target_path") or ""
    target = LegacyTarget(record["target"])
    problem = path_problem(given, "path")
    if problem is None and (target_path or target is LegacyTarget.ADDRESS):
        problem = path_problem(target_path, "target path")
    if problem is not None:
        summary.fail("old addresses", ascii(given)[:100], problem)
        return
    path = normal_path(given)
    if db.session.scalar(LegacyAddress.select_by_path(path)):
        summary.add("old addresses", "unchanged")
        return
    target_id = None
    if target in SLUG_MODELS:
        model = SLUG_MODELS[target]
        slug = record.get("target_slug")
        target_id = db.session.scalar(select(model.id).where(model.slug == slug))
        if target_id is None:
            summary.fail("old addresses", path, f"no {target.value} {slug!r}")
            return
    db.session.add(
        LegacyAddress(
            path=path,
            target=target,
            target_id=target_id,
            target_path=target_path,
            source=str(record["source"]),
            created_at=parse_time(record["created_at"], path),
        )
    )
    summary.add("old addresses", "created")


def path_problem(value: object, what: str) -> str | None:
    """Why `value` is not a path of this site, or None. `//host/` and
    `/\\host/` are other sites' addresses to a browser, and it drops tabs
    and newlines, so a control character could hide one."""
    if not isinstance(value, str) or not value.startswith("/"):
        return f"its {what} {ascii(value)[:100]} does not start with /"
    if value.startswith(("//", "/\\")):
        return f"its {what} {ascii(value)[:100]} is another site's address"
    if any(ord(character) < 32 or ord(character) == 127 for character in value):
        return f"its {what} {ascii(value)[:100]} holds a control character"
    if len(value) > PATH_MAX:
        return f"its {what} is longer than {PATH_MAX} characters"
    return None
