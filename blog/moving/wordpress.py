"""WordPress's export (WXR, what Tools › Export writes) read into a Bundle.

The XML is read with defusedxml: a file that declares entities (external
ones, or a billion laughs) is refused before anything is read. The whole
file is read before anything is written, so a file cut short changes
nothing. Addresses come from the export itself (each item's <link> and its
?p= guid), never from a guess at the permalink structure."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit
from xml.etree.ElementTree import Element, ParseError  # nosec B405 # types only

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import parse

from blog.models import Role
from blog.moving.records import (
    AddressRecord,
    Bundle,
    ImageRecord,
    PersonRecord,
    TermRecord,
)
from blog.moving.wp_items import post_record

CONTENT = "{http://purl.org/rss/1.0/modules/content/}"
EXCERPT_VERSIONS = ("1.2", "1.1", "1.0")
# The site's own feeds, as WordPress serves them, and ours.
FEEDS = {
    "/feed/": "/feed.xml",
    "/feed/rss2/": "/feed.xml",
    "/feed/atom/": "/atom.xml",
    "/comments/feed/": "/comments/feed.xml",
    "/?feed=rss2": "/feed.xml",
    "/?feed=atom": "/atom.xml",
    "/?feed=comments-rss2": "/comments/feed.xml",
}


class NotWordPressExport(Exception):
    """The file is not a complete WXR file; the message says why."""


class Wxr:
    """One WXR file's elements, in the namespace of its version."""

    def __init__(self, path: Path) -> None:
        try:
            root = parse(str(path)).getroot()
        except DefusedXmlException as error:
            raise NotWordPressExport(
                f"the file declares XML entities or a DTD ({type(error).__name__}), "
                "which a WordPress export never does: refused"
            ) from error
        except ParseError as error:
            raise NotWordPressExport(
                f"the file is not complete XML ({error}): was it cut short?"
            ) from error
        except OSError as error:
            raise NotWordPressExport(
                f"cannot read the file ({error.strerror})"
            ) from error
        channel = root.find("channel") if root is not None else None
        if root is None or root.tag != "rss" or channel is None:
            raise NotWordPressExport(
                "the file is not a WordPress export (no <rss><channel>)"
            )
        self.channel: Element = channel
        version = self.version()
        self.wp = f"{{http://wordpress.org/export/{version}/}}"
        self.excerpt = f"{{http://wordpress.org/export/{version}/excerpt/}}"

    def version(self) -> str:
        for version in EXCERPT_VERSIONS:
            if (
                self.channel.find(
                    f"{{http://wordpress.org/export/{version}/}}wxr_version"
                )
                is not None
            ):
                return version
        raise NotWordPressExport(
            "the file is not a WordPress export (no wp:wxr_version)"
        )

    def text(self, element: Element, name: str) -> str:
        """A child's text: `wp:` names in the export's namespace."""
        if name.startswith("wp:"):
            name = self.wp + name.removeprefix("wp:")
        elif name.startswith("content:"):
            name = CONTENT + name.removeprefix("content:")
        elif name.startswith("excerpt:"):
            name = self.excerpt + name.removeprefix("excerpt:")
        child = element.find(name)
        return (child.text or "").strip() if child is not None else ""

    def all(self, element: Element, name: str) -> list[Element]:
        return element.findall(self.wp + name.removeprefix("wp:"))


def read_wxr(path: Path) -> Bundle:
    wxr = Wxr(path)
    channel = wxr.channel
    site = (wxr.text(channel, "wp:base_blog_url") or wxr.text(channel, "link")).rstrip(
        "/"
    )
    if urlsplit(site).scheme not in ("http", "https"):
        raise NotWordPressExport(
            f"the export's site address {site[:80]!r} is not http(s)"
        )
    bundle = Bundle(source=f"wordpress:{site}"[:200], site_url=site)
    people = read_authors(wxr, channel, bundle)
    read_terms(wxr, channel, bundle)
    items = channel.findall("item")
    attachments = read_attachments(wxr, items, bundle)
    for item in items:
        post_record(wxr, item, bundle, people, attachments)
    folder = urlsplit(site).path.rstrip("/")  # WordPress in /blog: /blog/feed/
    for person in bundle.people:
        person.old_paths = [folder + path for path in person.old_paths]
    for term in bundle.terms:
        term.old_paths = [folder + path for path in term.old_paths]
    bundle.addresses = [
        AddressRecord(path=folder + path, target_path=ours)
        for path, ours in FEEDS.items()
    ]
    return bundle


def read_authors(wxr: Wxr, channel: Element, bundle: Bundle) -> dict[str, str]:
    """The authors by login; returns WordPress user ids → login."""
    ids = {}
    for author in wxr.all(channel, "wp:author"):
        login = wxr.text(author, "wp:author_login")
        if not login:
            continue
        user_id = wxr.text(author, "wp:author_id")
        ids[user_id] = login
        bundle.people.append(
            PersonRecord(
                key=login,
                email=wxr.text(author, "wp:author_email"),
                display_name=wxr.text(author, "wp:author_display_name") or login,
                slug=login,
                role=Role.AUTHOR,
                old_paths=[f"/author/{login}/", f"/?author={user_id}"],
            )
        )
    return ids


def read_terms(wxr: Wxr, channel: Element, bundle: Bundle) -> None:
    parents: dict[str, str] = {}
    for category in wxr.all(channel, "wp:category"):
        slug = unquote(wxr.text(category, "wp:category_nicename"))
        parents[slug] = unquote(wxr.text(category, "wp:category_parent"))
        name = wxr.text(category, "wp:cat_name") or slug
        term_id = wxr.text(category, "wp:term_id")
        bundle.terms.append(
            TermRecord(
                key=slug,
                kind="category",
                name=name,
                slug=slug,
                old_paths=[f"/?cat={term_id}"],
            )
        )
    for term in bundle.terms:  # /category/parent/child/, as WordPress nests them
        chain, seen = [term.key], {term.key}
        while (parent := parents.get(chain[0])) and parent not in seen:
            chain.insert(0, parent)
            seen.add(parent)
        term.old_paths.append("/category/" + "/".join(chain) + "/")
    for tag in wxr.all(channel, "wp:tag"):
        slug = unquote(wxr.text(tag, "wp:tag_slug"))
        name = wxr.text(tag, "wp:tag_name") or slug
        bundle.terms.append(
            TermRecord(
                key=slug,
                kind="tag",
                name=name,
                slug=slug,
                old_paths=[f"/tag/{slug}/", f"/?tag={slug}"],
            )
        )


def read_attachments(wxr: Wxr, items: list[Element], bundle: Bundle) -> dict[str, str]:
    """Images by attachment id (featured images and galleries name them so);
    their alt text kept for wherever the content shows them."""
    by_id = {}
    for item in items:
        if wxr.text(item, "wp:post_type") != "attachment":
            continue
        url = wxr.text(item, "wp:attachment_url")
        if not url:
            continue
        alt = ""
        for meta in wxr.all(item, "wp:postmeta"):
            if wxr.text(meta, "wp:meta_key") == "_wp_attachment_image_alt":
                alt = wxr.text(meta, "wp:meta_value")
        by_id[wxr.text(item, "wp:post_id")] = url
        bundle.images[url] = ImageRecord(
            url=url, alt=alt[:200], original_name=Path(urlsplit(url).path).name
        )
    return by_id
