"""Hostile comment bodies, posted through the real form, render harmless."""

from __future__ import annotations

import re

from lxml import html

from tests.comment_helpers import comments_section, logged_in, post, stored
from tests.factories import make_article, make_user

HOSTILE_BODIES = [
    # Raw HTML: comments show it as text.
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<img src="x" onerror="alert(1)"/>',
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<style>body{display:none}</style>",
    '<iframe src="javascript:alert(1)"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<a href="javascript:alert(1)">raw link</a>',
    '<a href="#" onclick="alert(1)">raw click</a>',
    '<a href="&#x6A;avascript:alert(1)">entity link</a>',
    "<details open ontoggle=alert(1)>",
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    '<form action="javascript:alert(1)"><button>go</button></form>',
    '<base href="javascript:alert(1)//">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<link rel=stylesheet href="javascript:alert(1)">',
    "<scr<script>ipt>alert(1)</script>",
    # Markdown links with dangerous schemes, however they are spelled.
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](  javascript:alert(1))",
    "[click](<javascript:alert(1)>)",
    "[click](java&#x09;script:alert(1))",
    "[click](&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;:alert(1))",
    "[click](javascript&colon;alert(1))",
    "[click](vbscript:msgbox(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click][ref]\n\n[ref]: javascript:alert(1)",
    "[click][data]\n\n[data]: data:text/html,<script>alert(1)</script>",
    "- [in a list](javascript:alert(1))",
    "> [in a quote](javascript:alert(1))",
    # Images (not allowed in comments) and autolinks.
    "![img](javascript:alert(1))",
    "![img](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "<javascript:alert(1)>",
    "<data:text/html,<script>alert(1)</script>>",
    "<vbscript:msgbox(1)>",
    "<JAVASCRIPT:alert(1)>",
    # Attribute break-outs through link destinations and titles.
    '[x](http://example.com" onmouseover="alert(1))',
    "[x](http://example.com 'title\" onmouseover=\"alert(1)')",
    '[x](https://example.com/"onmouseover="alert(1))',
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    '[x](mailto:a@example.com?subject="><script>alert(1)</script>)',
    # Entities, encodings and code.
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e",
    "＜script＞alert(1)＜/script＞",
    "[click](java%0ascript:alert(1))",
    "`<script>alert(1)</script>`",
    "```html\n<script>alert(1)</script>\n<img src=x onerror=alert(1)>\n```",
    "*<img src=x onerror=alert(1)>*",
    "https://example.com/<script>alert(1)</script>",
]
FORBIDDEN_ELEMENTS = [
    "script", "style", "svg", "math", "iframe", "object", "embed", "img",
    "base", "meta", "link", "details",
]  # fmt: skip
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "data", "xlink:href")
SAFE_SCHEMES = {"http", "https", "mailto"}
SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")
INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")


def url_scheme(value: str) -> str | None:
    """The scheme a browser would see: it skips whitespace and control
    characters inside the value and ignores case."""
    match = SCHEME.match(INVISIBLE.sub("", value).lower())
    return match.group(1) if match else None


def assert_harmless(section) -> None:
    for name in FORBIDDEN_ELEMENTS:
        assert not section.xpath(f".//{name}"), name
    for element in section.iter():
        for attribute, value in element.attrib.items():
            assert not attribute.lower().startswith("on"), (attribute, value)
            assert attribute.lower() != "style", value
            if attribute.lower() in URL_ATTRIBUTES:
                assert url_scheme(value) in SAFE_SCHEMES | {None}, value
    for body in section.xpath(".//div[@class='comment-body']"):
        assert not body.xpath(".//form|.//input|.//button"), html.tostring(body)


def test_hostile_comment_bodies_render_with_no_script_handler_or_bad_url(
    app_factory,
) -> None:
    assert len(HOSTILE_BODIES) >= 30
    app = app_factory(COMMENT_MODERATION="none", COMMENT_RATE_LIMIT="1000/minute")
    with app.app_context():
        make_article(slug="target")
        make_user(
            email="mallory@example.com",
            display_name='Mallory"><script>alert(1)</script><img src=x onerror=1>',
        )
    client = logged_in(app, "mallory@example.com")

    for body in HOSTILE_BODIES:
        response = post(client, "target", body)
        assert response.status_code == 303, (body, response.text)

    for viewer in (client, app.test_client()):
        page = viewer.get("/articles/target").text
        tree = html.fromstring(page)
        for script in tree.xpath("//script"):
            assert script.get("type") == "application/ld+json", html.tostring(script)
        section = comments_section(page)
        assert_harmless(section)
        comments = section.xpath(".//article[contains(@class, 'comment')]")
        assert len(comments) == len(HOSTILE_BODIES)
        assert 'Mallory"><script>' in section.text_content()
    assert len(stored(app)) == len(HOSTILE_BODIES)
