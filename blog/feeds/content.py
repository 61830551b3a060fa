"""Relative links made absolute in stored HTML, for feed readers that show an
item far from the page it came from."""

from __future__ import annotations

import html
import re
from urllib.parse import urljoin

# A hand-written pattern rather than an HTML parser, because it only ever sees
# our own sanitised HTML, re-serialised by nh3 (html5ever): every attribute is
# written name="value" with '"' escaped and every '<' in text escaped, so this
# matches exactly the start tags. Re-serialising through a parser could alter
# markup we have already vetted.
START_TAG = re.compile(r'<[a-zA-Z][a-zA-Z0-9]*(?:\s+[^\s"\'=<>/]+(?:="[^"]*")?)*\s*/?>')
LINK_ATTRIBUTE = re.compile(r'(\s(?:href|src)=")([^"]*)(")')


def absolute_links(fragment: str, base_url: str) -> str:
    """The HTML with every href and src resolved against base_url: "/path",
    "image.png", "//host/x" and "#note" become absolute; absolute ones stay."""

    def resolve_attribute(match: re.Match[str]) -> str:
        url = html.unescape(match.group(2))
        absolute = urljoin(base_url, url.strip())
        return match.group(1) + html.escape(absolute, quote=True) + match.group(3)

    def resolve_tag(match: re.Match[str]) -> str:
        return LINK_ATTRIBUTE.sub(resolve_attribute, match.group(0))

    return START_TAG.sub(resolve_tag, fragment)
