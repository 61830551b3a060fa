"""Markdown rendering and sanitising, per profile."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from lxml import html

from blog.rendering import render_article, render_comment, summary_of

SAFE_SCHEMES = {"", "http", "https", "mailto"}


def test_articles_get_tables_footnotes_and_highlighted_code() -> None:
    html = render_article(
        "| a | b |\n|---|---|\n| 1 | 2 |\n\nText[^1].\n\n[^1]: A note.\n\n"
        "```python\ndef f():\n    return 1\n```\n"
    )
    assert "<table>" in html and "<td>1</td>" in html
    assert 'class="footnote-ref"' in html and "A note." in html
    assert '<code class="language-python">' in html and '<span class="k">def' in html


def test_an_h1_in_an_article_body_becomes_an_h2() -> None:
    assert render_article("# Heading\n") == "<h2>Heading</h2>\n"


@pytest.mark.parametrize(
    "markdown",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[click](javascript:alert(1))",
        "![x](data:image/svg+xml;base64,PHN2Zz4=)",
        '<a href="jav&#x09;ascript:alert(1)">x</a>',
        "<svg><script>alert(1)</script></svg>",
        '<p style="background:url(javascript:alert(1))">x</p>',
    ],
)
def test_article_html_keeps_no_script_handler_or_dangerous_url(markdown: str) -> None:
    tree = html.fragment_fromstring(render_article(markdown), create_parent="div")
    for element in tree.iter():
        assert element.tag not in ("script", "svg", "style")
        for name, value in element.attrib.items():
            assert not name.startswith("on")
            assert name != "style"
            if name in ("href", "src"):
                squeezed = "".join(value.split()).lower()
                assert urlsplit(squeezed).scheme in SAFE_SCHEMES, value


def test_comment_links_are_nofollow_ugc_noopener_and_html_is_text() -> None:
    html = render_comment("See [this](https://example.org/) <b>bold</b>\n\n# Big")
    assert 'rel="nofollow ugc noopener"' in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html
    assert "<h1>" not in html


def test_summary_is_the_first_paragraph_as_plain_text() -> None:
    markdown = "## Intro\n\nFirst *words* with `code`.\n\nSecond paragraph.\n"
    assert summary_of(render_article(markdown)) == "First words with code."
    assert summary_of(render_article("word " * 200), limit=30).endswith("…")


def test_a_summary_is_made_from_what_the_page_shows_not_the_source() -> None:
    markdown = (
        'Raw <span onclick="alert(1)">html</span> and '
        "`<img src=x onerror=alert(1)>` as code.\n"
    )
    # The raw tag is gone as on the page; the code is kept as the text it is
    # (escaped again wherever a summary is shown).
    assert summary_of(render_article(markdown)) == (
        "Raw html and <img src=x onerror=alert(1)> as code."
    )
