"""The old addresses import-export brings back: each stored in the form the
blog looks it up in, and none sending readers to another site."""

from __future__ import annotations

import json

from sqlalchemy import select

from blog.extensions import db
from blog.models import LegacyAddress
from tests.export_site import (
    build_site,
    new_blog_fixture,  # noqa: F401 # the new_blog fixture
)
from tests.test_export import run

ELSEWHERE = {
    "/to-another-host": "//evil.example/x",
    "/to-a-url": "https://evil.example/",
    "/to-a-backslash": "/\\evil.example/",
    "/to-a-tab": "/\t/evil.example/",
    "/to-nowhere": "",
}


def address(path: str, target_path: str) -> dict:
    return {
        "path": path,
        "target": "address",
        "target_slug": None,
        "target_path": target_path,
        "source": "wordpress:https://old.example",
        "created_at": "2024-05-01T00:00:00+00:00",
    }


def test_an_address_leading_to_another_site_is_refused_and_named(
    app, new_blog, tmp_path
) -> None:
    build_site(app)
    export = tmp_path / "export"
    run(app, "export", str(export))
    redirects = json.loads((export / "redirects.json").read_text())
    redirects["addresses"] += [address(p, t) for p, t in ELSEWHERE.items()]
    redirects["addresses"] += [
        address("https://evil.example/from-a-url", "/feed.xml"),
        address("/caf%C3%A9/?p=12&replytocom=3", "/feed.xml"),
    ]
    (export / "redirects.json").write_text(json.dumps(redirects))

    result = new_blog.test_cli_runner().invoke(args=["import-export", str(export)])

    assert result.exit_code == 1
    output = result.output
    assert "old addresses: 5 created, 6 failed" in output
    assert (
        "old addresses '/to-another-host': its target path '//evil.example/x' "
        "is another site's address" in output
    )
    assert "its target path 'https://evil.example/' does not start with /" in output
    assert "its target path '/\\\\evil.example/' is another site's address" in output
    assert "its target path '/\\t/evil.example/' holds a control character" in output
    assert "old addresses '/to-nowhere': its target path '' does not start" in output
    assert "its path 'https://evil.example/from-a-url' does not start with" in output
    with new_blog.app_context():
        rows = db.session.execute(select(LegacyAddress.path, LegacyAddress.target_path))
        stored = {path: target_path for path, target_path in rows}
    assert stored == {
        "/2024/05/01/tides": "",
        "/category/news-old": "",
        "/author/emile": "",
        "/feed": "/feed.xml",
        "/café?p=12": "/feed.xml",
    }
