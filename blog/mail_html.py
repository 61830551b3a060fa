"""The HTML alternative of a plain-text mail: its paragraphs, with its
addresses as links. Hand-written because it is ten lines: Markdown would
read the text's own punctuation (a "*" in a comment) as markup."""

from __future__ import annotations

import re

from markupsafe import escape

LINK = re.compile(r"https?://[^\s<>\"]+")
STYLE = (
    "font-family: -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif;"
    " font-size: 16px; line-height: 1.5; margin: 0 0 1em;"
)


def html_from_text(text: str) -> str:
    paragraphs = [part.strip() for part in re.split(r"\n\s*\n", text) if part.strip()]
    body = "\n".join(f'<p style="{STYLE}">{linked(part)}</p>' for part in paragraphs)
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8">'
        '<meta name="color-scheme" content="light dark">'
        '<meta name="supported-color-schemes" content="light dark">'
        f"</head><body>\n{body}\n</body></html>\n"
    )


def linked(paragraph: str) -> str:
    """Escaped text, its line breaks kept, its http(s) addresses as links."""
    pieces = []
    position = 0
    for match in LINK.finditer(paragraph):
        address = match.group().rstrip(".,;:!?)")
        end = match.start() + len(address)
        pieces.append(str(escape(paragraph[position : match.start()])))
        pieces.append(f'<a href="{escape(address)}">{escape(address)}</a>')
        position = end
    pieces.append(str(escape(paragraph[position:])))
    return "".join(pieces).replace("\n", "<br>\n")
