"""An export is input from outside: the importer never runs code from it,
never reads or fetches anything but the site it was told, and never writes
outside the instance folder. Each hostile file here is the real fixture
with one thing changed, as an attacker would change it."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path

import pytest
from sqlalchemy import func, select

from blog.extensions import db
from blog.models import Article, Comment, Upload
from tests.wordpress_export import MEDIA_DIR, SMALL_WXR

SITE = "http://127.0.0.1:8080"
# The classic editor's post ends so (no <p>: WordPress adds them on display).
CLASSIC_POST_END = "The last line of the post."


def hostile(tmp_path: Path, change) -> Path:
    path = tmp_path / "hostile.wxr"
    path.write_text(change(SMALL_WXR.read_text(encoding="utf-8")), encoding="utf-8")
    return path


def with_image(text: str, address: str) -> str:
    """The classic-editor post, showing one more image."""
    extra = f'<p><img src="{address}" alt="planted"></p>'
    assert CLASSIC_POST_END in text
    return text.replace(CLASSIC_POST_END, CLASSIC_POST_END + "\n\n" + extra, 1)


def import_file(runner, path: Path, *extra: str):
    return runner.invoke(args=["import-wordpress", str(path), *extra])


def rows(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_a_file_declaring_entities_is_refused_before_anything_is_read(
    app, runner, tmp_path
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("the password is swordfish")
    external = hostile(
        tmp_path,
        lambda text: text.replace(
            "<rss ",
            f'<!DOCTYPE rss [<!ENTITY leak SYSTEM "file://{secret}">]>\n<rss ',
            1,
        ).replace("<title>Perf Anchor Blog</title>", "<title>&leak;</title>", 1),
    )
    result = import_file(runner, external)
    laughs = hostile(
        tmp_path,
        lambda text: text.replace(
            "<rss ",
            '<!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;'
            '&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>\n<rss ',
            1,
        ).replace("<title>Perf Anchor Blog</title>", "<title>&c;</title>", 1),
    )
    bomb = import_file(runner, laughs)

    for answer in (result, bomb):
        assert answer.exit_code == 1
        assert "declares XML entities" in answer.output
        assert "swordfish" not in answer.output
    assert rows(app, Article) == 0


def test_an_image_path_climbing_out_of_the_media_folder_is_not_read(
    app, runner, tmp_path
) -> None:
    media = tmp_path / "media"
    media.mkdir()
    (tmp_path / "outside.png").write_bytes(
        (MEDIA_DIR / "2026/05/diagram.png").read_bytes()
    )
    (media / "link.png").symlink_to(tmp_path / "outside.png")
    path = hostile(
        tmp_path,
        lambda text: with_image(
            with_image(text, f"{SITE}/wp-content/uploads/../../outside.png"),
            f"{SITE}/wp-content/uploads/link.png",
        ),
    )

    result = import_file(runner, path, "--media-dir", str(media))

    assert result.exit_code == 0, result.output
    assert "points outside the media folder" in result.output
    assert rows(app, Upload) == 0


def test_file_and_javascript_addresses_are_neither_read_nor_shown(
    app, runner, client, tmp_path
) -> None:
    path = hostile(
        tmp_path,
        lambda text: with_image(
            with_image(text, "file:///etc/passwd"), "javascript:alert(1)"
        ).replace(
            CLASSIC_POST_END,
            CLASSIC_POST_END + '<p><a href="javascript:alert(2)">click</a></p>',
        ),
    )

    result = import_file(runner, path, "--media-dir", str(MEDIA_DIR))

    assert "an image at file:///etc/passwd was left out" in result.output
    assert "a link to javascript:alert(2) became plain text" in result.output
    page = client.get("/articles/written-in-the-classic-editor").get_data(as_text=True)
    assert "javascript:" not in page and "file:///" not in page
    assert "root:x:0" not in page


class Recorder(http.server.SimpleHTTPRequestHandler):
    """Serves a folder; remembers each path asked for."""

    def __init__(self, *args, asked: list[str], **kwargs) -> None:
        self.asked = asked
        super().__init__(*args, **kwargs)

    def do_GET(self) -> None:
        self.asked.append(self.path)
        if self.path.startswith("/away"):
            self.send_response(302)
            self.send_header("Location", self.headers["X-Away"] or "/")
            self.end_headers()
            return
        super().do_GET()

    def log_message(self, *args) -> None:
        pass


@contextmanager
def server(folder: Path) -> Iterator[tuple[str, list[str]]]:
    asked: list[str] = []
    handler = partial(Recorder, directory=str(folder), asked=asked)
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", asked
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_images_are_fetched_from_the_site_itself_and_from_nowhere_else(
    app, runner, tmp_path
) -> None:
    site_root, elsewhere = tmp_path / "site", tmp_path / "elsewhere"
    (site_root / "wp-content").mkdir(parents=True)
    (site_root / "wp-content" / "uploads").symlink_to(MEDIA_DIR)
    elsewhere.mkdir()
    (elsewhere / "x.png").write_bytes((MEDIA_DIR / "2026/05/diagram.png").read_bytes())
    with server(site_root) as (site, _asked), server(elsewhere) as (other, other_asked):
        path = hostile(
            tmp_path,
            lambda text: with_image(text.replace(SITE, site), f"{other}/x.png"),
        )
        result = import_file(runner, path, "--site-url", site)

    assert f"{other}/x.png is not on {site}: not fetched" in result.output
    assert other_asked == []
    assert rows(app, Upload) >= 1  # the site's own images came


def test_a_redirect_off_the_site_is_not_followed(app, runner, tmp_path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    with server(tmp_path) as (site, _asked), server(elsewhere) as (other, other_asked):
        path = hostile(
            tmp_path,
            lambda text: with_image(text.replace(SITE, site), f"{site}/away.png"),
        )
        result = runner.invoke(
            args=["import-wordpress", str(path), "--site-url", site],
            env={},
        )
    assert other_asked == []
    assert "could not be fetched" in result.output or "redirects off" in result.output


def test_huge_values_are_cut_and_said_never_a_crash(app, runner, tmp_path) -> None:
    huge = "Ä" * 1_000_000
    path = hostile(
        tmp_path,
        lambda text: text.replace(
            "<title><![CDATA[Written in the classic editor]]></title>",
            f"<title><![CDATA[{huge}]]></title>",
            1,
        ).replace("José Núñez", "J" * 100_000, 1),
    )

    result = import_file(runner, path, "--media-dir", str(MEDIA_DIR))

    assert result.exit_code == 0, result.output[-2000:]
    assert "its title was cut to 200 characters" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.max(func.length(Article.title)))) == 200
        assert (
            db.session.scalar(select(func.max(func.length(Comment.guest_name)))) <= 80
        )


def test_nothing_is_written_outside_the_instance_folder(app, runner, tmp_path) -> None:
    before = {path for path in tmp_path.rglob("*")}

    result = import_file(runner, SMALL_WXR, "--media-dir", str(MEDIA_DIR))

    assert result.exit_code == 0, result.output
    instance = Path(app.instance_path)
    new = {path for path in tmp_path.rglob("*")} - before
    assert new and all(
        path.is_relative_to(instance) or path.name.startswith("test.sqlite")
        for path in new
    )


@pytest.mark.parametrize(
    "address",
    [
        f"{SITE}:x/wp-content/uploads/2026/05/harbour.jpg",  # a port that is no number
        "http://user:secret@127.0.0.1:8080/wp-content/uploads/2026/05/harbour.jpg",
        "http://evil.test%2F@127.0.0.1:8080/wp-content/uploads/2026/05/harbour.jpg",
    ],
    ids=["bad-port", "userinfo", "encoded-host"],
)
def test_an_odd_image_address_is_reported_never_fatal(
    app, runner, tmp_path, address
) -> None:
    path = hostile(tmp_path, lambda text: with_image(text, address))

    result = import_file(
        runner, path, "--media-dir", str(MEDIA_DIR), "--site-url", SITE
    )

    assert result.exit_code == 0, result.output
    assert "missing" in result.output and "planted" not in result.output
    assert rows(app, Article) > 0


def test_control_characters_in_old_addresses_are_neither_kept_nor_looked_up(
    app, runner, client, tmp_path
) -> None:
    path = hostile(
        tmp_path,
        lambda text: text.replace(
            f"<link>{SITE}/2026/05/21/written-in-the-classic-editor/</link>",
            f"<link>{SITE}/2026/05/21/written-%00-editor/</link>",
        ),
    )

    result = import_file(runner, path, "--media-dir", str(MEDIA_DIR))

    assert result.exit_code == 0, result.output
    assert "a control character in it: it will not redirect" in result.output
    for address in ("/%00x", "/%2500x", "/2026/05/21/written-%00-editor/"):
        assert client.get(address).status_code == 404, address
