"""One WXR <item> (a post or a page, with its comments) into records.

What WordPress holds that the blog does not show as it did is carried over
as close as it can be and named in the report: a private or a
password-protected post becomes a draft (publishing it would show it to
everyone), spam and trashed comments are counted and left out."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit
from xml.etree.ElementTree import Element  # nosec B405 # types only

from blog.models import ArticleKind, ArticleStatus, CommentStatus
from blog.models.article import SLUG_MAX, TITLE_MAX
from blog.moving.html import html_to_markdown
from blog.moving.records import Bundle, CommentRecord, PostRecord
from blog.moving.wp_content import autop, expand_shortcodes

if TYPE_CHECKING:
    from blog.moving.wordpress import Wxr

COMMENT_STATUSES = {"1": CommentStatus.VISIBLE, "0": CommentStatus.PENDING}
CONTENT_TYPES = {"post": ArticleKind.ARTICLE, "page": ArticleKind.PAGE}
# What else an export holds, and why it is not an article.
NOT_CONTENT = {
    "attachment": None,  # read as images (wordpress.py read_attachments)
    "revision": "an earlier version of a post",
    "nav_menu_item": "a menu item (menus are set in the studio)",
}


def gmt_time(text: str) -> datetime | None:
    """WordPress's "2024-03-09 11:29:14" in UTC; its zero date is none."""
    if not text or text.startswith("0000"):
        return None
    try:
        return datetime.strptime(text, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
    except ValueError:
        return None


def post_record(
    wxr: Wxr,
    item: Element,
    bundle: Bundle,
    authors: dict[str, str],
    attachments: dict[str, str],
) -> None:
    post_type = wxr.text(item, "wp:post_type")
    title = wxr.text(item, "title") or "(no title)"
    if post_type not in CONTENT_TYPES:
        reason = NOT_CONTENT.get(post_type, f"a {post_type}: not a post or a page")
        if reason:
            bundle.skip(post_type or "item", title, reason)
        return
    key = wxr.text(item, "wp:post_id")
    wp_status = wxr.text(item, "wp:status")
    if wp_status in ("trash", "auto-draft", "inherit"):
        bundle.skip(post_type, title, f"{wp_status} on WordPress")
        skip_comments(wxr, item, bundle, title, "its post was not imported")
        return
    notes: list[str] = []
    status, published_at = publication(wxr, item, wp_status, notes)
    if len(title) > TITLE_MAX:
        notes.append(f"its title was cut to {TITLE_MAX} characters")
        title = title[: TITLE_MAX - 1] + "…"
    body = wxr.text(item, "content:encoded")
    html = autop(expand_shortcodes(body, attachments.get, notes))
    converted = html_to_markdown(html, base_url=bundle.site_url)
    categories, tags = terms_of(item)
    if len(categories) > 1:
        # An article here has one category. Tags made of the others would
        # change what the blog's tags are; the report names them instead.
        notes.append(
            f"also in the categories {', '.join(categories[1:])} on WordPress: "
            "filed under the first only"
        )
    cover = attachments.get(meta_value(wxr, item, "_thumbnail_id"))
    record = PostRecord(
        key=key,
        kind=CONTENT_TYPES[post_type],
        title=title,
        slug=unquote(wxr.text(item, "wp:post_name"))[:SLUG_MAX],
        body_markdown=converted.markdown,
        author_key=wxr.text(item, "{http://purl.org/dc/elements/1.1/}creator"),
        status=status,
        published_at=published_at,
        updated_at=gmt_time(wxr.text(item, "wp:post_modified_gmt")),
        summary=plain_excerpt(wxr.text(item, "excerpt:encoded")),
        category_key=categories[0] if categories else None,
        tag_keys=tags,
        cover_url=cover,
        cover_alt=bundle.images[cover].alt if cover in bundle.images else "",
        comments_open=wxr.text(item, "wp:comment_status") == "open",
        image_urls=converted.image_urls,
        old_paths=old_paths(
            wxr, item, key, post_type, urlsplit(bundle.site_url).path.rstrip("/")
        ),
        notes=notes + converted.notes,
    )
    bundle.posts.append(record)
    comment_records(wxr, item, bundle, record, authors)


def publication(
    wxr: Wxr, item: Element, wp_status: str, notes: list[str]
) -> tuple[ArticleStatus, datetime | None]:
    """publish → published; future → published at its time (scheduled);
    everything else a draft, with the reason when it was not one."""
    when = gmt_time(wxr.text(item, "wp:post_date_gmt")) or gmt_time(
        wxr.text(item, "wp:post_date")
    )
    if wxr.text(item, "wp:post_password"):
        notes.append("protected by a password on WordPress: imported as a draft")
        return ArticleStatus.DRAFT, None
    if wp_status in ("publish", "future") and when is not None:
        return ArticleStatus.PUBLISHED, when
    if wp_status == "private":
        notes.append("private on WordPress: imported as a draft")
    elif wp_status not in ("draft", "pending"):
        notes.append(f"{wp_status} on WordPress: imported as a draft")
    return ArticleStatus.DRAFT, None


def terms_of(item: Element) -> tuple[list[str], list[str]]:
    categories, tags = [], []
    for element in item.findall("category"):
        slug = unquote(element.get("nicename", ""))
        if element.get("domain") == "category" and slug:
            categories.append(slug)
        elif element.get("domain") == "post_tag" and slug:
            tags.append(slug)
    return categories, tags


def meta_value(wxr: Wxr, item: Element, key: str) -> str:
    for meta in wxr.all(item, "wp:postmeta"):
        if wxr.text(meta, "wp:meta_key") == key:
            return wxr.text(meta, "wp:meta_value")
    return ""


def plain_excerpt(excerpt: str) -> str:
    return html_to_markdown(autop(excerpt)).markdown.strip() if excerpt else ""


def old_paths(
    wxr: Wxr, item: Element, key: str, post_type: str, folder: str
) -> list[str]:
    """The permalink the export gives, and the ?p= / ?page_id= form every
    WordPress answers whatever its permalink structure."""
    paths = []
    for address in (wxr.text(item, "link"), wxr.text(item, "guid")):
        parts = urlsplit(address)
        if parts.path or parts.query:
            paths.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    paths.append(f"{folder}/?{'page_id' if post_type == 'page' else 'p'}={key}")
    return list(dict.fromkeys(paths))


def comment_records(
    wxr: Wxr, item: Element, bundle: Bundle, post: PostRecord, authors: dict[str, str]
) -> None:
    for element in wxr.all(item, "wp:comment"):
        key = wxr.text(element, "wp:comment_id")
        approved = wxr.text(element, "wp:comment_approved")
        kind = wxr.text(element, "wp:comment_type") or "comment"
        name = f"comment {key} on {post.title!r}"
        if approved not in COMMENT_STATUSES:
            bundle.skip("comment", name, f"{approved} on WordPress")
            continue
        created = gmt_time(wxr.text(element, "wp:comment_date_gmt")) or gmt_time(
            wxr.text(element, "wp:comment_date")
        )
        parent = wxr.text(element, "wp:comment_parent")
        body = html_to_markdown(autop(wxr.text(element, "wp:comment_content")))
        if kind in ("pingback", "trackback"):
            # WordPress lists them among the comments: so do we, with the link.
            link = wxr.text(element, "wp:comment_author_url")
            body.markdown = f"{kind.capitalize()} from <{link}>:\n\n{body.markdown}"
        bundle.comments.append(
            CommentRecord(
                key=key,
                post_key=post.key,
                body_markdown=body.markdown,
                status=COMMENT_STATUSES[approved],
                created_at=created or post.published_at or bundle.read_at,
                parent_key=parent if parent not in ("", "0") else None,
                author_key=authors.get(wxr.text(element, "wp:comment_user_id")),
                guest_name=wxr.text(element, "wp:comment_author"),
                guest_email=wxr.text(element, "wp:comment_author_email"),
            )
        )


def skip_comments(
    wxr: Wxr, item: Element, bundle: Bundle, title: str, reason: str
) -> None:
    for element in wxr.all(item, "wp:comment"):
        key = wxr.text(element, "wp:comment_id")
        bundle.skip("comment", f"comment {key} on {title!r}", reason)
