"""Another blog's HTML to our Markdown, with markdownify (on BeautifulSoup).

Markdown, not kept HTML: our articles are written and edited in Markdown,
and what blogs hold (paragraphs, headings, lists, quotes, links, images,
code, tables) converts without loss. What does not carry over (scripts,
frames, forms, embedded objects) is named in the notes, never dropped
silently; the text of anything else is kept."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup, Comment, Tag
from markdownify import ATX, BACKSLASH, MarkdownConverter

# Elements whose content cannot become Markdown, reported when dropped.
BARE_ADDRESS = re.compile(r"https?://[^\s<>\"]+")
LOOKS_LIKE_HTML = re.compile(r"<(?=[A-Za-z/!?])")
DROPPED = ("script", "style", "iframe", "object", "embed", "form", "video", "audio")


@dataclass
class Converted:
    markdown: str
    image_urls: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


class BlogConverter(MarkdownConverter):
    """markdownify with what a blog post needs: fenced code keeps its
    language, images keep their address exactly (it is rewritten to ours
    once the image is stored)."""

    def __init__(self, **options: Any) -> None:
        super().__init__(
            heading_style=ATX,
            newline_style=BACKSLASH,  # tidy() trims trailing spaces
            bullets="-",
            code_language_callback=code_language,
            escape_misc=False,
            **options,
        )


def code_language(element: Tag) -> str:
    """WordPress and Ghost write <pre><code class="language-python">."""
    code = element.find("code") if element.name == "pre" else element
    if not isinstance(code, Tag):
        return ""
    for name in code.get_attribute_list("class"):
        if name and str(name).startswith("language-"):
            return str(name).removeprefix("language-")
    return ""


def html_to_markdown(html: str, base_url: str = "") -> Converted:
    """base_url makes the images' relative addresses absolute (the writer
    fetches them from there)."""
    soup = BeautifulSoup(html, "html.parser")
    notes = []
    for comment in soup.find_all(string=lambda text: isinstance(text, Comment)):
        comment.extract()  # Gutenberg's <!-- wp:paragraph --> block marks
    for name in DROPPED:
        for element in soup.find_all(name):
            source = str(element.get("src") or element.get("data") or "")
            if name == "iframe" and BARE_ADDRESS.fullmatch(source):
                # An embedded video or post: a link to it, where it stood.
                notes.append(f"the embedded {source} became a link")
                paragraph = soup.new_tag("p")
                link = soup.new_tag("a", href=source)
                link.string = source
                paragraph.append(link)
                element.replace_with(paragraph)
                continue
            notes.append(f"a <{name}> {source}".rstrip() + " was left out")
            element.decompose()
    for text in soup.find_all(string=LOOKS_LIKE_HTML):
        if not text.find_parent(["code", "pre"]):
            # Text that reads as a tag (`&lt;b&gt;` on the old page) stays
            # text: Markdown would take a bare <b> for HTML.
            text.replace_with(LOOKS_LIKE_HTML.sub(r"\\<", str(text)))
    for block in soup.find_all(["p", "div"]):
        if isinstance(block, Tag):
            link_bare_address(soup, block)
    for link in soup.find_all("a"):
        if isinstance(link, Tag) and not is_safe(str(link.get("href", "#"))):
            notes.append(f"a link to {str(link.get('href'))[:60]} became plain text")
            link.unwrap()
    images = []
    for image in soup.find_all("img"):
        if not isinstance(image, Tag):
            continue
        address = urljoin(base_url + "/", str(image.get("src", "")).strip())
        if (
            not image.get("src")
            or not is_safe(address)
            or address.startswith("mailto:")
        ):
            notes.append(f"an image at {address[:60]} was left out")
            image.decompose()
            continue
        image["src"] = address
        images.append(address)
    markdown = BlogConverter().convert_soup(soup)
    return Converted(markdown=tidy(markdown), image_urls=images, notes=notes)


def link_bare_address(soup: BeautifulSoup, block: Tag) -> None:
    """An address alone in a block (WordPress's embeds: a video, a post)
    becomes a link to it, as the old page's embed led there."""
    text = block.get_text().strip()
    if block.find(True) is None and BARE_ADDRESS.fullmatch(text):
        block.clear()
        link = soup.new_tag("a", href=text)
        link.string = text
        block.append(link)


def is_safe(address: str) -> bool:
    """What our pages may link to: http(s), mailto, and addresses on the
    site (relative ones, and #anchors)."""
    scheme = urlsplit(address.strip()).scheme.lower()
    return scheme in ("", "http", "https", "mailto")


def tidy(markdown: str) -> str:
    """No run of more than one blank line, no trailing spaces."""
    lines = [line.rstrip() for line in markdown.strip().splitlines()]
    kept: list[str] = []
    for line in lines:
        if line or (kept and kept[-1]):
            kept.append(line)
    return "\n".join(kept) + "\n"
