"""Every page type, as each kind of visitor sees it, on a 320 and 360 px
phone and a 1280 px screen, in light and dark mode: axe-core finds no
serious or critical problem, nothing scrolls sideways, dark mode really
changes the colours, the focus ring stands out, and the page asks nothing of
another origin and breaks no rule of the Content Security Policy."""

from __future__ import annotations

import re
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe

from blog.colors import as_hex, contrast_ratio
from tests.browser.live_site import LiveSite
from tests.browser.pages import PAGE_TYPES, PageType, rendered_error_page

PHONES = (320, 360)
DESKTOP = 1280
SCHEMES = ("light", "dark")
BLOCKING_IMPACTS = {"serious", "critical"}
FOCUS_CONTRAST = 3.0
FOCUS_STOPS = 8

axe = Axe()


@pytest.mark.parametrize("page_type", PAGE_TYPES, ids=lambda page_type: page_type.name)
def test_every_page_type_reads_well_everywhere(
    page_type: PageType, site: LiveSite, chromium: Any, logins: dict[str, Any]
) -> None:
    problems: list[str] = []
    colours = {}
    for scheme in SCHEMES:
        # One load per scheme; the media queries follow each new width.
        context = chromium.new_context(
            viewport={"width": PHONES[0], "height": 800},
            color_scheme=scheme,
            storage_state=logins[page_type.role],
        )
        page = context.new_page()
        try:
            visit(page, page_type, site, problems, scheme)
            for width in (*PHONES, DESKTOP):
                page.set_viewport_size({"width": width, "height": 800})
                where = f"{scheme}, {width} px"
                if width in PHONES:
                    problems += sideways_scroll(page, where)
                if width in (360, DESKTOP):
                    problems += axe_problems(page, where)
                if width == DESKTOP:
                    colours[scheme] = page_colours(page)
                    problems += weak_focus_rings(page, where)
        finally:
            context.close()

    assert colours["light"]["background"] != colours["dark"]["background"]
    assert colours["light"]["text"] != colours["dark"]["text"]
    assert problems == []


def visit(
    page: Any, page_type: PageType, site: LiveSite, problems: list[str], where: str
) -> None:
    """Load the page, noting console errors (CSP violations among them),
    exceptions its scripts throw and any request that leaves the site's
    origin."""
    address = page_type.address(site)

    def note_console_error(message: Any) -> None:
        # An error page's own status is announced as a failed load: expected.
        if message.type == "error" and message.location.get("url") != address:
            problems.append(f"{where}: {message.text}")

    page.on("console", note_console_error)
    page.on("pageerror", lambda error: problems.append(f"{where}: {error}"))
    page.on(
        "request",
        lambda request: (
            not request.url.startswith((site.url + "/", "data:"))
            and problems.append(f"{where}: asked another origin for {request.url}")
        ),
    )
    if page_type.path.startswith("/error/"):
        html = rendered_error_page(site, page_type.status)
        page.route(
            page_type.address(site),
            lambda route: route.fulfill(
                status=page_type.status, body=html, content_type="text/html"
            ),
        )
    response = page.goto(page_type.address(site))
    assert response.status == page_type.status, page_type.name
    page.wait_for_load_state("load")


def sideways_scroll(page: Any, where: str) -> list[str]:
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.evaluate("window.innerWidth")
    if width <= viewport:
        return []
    wide = page.evaluate(WIDEST_ELEMENTS, viewport)
    return [f"{where}: the page is {width} px wide ({', '.join(wide)})"]


WIDEST_ELEMENTS = """viewport => [...document.querySelectorAll('body *')]
  .filter(element => element.getBoundingClientRect().right > viewport + 0.5)
  .slice(-3)
  .map(element => element.tagName.toLowerCase() + '.' + element.className)"""


def axe_problems(page: Any, where: str) -> list[str]:
    results = axe.run(page)
    return [
        f"{where}: {violation['id']} ({violation['impact']}): "
        + "; ".join(node["target"][0] for node in violation["nodes"][:3])
        for violation in results.response["violations"]
        if violation["impact"] in BLOCKING_IMPACTS
    ]


def page_colours(page: Any) -> dict[str, str]:
    return page.evaluate(
        """() => {
          const style = getComputedStyle(document.body);
          return {background: style.backgroundColor, text: style.color};
        }"""
    )


FOCUSED_RING = """() => {
  const element = document.activeElement;
  if (!element || element === document.body) return null;
  const ring = getComputedStyle(element);
  let behind = element.parentElement, background = 'rgba(0, 0, 0, 0)';
  while (behind) {
    background = getComputedStyle(behind).backgroundColor;
    if (!/rgba\\(.*, 0\\)$/.test(background) && background !== 'transparent') break;
    behind = behind.parentElement;
  }
  if (!behind) background = getComputedStyle(document.documentElement).backgroundColor;
  return {
    name: element.tagName.toLowerCase() + ' '
      + (element.textContent || element.name || '').trim().slice(0, 30),
    style: ring.outlineStyle, width: parseFloat(ring.outlineWidth),
    colour: ring.outlineColor, background,
  };
}"""


def weak_focus_rings(page: Any, where: str) -> list[str]:
    """Tab through the first stops: each shows an outline of 2 px or more
    with 3:1 contrast against what is behind it (WCAG 2.2, 2.4.13)."""
    problems = []
    for _ in range(FOCUS_STOPS):
        page.keyboard.press("Tab")
        ring = page.evaluate(FOCUSED_RING)
        if ring is None:
            break
        if ring["style"] == "none" or ring["width"] < 2:
            problems.append(f"{where}: {ring['name']!r} shows no focus ring")
            continue
        ratio = contrast_ratio(hex_of(ring["colour"]), hex_of(ring["background"]))
        if ratio < FOCUS_CONTRAST:
            problems.append(
                f"{where}: the focus ring of {ring['name']!r} has {ratio:.1f}:1"
            )
    return problems


def hex_of(css_colour: str) -> str:
    red, green, blue = (int(value) for value in re.findall(r"\d+", css_colour)[:3])
    return as_hex((red, green, blue))
