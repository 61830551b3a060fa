"""import-export's first steps: accounts, categories and tags, uploads and
author profiles, each matched by what stays the same across blogs (an
e-mail, a slug, a file name), so running it again changes nothing."""

from __future__ import annotations

import io
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PIL import Image
from sqlalchemy import select

from blog.articles.uploads import IMAGE_FORMATS, processed_image, uploads_folder
from blog.authors.profiles import ProfileChanges, apply_changes, checked_changes
from blog.database import write_transaction
from blog.errors import BlogError
from blog.extensions import db
from blog.models import Category, Role, Tag, Upload, User
from blog.moving.archives import UPLOADS
from blog.moving.export_format import (
    UPLOAD_NAME,
    NotAnExport,
    optional_time,
    parse_time,
    read_json,
)
from blog.moving.export_summary import Summary

Record = dict[str, Any]
# The format Pillow finds in each kind of copy.
COPY_FORMATS = {
    ".webp": "WEBP",
    ".png": "PNG",
    ".jpg": "JPEG",
    ".gif": "GIF",
    ".ico": "ICO",
}


def records_of(folder: Path, name: str) -> list[Record]:
    records = read_json(folder / name)
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise NotAnExport(f"{name} is not a list of records")
    return records


def restore_users(folder: Path, summary: Summary) -> None:
    """Accounts by e-mail: added with no usable password (their owners set
    one through "forgot password"), or brought up to date if none was set
    here. One with a password belongs to someone who logs in to this blog:
    it is left as it is, whatever role or state the export gives it."""
    with write_transaction():
        for record in records_of(folder, "users.json"):
            email = str(record["email"]).strip().lower()
            user = db.session.scalar(User.select_by_email(email))
            if user is not None and user.has_password:
                summary.add("users", "kept")
                summary.note(
                    f"account {email} has a password here: left as it is "
                    "(its role, state and profile in the export were not applied)"
                )
                continue
            restored = user or User(email=email, password_hash=None)
            restore_user(restored, record)
            summary.add("users", "updated" if user else "created")
            if user is None and restored.role.at_least(Role.EDITOR):
                summary.note(
                    f"account {email} was created as {restored.role.value}, as "
                    "the export says: import only exports you made"
                )


def restore_user(user: User, record: Record) -> None:
    holder = db.session.scalar(User.select_by_slug(str(record["slug"])))
    if holder is not None and holder is not user:
        raise NotAnExport(
            f"the account {holder.email} holds the slug {record['slug']!r} "
            f"that {user.email} has in the export"
        )
    apply_user(user, record)
    db.session.add(user)


def apply_user(user: User, record: Record) -> None:
    try:
        user.role = Role(record["role"])
    except ValueError:
        raise NotAnExport(f"{user.email}: no role {record['role']!r}") from None
    user.display_name = str(record["display_name"])
    user.slug = str(record["slug"])
    user.active = bool(record["active"])
    user.notify_replies = bool(record["notify_replies"])
    user.has_approved_comment = bool(record["has_approved_comment"])
    user.created_at = parse_time(record["created_at"], user.email)
    user.last_login_at = optional_time(record.get("last_login_at"), user.email)


def restore_terms(folder: Path, summary: Summary) -> None:
    """Categories and tags by slug, those no article uses included."""
    for model, name in ((Category, "categories"), (Tag, "tags")):
        with write_transaction():
            for record in records_of(folder, f"{name}.json"):
                slug, title = str(record["slug"]), str(record["name"])
                term = db.session.scalar(model.select_by_slug(slug))
                if term is None:
                    db.session.add(model(name=title, slug=slug))
                    summary.add(name, "created")
                else:
                    term.name = title
                    summary.add(name, "unchanged")


def restore_uploads(folder: Path, summary: Summary) -> None:
    """Each upload's file copied as it is (articles name it), once Pillow
    has decoded it in the image child, and its smaller and square copies
    made again from it."""
    known = set(db.session.scalars(select(Upload.filename)))
    users = emails_to_users()
    for record in records_of(folder, "uploads.json"):
        filename = str(record["filename"])
        if not UPLOAD_NAME.fullmatch(filename):
            raise NotAnExport(f"uploads.json names a file {filename!r}")
        if filename in known:
            summary.add("uploads", "unchanged")
            continue
        upload = upload_row(record, users)
        try:
            store_files(folder / UPLOADS, upload, summary)
        except BlogError as error:
            summary.fail("uploads", filename, error.message)
            continue
        with write_transaction():
            db.session.add(upload)
        summary.add("uploads", "created")


def upload_row(record: Record, users: Callable[[str | None], User | None]) -> Upload:
    filename = str(record["filename"])
    return Upload(
        filename=filename,
        original_name=str(record["original_name"]),
        content_type=str(record["content_type"]),
        size=int(record["size"]),
        width=int(record["width"]),
        height=int(record["height"]),
        variant_widths=[int(width) for width in record["variant_widths"]],
        square_sizes=[int(size) for size in record["square_sizes"]],
        alt=str(record["alt"]),
        uploader=users(record.get("uploader")),
        created_at=parse_time(record["created_at"], filename),
    )


def store_files(source: Path, upload: Upload, summary: Summary) -> None:
    """The original and its copies as they are, once the image child has
    decoded the original in full and Pillow has read each copy; copies the
    export lacks are made again. A file the old blog had lost is reported
    and its row kept, as it was there."""
    original = source / upload.filename
    if any(path.is_symlink() for path in source.glob(f"{upload.stem}*")):
        raise NotAnExport(f"{upload.filename} or a copy of it is a link")
    if not original.is_file():
        summary.note(f"upload {upload.filename}: no file in the export (as before)")
        return
    data = original.read_bytes()
    image = processed_image(data, tuple(upload.square_sizes))
    if IMAGE_FORMATS[image.format][0] != upload.extension:
        raise NotAnExport(f"{upload.filename} is a {image.format} image")
    names = [*upload.variant_files(), *upload.square_files()]
    if all((source / name).is_file() for name in names):
        copies = [checked_copy(source / name) for name in names]
    else:
        # Made again, with the widths the processing makes today.
        upload.variant_widths = image.variant_widths
        names = [*upload.variant_files(), *upload.square_files()]
        copies = [*image.variants, *image.squares]
    target = uploads_folder()
    (target / upload.filename).write_bytes(data)
    for name, copy in zip(names, copies, strict=True):
        (target / name).write_bytes(copy)
    upload.size, upload.width, upload.height = len(data), image.width, image.height


def checked_copy(path: Path) -> bytes:
    """A smaller or square copy's bytes, if Pillow reads them as an image of
    the format its name says (reading the header decodes no pixels, so a
    crafted copy cannot take the memory the image child guards)."""
    data = path.read_bytes()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                image.verify()
                found = image.format
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombWarning):
        raise NotAnExport(f"{path.name} is not an image") from None
    if COPY_FORMATS.get(path.suffix) != found:
        raise NotAnExport(f"{path.name} is a {found} image")
    return data


def emails_to_users() -> Callable[[str | None], User | None]:
    """An account by e-mail, each looked up once."""
    found: dict[str, User | None] = {}

    def user(email: str | None) -> User | None:
        if not email:
            return None
        if email not in found:
            found[email] = db.session.scalar(User.select_by_email(email))
        return found[email]

    return user


def restore_profiles(folder: Path, summary: Summary) -> None:
    """Author profiles, after the uploads their photos are."""
    with write_transaction():
        for record in records_of(folder, "users.json"):
            profile = record.get("profile")
            if not profile:
                continue
            user = db.session.scalar(User.select_by_email(str(record["email"])))
            if user is None:
                raise NotAnExport(f"no account {record['email']} for its profile")
            if user.has_password:
                continue  # someone's who logs in here: restore_users() said so
            changes = ProfileChanges(
                bio=str(profile["bio"]),
                website=str(profile["website"]),
                links=[str(link) for link in profile["links"]],
                avatar=upload_named(profile.get("avatar")),
                remove_avatar=not profile.get("avatar"),
            )
            row = apply_changes(user, checked_changes(changes))
            row.updated_at = parse_time(profile["updated_at"], user.email)
            summary.add("profiles", "restored")


def upload_named(filename: str | None) -> Upload | None:
    if not filename:
        return None
    return db.session.scalar(select(Upload).where(Upload.filename == filename))
