"""What a feed holds, in any format: the feed, its items and the people and
labels in them, with absolute URLs, aware times and sanitised HTML. The
builders (builders.py) turn them into RSS, Atom or JSON Feed."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from blog.feeds.feedgen_extensions import FeedImage

__all__ = ["FeedImage", "FeedInfo", "FeedItem", "Label", "Person"]


@dataclass(frozen=True)
class Person:
    name: str
    url: str = ""
    # A square photo's absolute URL (JSON Feed's avatar; the channel image
    # of an author's RSS and Atom feeds, so at most 144 px for RSS).
    avatar: str = ""


@dataclass(frozen=True)
class Label:
    """A category or tag: its name and the URL of its page."""

    name: str
    url: str


@dataclass(frozen=True)
class FeedItem:
    id: str
    url: str
    title: str
    content_html: str
    summary: str
    published: datetime
    updated: datetime
    authors: tuple[Person, ...]
    labels: tuple[Label, ...] = ()
    image: FeedImage | None = None


@dataclass(frozen=True)
class FeedInfo:
    """The feed itself. self_url is this format's own address; updated is the
    newest change, also sent as Last-Modified."""

    title: str
    description: str
    home_url: str
    self_url: str
    updated: datetime
    author: Person
    hub_url: str = ""
    items: tuple[FeedItem, ...] = field(default_factory=tuple)
    # The CSS stylesheet that shows the RSS or Atom feed in a browser.
    stylesheet_url: str = ""
    # The language it is written in (RSS <language>, Atom xml:lang, JSON
    # Feed's language), and the title of what has none, in that language.
    language: str = ""
    untitled: str = "(untitled)"
