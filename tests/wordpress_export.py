"""The committed WordPress export (tests/data/wordpress/small.wxr, trimmed
from the anchor's own export), read with lxml, apart from the importer's
code: what a test expects is what WordPress wrote, not what we parsed."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from lxml import etree

DATA = Path(__file__).resolve().parent / "data" / "wordpress"
SMALL_WXR = DATA / "small.wxr"
MEDIA_DIR = DATA / "uploads"
WP = "{http://wordpress.org/export/1.2/}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}"


@dataclass
class WpComment:
    id: str
    post_id: str
    parent: str
    approved: str
    author: str
    user_id: str


@dataclass
class WpPost:
    id: str
    type: str
    status: str
    title: str
    link_path: str
    content: str
    password: str
    categories: list[str]
    comments: list[WpComment]


def items(path: Path = SMALL_WXR) -> list[WpPost]:
    posts = []
    for item in etree.parse(str(path)).iter("item"):
        post_id = item.findtext(f"{WP}post_id")
        posts.append(
            WpPost(
                id=post_id,
                type=item.findtext(f"{WP}post_type"),
                status=item.findtext(f"{WP}status"),
                title=item.findtext("title") or "",
                link_path=urlsplit(item.findtext("link")).path,
                content=item.findtext(f"{CONTENT}encoded") or "",
                password=item.findtext(f"{WP}post_password") or "",
                categories=[
                    element.get("nicename")
                    for element in item.iter("category")
                    if element.get("domain") == "category"
                ],
                comments=[
                    WpComment(
                        id=comment.findtext(f"{WP}comment_id"),
                        post_id=post_id,
                        parent=comment.findtext(f"{WP}comment_parent"),
                        approved=comment.findtext(f"{WP}comment_approved"),
                        author=comment.findtext(f"{WP}comment_author") or "",
                        user_id=comment.findtext(f"{WP}comment_user_id"),
                    )
                    for comment in item.iter(f"{WP}comment")
                ],
            )
        )
    return posts


def terms(kind: str, path: Path = SMALL_WXR) -> list[str]:
    """The slugs of the export's categories ("category") or tags ("tag")."""
    slug = "category_nicename" if kind == "category" else "tag_slug"
    root = etree.parse(str(path)).getroot()
    return [element.findtext(f"{WP}{slug}") for element in root.iter(f"{WP}{kind}")]


def published_posts(path: Path = SMALL_WXR) -> list[WpPost]:
    """What WordPress shows readers as posts: published, no password."""
    return [
        post
        for post in items(path)
        if post.type == "post" and post.status == "publish" and not post.password
    ]


def post_titled(title: str) -> WpPost:
    return next(post for post in items() if post.title.startswith(title))
