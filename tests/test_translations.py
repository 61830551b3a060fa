"""The blog speaks the site's language: every string a reader, commenter or
author sees goes through gettext, the French catalogue translates all of
them, and a French site shows no English word of ours."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from jinja2 import Environment

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "blog" / "templates"
TRANSLATIONS = ROOT / "blog" / "translations"
GETTEXT_CALLS = {"_", "gettext", "ngettext", "pgettext", "npgettext"}
# Attributes whose value people read (or hear): the rest are addresses,
# names and tokens.
TEXT_ATTRIBUTES = {"alt", "title", "placeholder", "aria-label", "label"}
BUTTON_TYPES = {"submit", "button", "reset"}
# Keyword arguments in templates whose string is read: others (class, id,
# accept, autocomplete…) are not text. A keyword for a {% set %} too: none.
TEXT_KEYWORDS = {"title", "placeholder", "label", "value", "alt", "message", "set"}
# Text that is the same in every language: names of formats and of things,
# and the schema.org and CSS values templates write.
SAME_IN_EVERY_LANGUAGE = {
    "RSS", "Atom", "JSON Feed", "JSON", "Markdown", "OPML", "WebSub", "CSV",
    "Person", "ProfilePage", "WebPage", "Article", "Organization", "BlogPosting",
    "ListItem", "BreadcrumbList", "WebSite", "SearchAction", "ImageObject",
    # The studio editor's aria-keyshortcuts: ARIA's key names, never translated.
    "Control+S Meta+S", "Control+Shift+P Meta+Shift+P",
}  # fmt: skip
# What a string literal in a template is when it is not text: an address, a
# template or endpoint name, a CSS value, a date style or a format name.
NOT_TEXT = re.compile(
    r"^([a-z0-9_.\-/#?=&:%{}]*|.*\b\d+(rem|px|vw|em)\b.*|[A-Z_]+|https?://\S*"
    r"|[a-z]+/[\w.+-]+(,[a-z]+/[\w.+-]+)*)$"
)


class TextCollector(HTMLParser):
    """The text nodes and readable attribute values of an HTML fragment."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self.skipping += 1
        values = dict(attrs)
        for name, value in attrs:
            readable = name in TEXT_ATTRIBUTES or (
                name == "value" and values.get("type") in BUTTON_TYPES
            )
            if readable and value:
                self.found.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.skipping -= 1

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.found.append(data)


def is_text(value: str) -> bool:
    value = " ".join(value.split())
    return (
        any(character.isalpha() for character in value)
        and value not in SAME_IN_EVERY_LANGUAGE
        and not NOT_TEXT.match(value)
    )


def untranslated_strings(environment: Environment, source: str) -> list[str]:
    """Text outside {% trans %} and gettext calls: in the markup, or in a
    string literal a template shows or passes on (but a dict's keys and
    keyword arguments that are no text: class, id, accept…)."""
    tokens = [
        (kind, value)
        for _line, kind, value in environment.lex(source)
        if kind != "whitespace"
    ]
    markup: list[str] = []
    literals: list[str] = []
    in_trans = False
    call_depths: list[int] = []  # paren depths at which gettext calls opened
    depth = 0
    for index, (kind, value) in enumerate(tokens):
        before = tokens[index - 1] if index else ("", "")
        after = tokens[index + 1] if index + 1 < len(tokens) else ("", "")
        if kind == "name" and value in ("trans", "pluralize"):
            in_trans = True
        elif kind == "name" and value == "endtrans":
            in_trans = False
        elif kind == "data":
            # An expression's place becomes a space: no word is made of two.
            markup.append(" " if in_trans else value)
        elif kind == "operator" and value == "(":
            depth += 1
            if before[0] == "name" and before[1] in GETTEXT_CALLS:
                call_depths.append(depth)
        elif kind == "operator" and value == ")":
            if call_depths and call_depths[-1] == depth:
                call_depths.pop()
            depth -= 1
        elif kind == "string" and not call_depths and not in_trans:
            keyword = tokens[index - 2][1] if before == ("operator", "=") else ""
            is_key = after == ("operator", ":")
            if not is_key and keyword in ("", *TEXT_KEYWORDS):
                literals.append(value[1:-1])
        if kind in ("variable_begin", "block_begin"):
            markup.append(" ")
    collector = TextCollector()
    collector.feed("".join(markup))
    collector.close()
    return [
        " ".join(text.split()) for text in collector.found + literals if is_text(text)
    ]


def templates() -> list[Path]:
    return sorted(
        path for path in TEMPLATES.rglob("*") if path.suffix in (".html", ".xml")
    )


@pytest.mark.parametrize(
    "template", templates(), ids=lambda path: str(path.relative_to(TEMPLATES))
)
def test_every_string_a_template_shows_goes_through_gettext(app, template) -> None:
    source = template.read_text(encoding="utf-8")
    assert untranslated_strings(app.jinja_env, source) == []


def test_the_check_finds_text_left_untranslated(app) -> None:
    found = untranslated_strings(
        app.jinja_env,
        '<p title="Hello there" class="x">Welcome {{ name }}</p>'
        '{{ _("Kept") }} {% trans %}Also kept{% endtrans %}'
        '{{ "Many comments" if many }} {{ url_for("articles.index") }}'
        '<input type="submit" value="Send"><input type="hidden" value="token">',
    )
    assert found == ["Hello there", "Welcome", "Send", "Many comments"]
