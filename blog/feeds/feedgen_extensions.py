"""What feedgen does not write by itself, as its extensions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.util import xml_elem

ATOM_NAMESPACE = "http://www.w3.org/2005/Atom"


@dataclass(frozen=True)
class FeedImage:
    """An item's cover: RSS's <enclosure> needs its length and type."""

    url: str
    length: int
    content_type: str


class RssAtomLinks(BaseExtension):
    """feedgen writes only rel="self" as atom:link in RSS; WebSub also needs
    rel="hub" there (W3C's validator knows both)."""

    def __init__(self) -> None:
        self.hub_url = ""

    def extend_ns(self) -> dict[str, str]:
        return {"atom": ATOM_NAMESPACE}

    def extend_rss(self, feed: Any) -> Any:
        if self.hub_url:
            xml_elem(f"{{{ATOM_NAMESPACE}}}link", feed[0], href=self.hub_url, rel="hub")
        return feed


class AtomEnclosure(BaseEntryExtension):
    """An entry's <link rel="enclosure">. feedgen 1.0 writes an Atom entry's
    links with their href alone (entry.py reads rel and type from the element
    it just made), so an enclosure would become a second alternate link."""

    def __init__(self) -> None:
        self.image: FeedImage | None = None

    def extend_atom(self, entry: Any) -> Any:
        if self.image:
            xml_elem(
                f"{{{ATOM_NAMESPACE}}}link",
                entry,
                rel="enclosure",
                href=self.image.url,
                type=self.image.content_type,
                length=str(self.image.length),
            )
        return entry
