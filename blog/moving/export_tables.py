"""The export's JSON files besides the articles and comments: accounts and
profiles, categories and tags, uploads (with their files), old addresses,
and the site's settings and menus. Rows point at each other by e-mail,
slug or file name, never by id: ids are not kept across blogs."""

from __future__ import annotations

import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import select

from blog.articles.uploads import uploads_folder
from blog.extensions import db
from blog.models import (
    Article,
    Category,
    LegacyAddress,
    LegacyTarget,
    SiteSettings,
    Tag,
    Upload,
    User,
)
from blog.models.settings import SETTINGS_ROW_ID
from blog.moving import export_queries as queries
from blog.moving.archives import UPLOADS
from blog.moving.export_format import iso, write_json, write_json_list

# The site settings the studio edits, exported as they are stored (NULL:
# "not set here, the configuration decides").
SETTING_COLUMNS = (
    "title",
    "tagline",
    "description",
    "accent_color",
    "language",
    "timezone",
    "comment_moderation",
    "registration_open",
)
SLUG_MODELS: dict[LegacyTarget, type[Article] | type[Category] | type[Tag] | type[User]]
SLUG_MODELS = {
    LegacyTarget.ARTICLE: Article,
    LegacyTarget.CATEGORY: Category,
    LegacyTarget.TAG: Tag,
    LegacyTarget.AUTHOR: User,
}


def write_users(folder: Path, counts: Counter[str]) -> None:
    users = db.session.scalars(queries.select_users())
    counts["users"] = write_json_list(
        folder / "users.json", (user_record(user) for user in users)
    )


def user_record(user: User) -> dict[str, Any]:
    """Everything of an account but its password hash."""
    profile = user.profile
    return {
        "email": user.email,
        "display_name": user.display_name,
        "slug": user.slug,
        "role": user.role.value,
        "active": user.active,
        "created_at": iso(user.created_at),
        "last_login_at": iso(user.last_login_at),
        "notify_replies": user.notify_replies,
        "has_approved_comment": user.has_approved_comment,
        "profile": None
        if profile is None
        else {
            "bio": profile.bio_markdown,
            "website": profile.website,
            "links": list(profile.links),
            "avatar": profile.avatar.filename if profile.avatar else None,
            "updated_at": iso(profile.updated_at),
        },
    }


def write_terms(folder: Path, counts: Counter[str]) -> None:
    """Every category and tag, those no article uses too."""
    models: tuple[tuple[type[Category] | type[Tag], str], ...] = (
        (Category, "categories"),
        (Tag, "tags"),
    )
    for model, name in models:
        rows = db.session.execute(select(model.name, model.slug).order_by(model.id))
        counts[name] = write_json_list(
            folder / f"{name}.json",
            ({"name": term, "slug": slug} for term, slug in rows),
        )


def write_uploads(folder: Path, counts: Counter[str]) -> list[str]:
    """uploads.json and each upload's files: the original and its smaller
    and square copies, byte for byte. The names of files that were missing
    (a copy is made again on import; an original is lost)."""
    source, missing = uploads_folder(), []

    def records() -> Iterator[dict[str, Any]]:
        for upload in db.session.scalars(queries.select_uploads()):
            files = [upload.filename, *upload.variant_files(), *upload.square_files()]
            for name in files:
                try:
                    shutil.copyfile(source / name, folder / UPLOADS / name)
                except FileNotFoundError:
                    missing.append(name)
            yield upload_record(upload)

    counts["uploads"] = write_json_list(folder / "uploads.json", records())
    return missing


def upload_record(upload: Upload) -> dict[str, Any]:
    return {
        "filename": upload.filename,
        "original_name": upload.original_name,
        "content_type": upload.content_type,
        "size": upload.size,
        "width": upload.width,
        "height": upload.height,
        "variant_widths": list(upload.variant_widths),
        "square_sizes": list(upload.square_sizes),
        "alt": upload.alt,
        "uploader": upload.uploader.email if upload.uploader else None,
        "created_at": iso(upload.created_at),
    }


def write_redirects(folder: Path, counts: Counter[str]) -> None:
    """An article's old slugs, and the addresses an imported blog had, each
    with its target by slug."""
    old_slugs = [
        {"old_slug": old, "article": slug, "created_at": iso(created)}
        for old, slug, created in db.session.execute(queries.select_old_slugs())
    ]
    addresses = list(db.session.scalars(queries.select_legacy_addresses()))
    slugs = target_slugs(addresses)
    records = [
        {
            "path": address.path,
            "target": address.target.value,
            "target_slug": slugs.get((address.target, address.target_id)),
            "target_path": address.target_path,
            "source": address.source,
            "created_at": iso(address.created_at),
        }
        for address in addresses
    ]
    write_json(
        folder / "redirects.json", {"old_slugs": old_slugs, "addresses": records}
    )
    counts["old_slugs"], counts["old_addresses"] = len(old_slugs), len(records)


def target_slugs(
    addresses: list[LegacyAddress],
) -> dict[tuple[LegacyTarget, int | None], str]:
    """The slug of each address's target: one query per kind of target."""
    slugs: dict[tuple[LegacyTarget, int | None], str] = {}
    for target, model in SLUG_MODELS.items():
        ids = {a.target_id for a in addresses if a.target is target and a.target_id}
        if ids:
            rows = db.session.execute(
                select(model.id, model.slug).where(model.id.in_(ids))
            )
            slugs |= {(target, row_id): slug for row_id, slug in rows}
    return slugs


def write_settings(folder: Path) -> None:
    """What the owner set in the studio (their logo and icon by file name)
    and the menus (pages, categories and tags by slug)."""
    row = db.session.get(SiteSettings, SETTINGS_ROW_ID)
    site = None
    if row is not None:
        site = {column: getattr(row, column) for column in SETTING_COLUMNS}
        site["logo"] = row.logo.filename if row.logo else None
        site["icon"] = row.icon.filename if row.icon else None
        site["updated_at"] = iso(row.updated_at)
    menus = [
        {
            "menu": item.menu,
            "position": item.position,
            "label": item.label,
            "target": item.target.value,
            "page": item.article.slug if item.article else None,
            "category": item.category.slug if item.category else None,
            "tag": item.tag.slug if item.tag else None,
            "url": item.url,
        }
        for item in db.session.scalars(queries.select_menus())
    ]
    write_json(folder / "settings.json", {"site": site, "menus": menus})
