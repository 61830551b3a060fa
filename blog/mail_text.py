"""The plain-text part of an article's mail, from its HTML: paragraphs as
paragraphs, list items as "- " lines, and each link followed by its address,
for text-only clients and the filters that read the text part.

Written by hand: the one converter we depend on (markdownify) makes
Markdown, whose markup ("**", "[]()") is noise in a plain-text mail, and it
belongs to the importers, which web workers never load.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

BLOCKS = {
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li",
    "blockquote", "pre", "figure", "figcaption", "table", "tr", "hr", "section",
}  # fmt: skip
SKIPPED = {"script", "style", "head", "title"}


class TextMaker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.current: list[str] = []
        self.links: list[str] = []
        self.pre = 0
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag in SKIPPED:
            self.skipping += 1
        elif tag in BLOCKS:
            self.end_block()
            self.pre += tag == "pre"
            if tag == "li":
                self.current.append("- ")
        elif tag == "br":
            self.current.append("\n")
        elif tag == "a":
            self.links.append(attributes.get("href") or "")
        elif tag == "img" and attributes.get("alt"):
            self.current.append(f"[{attributes['alt']}]")

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED:
            self.skipping = max(0, self.skipping - 1)
        elif tag in BLOCKS:
            self.end_block()
            self.pre -= tag == "pre" and self.pre > 0
        elif tag == "a" and self.links:
            href = self.links.pop()
            if href.startswith(("http://", "https://")):
                self.current.append(f" ({href})")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.current.append(data if self.pre else re.sub(r"\s+", " ", data))

    def end_block(self) -> None:
        text = "".join(self.current)
        text = (
            text if self.pre else "\n".join(line.strip() for line in text.split("\n"))
        )
        if text.strip() not in ("", "-"):
            self.blocks.append(text.strip("\n"))
        self.current = []


def text_from_html(html: str) -> str:
    maker = TextMaker()
    maker.feed(html)
    maker.close()
    maker.end_block()
    return "\n\n".join(maker.blocks)
