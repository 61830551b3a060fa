"""Feed documents from prepared items: RSS 2.0 and Atom 1.0 through feedgen,
JSON Feed 1.1 as plain JSON. Knows nothing of HTTP, the database or Flask:
callers hand over absolute URLs, aware times and sanitised HTML.

Every string passes through xml_safe() here, on the way into any format, so
that no caller can let a control character break a feed. Then every field
that is text, not our sanitised HTML (titles, names, summaries, the feed's
description), is escaped so that no reader can see markup in it: RSS readers
render <description> and often <title> as HTML, whatever the spec says, and
"<script>" in a summary or a category name would run there. Stripping comes
first: removing a character after escaping could join a split payload.
"""

from __future__ import annotations

import dataclasses
import html
import json
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from feedgen.entry import FeedEntry
from feedgen.ext.base import BaseExtension
from feedgen.feed import FeedGenerator

from blog.feeds.entries import FeedInfo, FeedItem, Person
from blog.feeds.feedgen_extensions import AtomEnclosure, RssAtomLinks
from blog.rendering import sanitised_article_html, xml_safe

JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
MEDIA_TYPES = {
    "rss": "application/rss+xml",
    "atom": "application/atom+xml",
    "json": "application/feed+json",
}
# What the feeds are served as. Chromium shows application/rss+xml as text
# and applies a stylesheet only to an XML type; feed readers read the
# document whatever its type (autodiscovery links keep the formats' own).
SERVED_TYPES = {**MEDIA_TYPES, "rss": "application/xml", "atom": "application/xml"}


def build_feed(format_name: str, info: FeedInfo) -> bytes:
    """The feed document in this format ("rss", "atom" or "json")."""
    builders: dict[str, Callable[[FeedInfo], bytes]] = {
        "rss": rss_document,
        "atom": atom_document,
        "json": json_document,
    }
    return builders[format_name](as_text(cleaned(info)))


def cleaned(value: Any) -> Any:
    """The same dataclass, tuple or string with xml_safe() applied to every
    string inside; times pass through untouched."""
    if isinstance(value, str):
        return xml_safe(value)
    if isinstance(value, tuple):
        return tuple(cleaned(part) for part in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {
            part.name: cleaned(getattr(value, part.name))
            for part in dataclasses.fields(value)
        }
        if isinstance(value, FeedItem):
            changes["content_html"] = safe_content(value.content_html)
        return dataclasses.replace(value, **changes)
    return value


def safe_content(content_html: str) -> str:
    """Sanitised HTML that needed no character removed stays as it is. HTML
    stored before the renderer stripped characters first may hold one inside
    a URL ("java\x0bscript:"); removing it re-forms the scheme, so such HTML
    goes through the sanitiser again, after the removal."""
    safe = xml_safe(content_html)
    return safe if safe == content_html else sanitised_article_html(safe)


def without_markup(text: str) -> str:
    """Plain text that reads the same shown as text or rendered as HTML,
    except that no tag can start in it. An ampersand is left alone (so
    "Fish & Chips" stays readable in readers that show titles as text): with
    no "<" an entity can only ever become a character."""
    return text.replace("<", "&lt;").replace(">", "&gt;")


def as_text(info: FeedInfo) -> FeedInfo:
    """The feed with every plain-text field made markup-free; summaries are
    escaped where they are sent (RSS and Atom send them as HTML)."""
    return dataclasses.replace(
        info,
        title=without_markup(info.title) or info.untitled,
        description=without_markup(info.description),
        author=person_as_text(info.author),
        items=tuple(item_as_text(item, info.untitled) for item in info.items),
    )


def item_as_text(item: FeedItem, untitled: str) -> FeedItem:
    return dataclasses.replace(
        item,
        # Atom requires a title; one made only of unsafe characters is empty now.
        title=without_markup(item.title) or untitled,
        authors=tuple(person_as_text(author) for author in item.authors),
        labels=tuple(
            dataclasses.replace(label, name=without_markup(label.name))
            for label in item.labels
        ),
    )


def person_as_text(person: Person) -> Person:
    return dataclasses.replace(person, name=without_markup(person.name))


def summary_html(summary: str) -> str:
    """A plain-text summary as the HTML that shows exactly its text."""
    return html.escape(summary, quote=False)


def at_second(moment: datetime) -> datetime:
    """HTTP dates have no fractions; feed dates match them exactly."""
    return moment.replace(microsecond=0)


def generator_for(info: FeedInfo, format_name: str) -> FeedGenerator:
    """A FeedGenerator holding the feed-level fields of either XML format."""
    generator = FeedGenerator()
    generator.id(info.self_url)
    generator.title(info.title)
    generator.description(info.description)
    generator.author(person_fields(info.author))
    generator.updated(at_second(info.updated))
    if info.language:
        generator.language(info.language)  # RSS <language>, Atom xml:lang
    generator.link(href=info.self_url, rel="self", type=MEDIA_TYPES[format_name])
    if info.hub_url and format_name == "atom":
        generator.link(href=info.hub_url, rel="hub")
    # For RSS, feedgen takes the channel's <link> from the link added last.
    generator.link(href=info.home_url, rel="alternate", type="text/html")
    if info.author.avatar:
        # RSS <image>, Atom <logo>: the author of an author's feed.
        generator.image(url=info.author.avatar, title=info.title, link=info.home_url)
    return generator


def person_fields(person: Person) -> dict[str, str]:
    """A person as feedgen takes one: Atom's <uri> only when there is a page."""
    fields = {"name": person.name}
    if person.url:
        fields["uri"] = person.url
    return fields


def add_entry(generator: FeedGenerator, item: FeedItem) -> FeedEntry:
    """One entry with the fields RSS and Atom share. Items come newest first
    and keep that order (feedgen would prepend by default)."""
    entry = generator.add_entry(order="append")
    entry.id(item.id)
    entry.title(item.title)
    entry.link(href=item.url, rel="alternate", type="text/html")
    entry.content(item.content_html, type="html")
    if item.summary:
        entry.summary(summary_html(item.summary), type="html")
    entry.published(at_second(item.published))
    entry.updated(at_second(item.updated))
    for label in item.labels:
        entry.category(term=label.name, scheme=label.url)
    return entry


def rss_document(info: FeedInfo) -> bytes:
    generator = generator_for(info, "rss")
    generator.load_extension("dc", atom=False, rss=True)
    generator.register_extension(
        "rss_links", RssAtomLinks, BaseExtension, atom=False, rss=True
    )
    generator.rss_links.hub_url = info.hub_url
    for item in info.items:
        entry = add_entry(generator, item)
        # RSS's own <author> must be an e-mail address; names go in dc:creator.
        entry.dc.dc_creator([author.name for author in item.authors])
        # A tag: URI is no address to open: isPermaLink="false".
        entry.guid(item.id, permalink=False)
        if item.image:
            image = item.image
            entry.enclosure(image.url, str(image.length), image.content_type)
    return with_stylesheet(generator.rss_str(pretty=False), info.stylesheet_url)


def atom_document(info: FeedInfo) -> bytes:
    generator = generator_for(info, "atom")
    generator.register_extension(
        "cover", BaseExtension, AtomEnclosure, atom=True, rss=False
    )
    for item in info.items:
        entry = add_entry(generator, item)
        entry.author([person_fields(author) for author in item.authors])
        entry.cover.image = item.image
    return with_stylesheet(generator.atom_str(pretty=False), info.stylesheet_url)


def with_stylesheet(document: bytes, url: str) -> bytes:
    """The document with an xml-stylesheet instruction after its XML
    declaration, the one place it may go."""
    if not url:
        return document
    declaration, newline, rest = document.partition(b"\n")
    instruction = f'<?xml-stylesheet type="text/css" href="{html.escape(url)}"?>'
    return declaration + newline + instruction.encode() + b"\n" + rest


def json_document(info: FeedInfo) -> bytes:
    """JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/)."""
    document: dict[str, Any] = {
        "version": JSON_FEED_VERSION,
        "title": info.title,
        "home_page_url": info.home_url,
        "feed_url": info.self_url,
        "description": info.description,
        "authors": [json_person(info.author)],
        "items": [json_item(item) for item in info.items],
    }
    if info.language:
        document["language"] = info.language
    if info.hub_url:
        document["hubs"] = [{"type": "WebSub", "url": info.hub_url}]
    return json.dumps(document, ensure_ascii=False, indent=1).encode()


def json_item(item: FeedItem) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "id": item.id,
        "url": item.url,
        "title": item.title,
        "content_html": item.content_html,
        "date_published": at_second(item.published).isoformat(),
        "date_modified": at_second(item.updated).isoformat(),
        "authors": [json_person(author) for author in item.authors],
    }
    if item.summary:
        fields["summary"] = without_markup(item.summary)  # plain text in JSON Feed
    if item.labels:
        fields["tags"] = unique(label.name for label in item.labels)
    if item.image:
        fields["image"] = item.image.url
    return fields


def json_person(person: Person) -> dict[str, str]:
    fields = {"name": person.name}
    if person.url:
        fields["url"] = person.url
    if person.avatar:
        fields["avatar"] = person.avatar
    return fields


def unique(names: Iterable[str]) -> list[str]:
    """The names in order, each once (a tag may repeat the category's name)."""
    return list(dict.fromkeys(names))
