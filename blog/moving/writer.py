"""Writing what an importer read (records.py) into the blog, in one
transaction: a failure part-way leaves the blog as it was, and --dry-run
rolls back at the end. An item that cannot be written is reported as
failed, with its reason, and the rest go on (each has its own savepoint).

A second import of the same export updates what the first made (ledger.py);
old addresses answer 301 (blog/articles/legacy.py)."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from pathlib import Path

from flask import url_for

from blog.articles.services import ArticleFields, save_article
from blog.articles.uploads import save_upload, uploads_folder
from blog.database import write_transaction
from blog.errors import BlogError
from blog.extensions import db
from blog.models import (
    Article,
    ArticleKind,
    Category,
    LegacyTarget,
    Tag,
    Upload,
    User,
)
from blog.moving.comments import write_comments
from blog.moving.images import Fetch, MissingImage
from blog.moving.ledger import Ledger
from blog.moving.people import keep_address, write_person, write_term
from blog.moving.posts import free_slug, unchanged
from blog.moving.records import (
    AddressRecord,
    Bundle,
    ImageRecord,
    PostRecord,
    Report,
)

Progress = Callable[[int], None]


class DryRunDone(Exception):
    """Raised at the end of a dry run to roll everything back."""


class Writer:
    def __init__(self, bundle: Bundle, fetch: Fetch, dry_run: bool) -> None:
        self.bundle, self.fetch, self.dry_run = bundle, fetch, dry_run
        self.ledger = Ledger(bundle.source)
        self.report = Report()
        self.people: dict[str, User] = {}
        self.terms: dict[tuple[str, str], Category | Tag] = {}
        self.uploads: dict[str, Upload | None] = {}
        self.by_digest: dict[str, Upload] = {}
        self.articles: dict[str, Article] = {}
        self.files_written: list[str] = []

    def write(self, progress: Progress) -> None:
        for skipped in self.bundle.skipped:
            self.report.add(skipped.kind, skipped.name, "skipped", skipped.reason)
        for person in self.bundle.people:
            self.people[person.key] = write_person(person, self.ledger, self.report)
            for path in person.old_paths:
                self.keep(path, LegacyTarget.AUTHOR, self.people[person.key].id)
        for term in self.bundle.terms:
            row = write_term(term, self.ledger, self.report)
            self.terms[(term.kind, term.key)] = row
            target = LegacyTarget(term.kind)
            for path in term.old_paths:
                self.keep(path, target, row.id)
        for post in self.bundle.posts:
            self.write_post(post)
            progress(1)
        write_comments(
            self.bundle, self.articles, self.people, self.ledger, self.report
        )
        for address in self.bundle.addresses:
            target_path = self.feed_path(address) or address.target_path
            if target_path:
                keep_address(
                    address.path,
                    self.bundle.source,
                    target=LegacyTarget.ADDRESS,
                    target_path=target_path,
                )

    def feed_path(self, address: AddressRecord) -> str | None:
        """The feed of the term or person the old address named, by its
        slug here (an author matched by e-mail keeps theirs)."""
        if address.feed_of is None:
            return None
        kind, key = address.feed_of
        row: User | Category | Tag | None
        if kind == "person":
            kind, row = "author", self.people.get(key)
        else:
            row = self.terms.get((kind, key))
        return None if row is None else f"/{kind}/{row.slug}/feed.xml"

    def keep(self, path: str, target: LegacyTarget, target_id: int) -> None:
        source = self.bundle.source
        if not keep_address(path, source, target=target, target_id=target_id):
            reason = "too long, or a control character in it: it will not redirect"
            self.report.add("address", path[:80] + "…", "skipped", reason)

    def write_post(self, post: PostRecord) -> None:
        kind = "page" if post.kind == "page" else "post"
        author = self.people.get(post.author_key)
        if author is None:
            reason = f"its author {post.author_key!r} is not in the export"
            self.report.add(kind, post.title, "failed", reason)
            return
        # Images first, outside the post's savepoint: a post that fails must
        # not take back an image that this import's other posts then share.
        body = self.with_our_images(post, author)
        cover = self.upload_for(post.cover_url, post.cover_alt, post.title, author)
        try:
            with db.session.begin_nested():
                article, result = self.save_post(post, author, body, cover)
        except BlogError as error:
            self.report.add(kind, post.title, "failed", error.message)
            return
        self.articles[post.key] = article
        self.report.add(kind, post.title, result, "; ".join(dict.fromkeys(post.notes)))
        for path in post.old_paths:
            self.keep(path, LegacyTarget.ARTICLE, article.id)

    def save_post(
        self, post: PostRecord, author: User, body: str, cover: Upload | None
    ) -> tuple[Article, str]:
        known = self.ledger.local_id("post", post.key)
        article = db.session.get(Article, known) if known else None
        fields = ArticleFields(
            title=post.title,
            body_markdown=body,
            slug=free_slug(post, article),
            summary=post.summary,
            status=post.status,
            published_at=post.published_at,
            comments_open=post.comments_open,
            cover_id=cover.id if cover else None,
            cover_alt=post.cover_alt if cover else "",
            kind=post.kind,
            updated_at=post.updated_at or post.published_at,
        )
        category, tags = self.terms_of(post)
        if article is not None and unchanged(article, fields, category, tags):
            return article, "unchanged"
        saved = save_article(
            article=article, fields=fields, author=author, editor=author
        )
        if not saved.is_page:  # a page stands outside categories and tags
            saved.category, saved.tags = category, tags
        self.ledger.remember("post", post.key, saved.id)
        return saved, "created" if article is None else "updated"

    def terms_of(self, post: PostRecord) -> tuple[Category | None, list[Tag]]:
        """The post's category and tags as this import wrote them (by the
        old blog's keys, whatever their names slugify to here)."""
        if post.kind is ArticleKind.PAGE:
            return None, []
        category = self.terms.get(("category", post.category_key or ""))
        tags = [self.terms.get(("tag", key)) for key in post.tag_keys]
        return (
            category if isinstance(category, Category) else None,
            list({tag.id: tag for tag in tags if isinstance(tag, Tag)}.values()),
        )

    def with_our_images(self, post: PostRecord, author: User) -> str:
        body = post.body_markdown
        for url in post.image_urls:
            upload = self.upload_for(url, "", post.title, author)
            if upload is not None:
                body = body.replace(
                    url, url_for("site.upload", filename=upload.filename)
                )
        return body

    def upload_for(
        self, url: str | None, alt: str, where: str, uploader: User
    ) -> Upload | None:
        """The image at this old address, stored once per import; None (and
        reported) when it cannot be found or is not an image."""
        if not url:
            return None
        if url not in self.uploads:
            record = self.bundle.images.get(url) or ImageRecord(url=url, alt=alt)
            self.uploads[url] = self.store_image(record, where, uploader)
        return self.uploads[url]

    def store_image(
        self, image: ImageRecord, where: str, uploader: User
    ) -> Upload | None:
        known = self.ledger.local_id("image", image.url)
        upload = db.session.get(Upload, known) if known else None
        if upload is not None:
            return upload
        try:
            data = self.fetch(image.url)
        except MissingImage as error:
            # Never fatal: the post keeps the old address, and the report says.
            self.report.add("image", image.url, "missing", f"in {where!r}: {error}")
            return None
        if self.dry_run:
            self.report.add("image", image.url, "created")
            return None
        digest = hashlib.sha256(data).hexdigest()
        if digest in self.by_digest:  # photo.jpg and photo-300x200.jpg, one file
            upload = self.by_digest[digest]
            self.ledger.remember("image", image.url, upload.id)
            return upload
        name = image.original_name or Path(image.url.split("?")[0]).name
        try:
            with db.session.begin_nested():
                upload = save_upload(
                    stream=io.BytesIO(data),
                    original_name=name,
                    uploader=uploader,
                    alt=image.alt,
                )
        except BlogError as error:
            self.report.add("image", image.url, "failed", error.message)
            return None
        self.files_written += [
            upload.filename,
            *upload.variant_files(),
            *upload.square_files(),
        ]
        self.ledger.remember("image", image.url, upload.id)
        self.by_digest[digest] = upload
        self.report.add("image", image.url, "created")
        return upload

    def remove_written_files(self) -> None:
        folder = uploads_folder()
        for filename in self.files_written:
            (folder / filename).unlink(missing_ok=True)


def write_bundle(
    bundle: Bundle,
    *,
    fetch: Fetch,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> Report:
    """Write the bundle in one transaction; report what happened to each item."""
    writer = Writer(bundle, fetch, dry_run)
    try:
        with write_transaction():
            writer.write(progress or (lambda _step: None))
            if dry_run:
                raise DryRunDone
    except DryRunDone:
        pass
    except BaseException:
        writer.remove_written_files()
        raise
    return writer.report
