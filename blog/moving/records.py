"""What every importer reads an export into, and what blog/moving/writer.py
writes: one shape for WordPress, Ghost and our own export, so the rules
(idempotence, old addresses, guests, the report) are written once.

Keys are the other blog's ids, as text; the writer remembers which row each
became (ImportedItem), so a second import of the same file updates."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from blog.models import ArticleKind, ArticleStatus, CommentStatus, Role, utcnow


@dataclass
class PersonRecord:
    """An account that wrote posts (or comments, signed in) on the old blog."""

    key: str
    email: str
    display_name: str
    slug: str = ""
    role: Role = Role.AUTHOR
    active: bool = True
    created_at: datetime | None = None
    bio: str = ""  # Markdown
    website: str = ""
    old_paths: list[str] = field(default_factory=list)


@dataclass
class TermRecord:
    """A category or a tag."""

    key: str
    kind: str  # "category" or "tag"
    name: str
    slug: str = ""
    old_paths: list[str] = field(default_factory=list)


@dataclass
class ImageRecord:
    """An image the content or a cover uses, by the address the old blog
    served it at; `fetch` in the importer finds its bytes."""

    url: str
    alt: str = ""
    original_name: str = ""


@dataclass
class PostRecord:
    key: str
    kind: ArticleKind
    title: str
    slug: str
    body_markdown: str
    author_key: str
    status: ArticleStatus = ArticleStatus.PUBLISHED
    published_at: datetime | None = None
    updated_at: datetime | None = None
    summary: str = ""
    category_key: str | None = None
    tag_keys: list[str] = field(default_factory=list)
    cover_url: str | None = None
    cover_alt: str = ""
    comments_open: bool = True
    # Image addresses the body uses, each replaced by ours once stored.
    image_urls: list[str] = field(default_factory=list)
    old_paths: list[str] = field(default_factory=list)
    # What the conversion could not carry over (an unknown shortcode).
    notes: list[str] = field(default_factory=list)


@dataclass
class CommentRecord:
    key: str
    post_key: str
    body_markdown: str
    status: CommentStatus
    created_at: datetime
    parent_key: str | None = None
    # A signed-in writer (a PersonRecord's key), else the guest's signature.
    author_key: str | None = None
    guest_name: str = ""
    guest_email: str = ""
    edited_at: datetime | None = None


@dataclass
class AddressRecord:
    """An old address that leads to a fixed place of ours (/feed/ →
    /feed.xml), or to the feed of a term or a person of the export:
    feed_of=("tag", key), ("category", key) or ("person", key), resolved
    once the import knows their slugs here."""

    path: str
    target_path: str = ""
    feed_of: tuple[str, str] | None = None


@dataclass
class Skipped:
    """An item of the export left out on purpose, and why (a spam comment,
    a revision, a navigation menu item)."""

    kind: str
    name: str
    reason: str


@dataclass
class Bundle:
    """Everything one export holds, in the order the writer needs it."""

    source: str  # "wordpress:<site url>", "ghost:<site url>", "export:…"
    site_url: str = ""
    people: list[PersonRecord] = field(default_factory=list)
    terms: list[TermRecord] = field(default_factory=list)
    images: dict[str, ImageRecord] = field(default_factory=dict)
    posts: list[PostRecord] = field(default_factory=list)
    comments: list[CommentRecord] = field(default_factory=list)
    addresses: list[AddressRecord] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    read_at: datetime = field(default_factory=utcnow)

    def skip(self, kind: str, name: str, reason: str) -> None:
        self.skipped.append(Skipped(kind, name, reason))


@dataclass
class Outcome:
    """What happened to one item: created, updated, unchanged, skipped or
    failed, with the reason for the last two."""

    kind: str
    name: str
    result: str
    reason: str = ""


@dataclass
class Report:
    outcomes: list[Outcome] = field(default_factory=list)

    def add(self, kind: str, name: str, result: str, reason: str = "") -> None:
        self.outcomes.append(Outcome(kind, name, result, reason))

    @property
    def failed(self) -> list[Outcome]:
        return [outcome for outcome in self.outcomes if outcome.result == "failed"]

    def counts(self) -> dict[str, Counter[str]]:
        """Per kind, how many of each result."""
        table: dict[str, Counter[str]] = {}
        for outcome in self.outcomes:
            table.setdefault(outcome.kind, Counter())[outcome.result] += 1
        return table
