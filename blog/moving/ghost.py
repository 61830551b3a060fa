"""Ghost's own JSON export (Settings › Advanced › Export, or
GET /ghost/api/admin/db/) read into a Bundle: posts and pages from their
HTML, tags (the first public one as the category), authors, feature images
and Ghost's addresses. The whole file is checked before anything is read
from it: one that is not Ghost's export, or is cut short, is refused."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from blog.models import ArticleKind, ArticleStatus
from blog.models.article import SLUG_MAX, SUMMARY_MAX, TITLE_MAX
from blog.moving.ghost_export import Row, links, load_export, moment, table, text
from blog.moving.html import html_to_markdown
from blog.moving.records import (
    AddressRecord,
    Bundle,
    ImageRecord,
    PersonRecord,
    PostRecord,
    TermRecord,
)
from blog.slugs import make_slug

MAX_HTML = 5 * 1024 * 1024  # one post's body
URL_MAX = 2000
GHOST_TITLE_MAX = 255  # Ghost's own limit: a longer title is not Ghost's
GHOST_URL = "__GHOST_URL__"  # what Ghost stores for its own address
NO_COMMENTS = (
    "Ghost's export holds no comments (its members' comments are not "
    "exported), so none were imported."
)


@dataclass(frozen=True)
class GhostOptions:
    site_url: str = ""  # the Ghost site's address, what __GHOST_URL__ stands for
    first_tag_is_category: bool = True


def read_ghost_export(path: Path, options: GhostOptions) -> Bundle:
    """Everything the export at path holds, or NotGhostExport."""
    return GhostReader(load_export(path), options).read()


def refusal(url: str) -> str | None:
    """Why an image address may not be followed, or None when it may."""
    parts = urlsplit(url)
    if len(url) > URL_MAX:
        return "an address longer than 2,000 characters"
    if parts.scheme not in ("", "http", "https") or url.startswith("//"):
        return f"a {parts.scheme or 'protocol-relative'} address is never fetched"
    if ".." in unquote(parts.path).replace("\\", "/").split("/"):
        return "a path that climbs with ../ is never followed"
    if not parts.scheme and not url.startswith("/"):
        return "not an address on the site"
    return None


class GhostReader:
    """One export's data turned into a Bundle; the Ghost rules are here."""

    def __init__(self, data: Row, options: GhostOptions) -> None:
        self.data = data
        self.site = options.site_url.rstrip("/")
        self.first_tag_is_category = options.first_tag_is_category
        self.bundle = Bundle(source=f"ghost:{site_identity(data, self.site)}")
        self.bundle.site_url = self.site
        self.tags = {text(tag, "id"): tag for tag in table(data, "tags")}
        self.users = {text(user, "id"): user for user in table(data, "users")}
        self.post_tags = links(data, "posts_tags", "tag_id")
        self.post_authors = links(data, "posts_authors", "author_id")
        self.alts = {
            text(meta, "post_id"): text(meta, "feature_image_alt")
            for meta in table(data, "posts_meta")
        }
        self.terms: dict[str, TermRecord] = {}
        self.people: dict[str, PersonRecord] = {}

    def read(self) -> Bundle:
        for post in [*table(self.data, "posts"), *table(self.data, "pages")]:
            record = self.read_post(post)
            if record is not None:
                self.bundle.posts.append(record)
        self.bundle.people = list(self.people.values())
        self.bundle.terms = list(self.terms.values())
        self.keep_tag_addresses()
        self.bundle.addresses.append(AddressRecord("/rss/", target_path="/feed.xml"))
        self.skip_unread_rows()
        return self.bundle

    def read_post(self, post: Row) -> PostRecord | None:
        post_id, title = text(post, "id"), text(post, "title").strip()
        kind = ArticleKind.PAGE if is_page(post) else ArticleKind.ARTICLE
        name, notes = title[:80] or post_id, list[str]()
        author_key = self.author_of(post_id, notes)
        reason = post_refusal(post, title) or (
            "none of its authors is in the export" if author_key is None else None
        )
        if reason is not None or author_key is None:
            self.bundle.skip("page" if is_page(post) else "post", name, reason or "")
            return None
        if len(title) > TITLE_MAX:
            title = title[:TITLE_MAX].rstrip()
            notes.append(f"title cut to {TITLE_MAX} characters")
        status, note = post_status(post)
        notes += [note] if note else []
        body, image_urls = self.body(post, name, notes)
        category, tags = self.filing(post_id, name, kind, notes)
        slug = text(post, "slug")
        published = moment(post, "published_at")
        if status is ArticleStatus.PUBLISHED and published is None:
            published = moment(post, "updated_at") or moment(post, "created_at")
        return PostRecord(
            key=post_id,
            kind=kind,
            title=title,
            slug=make_slug(slug or title, SLUG_MAX),
            body_markdown=body,
            author_key=author_key,
            status=status,
            published_at=published,
            updated_at=moment(post, "updated_at"),
            summary=text(post, "custom_excerpt").strip()[:SUMMARY_MAX],
            category_key=category,
            tag_keys=tags,
            cover_url=self.cover(post, name),
            cover_alt=self.alts.get(post_id, "")[:500],
            image_urls=image_urls,
            old_paths=[f"/{slug}/"] if slug else [],
            notes=notes,
        )

    def body(self, post: Row, where: str, notes: list[str]) -> tuple[str, list[str]]:
        """The post's Markdown and the image addresses in it we may fetch."""
        html = text(post, "html")
        if not html.strip():
            if post.get("lexical") or post.get("mobiledoc"):
                notes.append("no HTML in the export, only Ghost's editor format")
            return "", []
        converted = html_to_markdown(local_links(html).replace(GHOST_URL, self.site))
        notes += converted.notes
        kept = [url for url in converted.image_urls if self.image(url, "", where)]
        return converted.markdown, list(dict.fromkeys(kept))

    def cover(self, post: Row, where: str) -> str | None:
        url = text(post, "feature_image").strip().replace(GHOST_URL, self.site)
        if not url:
            return None
        return self.image(url, self.alts.get(text(post, "id"), ""), where)

    def image(self, url: str, alt: str, where: str) -> str | None:
        """The address, recorded for fetching; None and reported when it is
        one we never follow (javascript:, file://, ../)."""
        reason = refusal(url)
        if reason is not None:
            self.bundle.skip("image", f"{url[:80]} in {where}", reason)
            return None
        name = Path(urlsplit(url).path).name
        self.bundle.images.setdefault(url, ImageRecord(url, alt[:500], name))
        return url

    def filing(
        self, post_id: str, where: str, kind: ArticleKind, notes: list[str]
    ) -> tuple[str | None, list[str]]:
        """The keys of the post's category and tags, in Ghost's order."""
        tags = []
        for tag_id in self.post_tags.get(post_id, []):
            tag = self.tags.get(tag_id)
            if tag is None:
                continue  # a link to a tag the export does not hold
            name = text(tag, "name")
            if name.startswith("#") or text(tag, "visibility") == "internal":
                self.bundle.skip("tag", f"{name} on {where}", "internal tag")
            else:
                tags.append(tag)
        if kind is ArticleKind.PAGE:
            notes += ["a page has no tags here"] if tags else []
            return None, []
        category = None
        if tags and self.first_tag_is_category:
            category = self.term(tags.pop(0), "category")
        return category, [self.term(tag, "tag") for tag in tags]

    def term(self, tag: Row, kind: str) -> str:
        key = f"{kind}:{text(tag, 'id')}"
        if key not in self.terms:
            slug, name = text(tag, "slug"), text(tag, "name").strip()
            slug, name = slug or make_slug(name), name or slug
            self.terms[key] = TermRecord(key, kind, name, make_slug(slug))
        return key

    def keep_tag_addresses(self) -> None:
        """/tag/<slug>/ leads to the tag when there is one (it lists every
        post the Ghost tag had), else to the category; its /rss/ to that feed."""
        for tag_id, tag in self.tags.items():
            term = self.terms.get(f"tag:{tag_id}")
            term = term or self.terms.get(f"category:{tag_id}")
            slug = text(tag, "slug")
            if term is None or not slug:
                continue
            term.old_paths.append(f"/tag/{slug}/")
            feed = (term.kind, term.key)
            self.bundle.addresses.append(
                AddressRecord(f"/tag/{slug}/rss/", feed_of=feed)
            )

    def author_of(self, post_id: str, notes: list[str]) -> str | None:
        """The primary author's key (sort_order 0); co-authors are named."""
        keys = [key for key in self.post_authors.get(post_id, []) if self.person(key)]
        if len(keys) > 1:
            names = ", ".join(self.people[key].display_name for key in keys[1:])
            notes.append(f"one author here: co-authors {names} not kept")
        return keys[0] if keys else None

    def person(self, user_id: str) -> PersonRecord | None:
        if user_id in self.people or user_id not in self.users:
            return self.people.get(user_id)
        user = self.users[user_id]
        slug, email = text(user, "slug"), text(user, "email").strip().lower()
        person = PersonRecord(
            key=user_id,
            email=email if "@" in email and len(email) <= 254 else "",
            display_name=text(user, "name").strip()[:100] or slug,
            slug=make_slug(slug or text(user, "name"), 100),
            active=text(user, "status") not in ("inactive", "locked"),
            created_at=moment(user, "created_at"),
            bio=text(user, "bio")[:SUMMARY_MAX],
            website=text(user, "website")[:URL_MAX],
            old_paths=[f"/author/{slug}/"] if slug else [],
        )
        self.bundle.addresses.append(
            AddressRecord(f"/author/{slug}/rss/", feed_of=("person", user_id))
        )
        self.people[user_id] = person
        return person

    def skip_unread_rows(self) -> None:
        for user_id, user in self.users.items():
            if user_id not in self.people:
                name = text(user, "name") or user_id
                self.bundle.skip("author", name, "wrote no imported post")
        members = table(self.data, "members")
        if members:
            self.bundle.skip("member", f"{len(members)} members", "not imported")


def is_page(post: Row) -> bool:
    return text(post, "type") == "page" or post.get("page") is True


def post_refusal(post: Row, title: str) -> str | None:
    if not title:
        return "no title"
    if len(title) > GHOST_TITLE_MAX:
        return f"a title of {len(title):,} characters (Ghost allows {GHOST_TITLE_MAX})"
    if len(text(post, "html")) > MAX_HTML:
        return f"a body over {MAX_HTML:,} bytes"
    return None


def post_status(post: Row) -> tuple[ArticleStatus, str]:
    """Our status for the post, and a note when it is not Ghost's: a post
    for members only stays a draft, never public here."""
    status, visibility = text(post, "status"), text(post, "visibility") or "public"
    if visibility != "public":
        return ArticleStatus.DRAFT, f"for {visibility[:20]} only on Ghost: a draft here"
    if status in ("published", "scheduled"):
        return ArticleStatus.PUBLISHED, ""
    if status == "draft":
        return ArticleStatus.DRAFT, ""
    return ArticleStatus.DRAFT, f"status {status[:20]!r} on Ghost: a draft here"


def site_identity(data: Row, site: str) -> str:
    """What names the Ghost site across its exports: its db_hash setting
    (made once, when Ghost was installed), else its address."""
    for setting in table(data, "settings"):
        if text(setting, "key") == "db_hash" and text(setting, "value"):
            return text(setting, "value")[:100]
    return site or "site"


def local_links(html: str) -> str:
    """Links to the old site's own pages become paths here (each answers 301
    to what it became); images keep the site's address, to be fetched."""
    return re.sub(r"(\bhref\s*=\s*[\"'])" + GHOST_URL, r"\1", html)
