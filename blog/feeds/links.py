"""Where the feeds are, for autodiscovery links, the footer and the
Subscribe page. Templates call feed_links(); no queries. Addresses are
absolute, as a reader copies them."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from blog.feeds.builders import MEDIA_TYPES
from blog.http import absolute_url
from blog.site_settings import current_site

FEED_FILES = {"rss": "feed.xml", "atom": "atom.xml", "json": "feed.json"}
FORMAT_NAMES = {"rss": "RSS", "atom": "Atom", "json": "JSON Feed"}
SCOPE_KINDS = ("category", "tag", "author")


@dataclass(frozen=True)
class FeedLink:
    href: str
    media_type: str
    title: str
    # The format's name as people know it: "RSS", "Atom", "JSON Feed".
    label: str


def feed_links(kind: str = "site", slug: str = "", name: str = "") -> list[FeedLink]:
    """The site's three feeds, or a category's, tag's or author's."""
    site = current_site().title
    title = f"{name} · {site}" if name else site
    links = []
    for format_name in FEED_FILES:
        if kind == "site":
            href = absolute_url("feeds.site", format_name=format_name)
        else:
            href = absolute_url(
                "feeds.scoped", kind=kind, slug=slug, format_name=format_name
            )
        links.append(link(href, format_name, title))
    return links


def comment_feed_links(article_slug: str = "", title: str = "") -> list[FeedLink]:
    """The comment feeds (RSS and Atom) of the site or of one article."""
    site = current_site().title
    what = _("Comments on “%(title)s”", title=title) if title else _("Comments")
    heading = f"{what} · {site}"
    links = []
    for format_name in ("rss", "atom"):
        if article_slug:
            href = absolute_url(
                "feeds.article_comments", slug=article_slug, format_name=format_name
            )
        else:
            href = absolute_url("feeds.comments", format_name=format_name)
        links.append(link(href, format_name, heading))
    return links


def link(href: str, format_name: str, title: str) -> FeedLink:
    return FeedLink(
        href=href,
        media_type=MEDIA_TYPES[format_name],
        title=f"{title} ({FORMAT_NAMES[format_name]})",
        label=FORMAT_NAMES[format_name],
    )
