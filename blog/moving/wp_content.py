"""WordPress's stored post text to HTML: its shortcodes and its paragraphs
without tags (the classic editor stores blank-line paragraphs, which
WordPress's wpautop() wraps when it shows them)."""

from __future__ import annotations

import bisect
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
# Opening and closing tags are found in one pass each and paired by
# position, so text full of [brackets] costs little (a pattern pairing them
# tried every [x] against the rest of the post: minutes for 64 KB).
SHORTCODE = re.compile(r"\[(?P<name>[a-zA-Z][\w-]*)(?P<attributes>[^\[\]]*)\]")
CLOSING = re.compile(r"\[/([a-zA-Z][\w-]*)\]")
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

    closings: dict[str, list[int]] = {}
    for closing_tag in CLOSING.finditer(text):
        closings.setdefault(closing_tag.group(1), []).append(closing_tag.start())
    out, position = [], 0
    for match in SHORTCODE.finditer(text):
        if match.start() < position:
            continue  # inside an enclosing shortcode already expanded
        name = match.group("name").lower()
        closing = first_after(closings.get(match.group("name"), []), match.end())
        inner = text[match.end() : closing] if closing >= 0 else ""
        end = closing + len(match.group("name")) + 3 if closing >= 0 else match.end()
        out.append(text[position : match.start()])
        attributes = attributes_of(match.group("attributes"))
        out.append(
            shortcode(
                name, attributes, inner, text[match.start() : end], image_url, notes
            )
        )
        position = end
    out.append(text[position:])
    return "".join(out)


def first_after(positions: list[int], start: int) -> int:
    """The first position at or after start, or -1."""
    index = bisect.bisect_left(positions, start)
    return positions[index] if index < len(positions) else -1


def shortcode(
    name: str,
    attributes: dict[str, str],
    inner: str,
    written: str,
    image_url: Callable[[str], str | None],
    notes: list[str],
) -> str:
    """One shortcode's HTML; `written` is the shortcode as it stands."""
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
    return written


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
