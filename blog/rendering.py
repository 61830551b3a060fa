"""Markdown to sanitised HTML, done once when text is saved.

Two profiles: articles (authors may use headings, images, tables, footnotes and
raw HTML, all sanitised) and comments (paragraphs, emphasis, code, quotes,
lists and links; raw HTML is shown as text).
"""

from __future__ import annotations

import html
import re
from functools import cache

import nh3
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from mdit_py_plugins.footnote import footnote_plugin

URL_SCHEMES = {"http", "https", "mailto"}
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
COMMENT_LINK_REL = "nofollow ugc noopener"

ARTICLE_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "details", "dl",
    "dt", "em", "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i",
    "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "s", "section", "small",
    "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot",
    "th", "thead", "tr", "ul",
}  # fmt: skip
ARTICLE_ATTRIBUTES = {
    "a": {"href", "title", "id"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "code": {"class"},
    "span": {"class"},
    "section": {"class"},
    "sup": {"class", "id"},
    "li": {"id"},
    "ol": {"start", "class"},
    "hr": {"class"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
}
COMMENT_TAGS = {
    "a", "blockquote", "br", "code", "em", "li", "ol", "p", "pre", "strong", "ul",
}  # fmt: skip
COMMENT_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}


def highlight_code(code: str, language: str, _attrs: str) -> str:
    """Pygments spans for a fenced block; markdown-it wraps them in <pre><code>.
    An unknown language falls back to plain escaped text."""
    if not language:
        return ""
    # Imported here: only saving an article highlights code, and page views
    # should not carry Pygments in every worker.
    from pygments import highlight
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import get_lexer_by_name
    from pygments.util import ClassNotFound

    try:
        lexer = get_lexer_by_name(language)
    except ClassNotFound:
        return ""
    return highlight(code, lexer, HtmlFormatter(nowrap=True))


def demote_h1(state: StateCore) -> None:
    """The article title is the page's only <h1>; a `#` heading in the body
    becomes an <h2>."""
    for token in state.tokens:
        if token.type in ("heading_open", "heading_close") and token.tag == "h1":
            token.tag = "h2"


@cache
def article_parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"highlight": highlight_code, "html": True})
    parser.enable(["table", "strikethrough"]).use(footnote_plugin)
    parser.core.ruler.push("demote_h1", demote_h1)
    return parser


@cache
def comment_parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"highlight": highlight_code, "html": False})
    return parser.disable(["heading", "lheading", "image"])


def render_article(markdown: str) -> str:
    """Sanitised HTML for an article body."""
    html = sanitised_article_html(article_parser().render(xml_safe(markdown)))
    return with_keyboard_scrolling(html)


def with_keyboard_scrolling(html: str) -> str:
    """Code blocks and tables scroll sideways when wider than a phone; a
    keyboard can scroll only what takes the focus (WCAG 2.1.1). Applied to
    the sanitiser's output, whose tags it only adds attributes and a wrapper to."""
    html = PRE_TAG.sub('<pre tabindex="0"', html)
    html = TABLE_TAG.sub('<div class="table-scroll" tabindex="0"><table', html)
    return html.replace("</table>", "</table></div>")


# What with_keyboard_scrolling adds to the sanitiser's output.
KEYBOARD_SCROLLING_ATTRIBUTES = {"pre": {"tabindex"}, "div": {"class", "tabindex"}}
PRE_TAG = re.compile(r"<pre(?=[\s>])")
TABLE_TAG = re.compile(r"<table(?=[\s>])")


def sanitised_article_html(html: str) -> str:
    """The article profile of the sanitiser alone, for HTML already rendered."""
    return nh3.clean(
        html,
        tags=ARTICLE_TAGS,
        attributes=ARTICLE_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener",
    )


def render_comment(markdown: str) -> str:
    """Sanitised HTML for a comment: every link nofollow, ugc, noopener."""
    html = comment_parser().render(xml_safe(markdown))
    return nh3.clean(
        html,
        tags=COMMENT_TAGS,
        attributes=COMMENT_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=COMMENT_LINK_REL,
    )


def summary_of(body_html: str, limit: int = 300) -> str:
    """The plain text of the first paragraph of a rendered, sanitised body,
    shortened at a word boundary: the summary an article gets when its author
    wrote none. Taken from what the page shows, never from the Markdown
    source: "`<img onerror=…>`" is code text on the page and must not become
    markup anywhere a summary goes. Still text: whoever shows it escapes it."""
    match = FIRST_PARAGRAPH.search(body_html)
    return shorten(plain_text_of(match.group(1)), limit) if match else ""


FIRST_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.DOTALL)


def shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return cut.rstrip(",;:.") + "…"


def without_control_characters(text: str) -> str:
    """Text as a person typed it: tabs and line breaks stay, the invisible
    control characters that break feeds, titles and terminals go."""
    return CONTROL_CHARACTERS.sub("", text)


def plain_text_of(html_text: str) -> str:
    """The words of sanitised HTML without its tags, for search and feeds;
    control characters go too (search marks its snippets with two of them)."""
    text = html.unescape(nh3.clean(html_text, tags=set()))
    return " ".join(CONTROL_CHARACTERS.sub(" ", text).split())


def word_count(markdown: str) -> int:
    return len(markdown.split())


def code_css() -> str:
    """Colours for highlighted code in light and dark mode, kept in
    static/code.css (`make code-css` writes it; a test keeps it current).
    accessible-pygments' GitHub styles meet WCAG AA on their backgrounds,
    which site.css gives to `pre` in each mode."""
    from pygments.formatters import HtmlFormatter

    def tokens(style: str) -> str:
        rules = HtmlFormatter(style=style).get_token_style_defs("pre > code")
        # Whitespace has no glyph to colour, and github-dark's is too faint
        # for a contrast check to tell that apart from text.
        return "\n".join(rule for rule in rules if "Text.Whitespace" not in rule)

    return (
        "/* Generated by blog.rendering.code_css(): `make code-css`. */\n"
        f"{tokens('github-light')}\n"
        f"@media (prefers-color-scheme: dark) {{\n{tokens('github-dark')}\n}}\n"
    )


# Everything outside XML 1.0's Char production (C0 controls but tab, newline
# and carriage return; lone surrogates; U+FFFE and U+FFFF), plus the C1
# controls that XML 1.0 section 2.2 discourages and no real text contains.
# One such character makes a whole feed malformed for every subscriber.
XML_UNSAFE = re.compile(
    "[^\t\n\r\u0020-\u007e\u00a0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)


def xml_safe(text: str) -> str:
    """The text without the characters an XML document may not hold.
    Applied to what people type before it is rendered and sanitised, never
    only after: "java\x0bscript:" passes a sanitiser as a harmless relative
    link, and becomes "javascript:" once the character is removed."""
    return XML_UNSAFE.sub("", text)
