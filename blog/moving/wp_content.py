"""WordPress's stored post text to HTML: its shortcodes and its paragraphs
without tags (the classic editor stores blank-line paragraphs, which
WordPress's wpautop() wraps when it shows them)."""

from __future__ import annotations

import html
import re
from collections.abc import Callable

# Blocks wpautop() leaves alone: a chunk of text that starts with one is
# HTML already; any other chunk is a paragraph.
BLOCK_START = re.compile(
    r"\s*<(?:!--|/?(?:p|div|h[1-6]|ul|ol|li|dl|dd|dt|table|thead|tbody|tr|td|th|"
    r"blockquote|pre|figure|figcaption|hr|section|article|aside|header|footer|"
    r"nav|form|address|details|summary|iframe|script|style|video|audio|object)\b)",
    re.IGNORECASE,
)
SHORTCODE = re.compile(
    r"\[(?P<name>[a-zA-Z][\w-]*)(?P<attributes>[^\]]*)\]"
    r"(?:(?P<inner>.*?)\[/(?P=name)\])?",
    re.DOTALL,
)
ATTRIBUTE = re.compile(r"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|(\S+))""")


def autop(text: str) -> str:
    """Blank-line paragraphs to <p>, single line breaks inside them to <br>."""
    chunks = re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip())
    out = []
    for chunk in chunks:
        if not chunk.strip():
            continue
        if BLOCK_START.match(chunk):
            out.append(chunk)
        else:
            out.append("<p>" + chunk.strip().replace("\n", "<br />\n") + "</p>")
    return "\n\n".join(out)


def attributes_of(text: str) -> dict[str, str]:
    return {
        match.group(1).lower(): next(g for g in match.groups()[1:] if g is not None)
        for match in ATTRIBUTE.finditer(text)
    }


def expand_shortcodes(
    text: str, image_url: Callable[[str], str | None], notes: list[str]
) -> str:
    """[caption] becomes a figure, [gallery ids=…] its images (by the
    attachments' ids); any other shortcode is kept as text and named in the
    notes, since its plugin's output cannot be known here."""

    def expand(match: re.Match[str]) -> str:
        name = match.group("name").lower()
        attributes = attributes_of(match.group("attributes"))
        inner = match.group("inner") or ""
        if name in ("caption", "wp_caption"):
            image = re.search(r"(?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?", inner)
            picture = image.group(0) if image else ""
            caption = attributes.get("caption") or inner.replace(picture, "").strip()
            return f"<figure>{picture}<figcaption>{caption}</figcaption></figure>"
        if name == "gallery":
            return gallery(attributes, image_url, notes)
        if name == "embed":
            return f"<p>{html.escape(inner.strip())}</p>"
        notes.append(f"the shortcode [{name}] was kept as text")
        return match.group(0)

    return SHORTCODE.sub(expand, text)


def gallery(
    attributes: dict[str, str], image_url: Callable[[str], str | None], notes: list[str]
) -> str:
    ids = [
        part.strip() for part in attributes.get("ids", "").split(",") if part.strip()
    ]
    images = []
    for attachment in ids:
        url = image_url(attachment)
        if url is None:
            notes.append(f"the gallery's image {attachment} is not in the export")
            continue
        images.append(f'<p><img src="{html.escape(url)}" alt=""></p>')
    if not ids:
        notes.append(
            "a [gallery] without ids (the post's attached images) was left out"
        )
    return "\n".join(images)
