"""The sample theme (docs/sample-theme) installed on a live site: the main
public pages still pass axe (no serious or critical problem) at 360 and
1280 px, light and dark, scroll nowhere sideways, break no rule of the
Content Security Policy, and their HTML passes the Nu Html Checker; and the
theme really changed the layout (its sidebar is beside the text on a wide
screen, above it on a phone).

THEME_UNDER_TEST=/path/to/theme checks another theme the same way.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.live_site import LiveSite, live_site
from tests.browser.pages import PageType
from tests.browser.test_every_page import axe_problems, sideways_scroll, visit
from tests.browser.test_valid_html import nu_errors

REPOSITORY = Path(__file__).resolve().parents[2]
THEME = Path(os.environ.get("THEME_UNDER_TEST", REPOSITORY / "docs" / "sample-theme"))
THEMED_PAGES = [
    PageType("home", "/"),
    PageType("article", "/articles/{article_slug}"),
    PageType("category", "/category/news"),
    PageType("author", "/author/author"),
    PageType("log in", "/auth/login"),
    PageType("not found", "/no-such-page", status=404),
]
WIDTHS = (360, 1280)
SCHEMES = ("light", "dark")
# Where the sidebar is, against the main column: beside it or above it.
PLACES = """() => {
  const side = document.querySelector('body > header').getBoundingClientRect();
  const main = document.querySelector('main').getBoundingClientRect();
  return {beside: side.right <= main.left + 1, above: side.bottom <= main.top + 1};
}"""


@pytest.fixture(scope="module")
def themed_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveSite]:
    folder = tmp_path_factory.mktemp("themed-site")
    # The default place: no setting, nothing in blog/ touched.
    shutil.copytree(THEME, folder / "instance" / "theme")
    with live_site(folder) as running:
        yield running


@pytest.mark.parametrize("page_type", THEMED_PAGES, ids=lambda page: page.name)
def test_themed_pages_read_well_everywhere(
    page_type: PageType, themed_site: LiveSite, chromium: Any
) -> None:
    problems: list[str] = []
    for scheme in SCHEMES:
        context = chromium.new_context(
            viewport={"width": WIDTHS[0], "height": 800}, color_scheme=scheme
        )
        page = context.new_page()
        try:
            visit(page, page_type, themed_site, problems, scheme)
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": 800})
                where = f"{scheme}, {width} px"
                problems += sideways_scroll(page, where)
                problems += axe_problems(page, where)
                if THEME.name == "sample-theme":
                    places = page.evaluate(PLACES)
                    assert places["beside" if width > 1000 else "above"], where
        finally:
            context.close()
    assert problems == []


def test_themed_pages_are_valid_html(
    themed_site: LiveSite, chromium: Any, tmp_path: Path
) -> None:
    java = shutil.which("java")
    if java is None:
        pytest.skip("Java is not installed (apt-get install default-jre-headless)")
    files = {}
    context = chromium.new_context()
    for number, page_type in enumerate(THEMED_PAGES):
        response = context.request.get(page_type.address(themed_site))
        assert response.status == page_type.status, page_type.name
        body = response.text()
        assert 'href="/static/site.css?v=' in body, page_type.name
        path = tmp_path / f"page-{number}.html"
        path.write_text(body)
        files[str(path)] = page_type.name
    context.close()

    errors = nu_errors(java, files)
    assert errors == [], "\n".join(errors)
