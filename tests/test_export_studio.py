"""An admin downloads the whole blog from the studio: a page that says what
the export holds, and a button that answers with the zip."""

from __future__ import annotations

import io
import json
import os
import stat
import time
import zipfile
from pathlib import Path

from lxml import html

from blog.models import Role
from blog.studio import export as studio_export
from tests.conftest import log_in
from tests.factories import make_article, make_comment, make_user


def test_an_admin_downloads_the_export_as_a_zip(app, client_as) -> None:
    admin, _user = client_as(Role.ADMIN)
    with app.app_context():
        article = make_article(slug="kept")
        make_comment(article, make_user())

    page = admin.get("/studio/export")
    download = admin.post("/studio/export")
    data = download.data
    download.close()  # as the server does once the file is sent

    assert page.status_code == 200
    tree = html.fromstring(page.text)
    assert tree.xpath("//nav[@class='studio-nav']//a[@aria-current='page']/text()") == [
        "Export"
    ]
    assert "1 article or page, as Markdown" in page.text
    assert "1 comment, with its thread" in page.text
    assert download.status_code == 200
    assert download.mimetype == "application/zip"
    assert download.headers["Content-Disposition"].startswith(
        "attachment; filename=blog-export-"
    )
    assert "no-store" in download.headers["Cache-Control"]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        assert "articles/kept.md" in archive.namelist()
    assert manifest["format"] == "blog-export"
    assert manifest["counts"]["articles"] == 1 and manifest["counts"]["comments"] == 1
    # Built in the instance folder, and gone once sent.
    assert list((Path(app.instance_path) / "exports").iterdir()) == []


def test_authors_and_editors_may_not_export(client_as) -> None:
    for role in (Role.AUTHOR, Role.EDITOR):
        client, _user = client_as(role)

        assert client.get("/studio/export").status_code == 403
        assert client.post("/studio/export").status_code == 403


def test_an_anonymous_visitor_is_sent_to_log_in(client) -> None:
    page = client.get("/studio/export")
    download = client.post("/studio/export")

    for response in (page, download):
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/auth/login")


def test_the_export_link_is_on_admins_studio_pages_only(client_as) -> None:
    admin, _admin = client_as(Role.ADMIN)
    author, _author = client_as(Role.AUTHOR)

    assert 'href="/studio/export"' in admin.get("/studio/").text
    assert 'href="/studio/export"' not in author.get("/studio/").text


def test_the_export_page_speaks_the_sites_language(app_factory) -> None:
    app = app_factory(LANGUAGE="fr")
    with app.app_context():
        admin = make_user(role=Role.ADMIN)
    client = log_in(app.test_client(), admin)

    page = client.get("/studio/export").text

    assert "Télécharger l’export" in page
    assert "1 compte, sans son mot de passe" in page


def test_the_zip_is_readable_by_its_owner_only(app, client_as, monkeypatch) -> None:
    admin, _user = client_as(Role.ADMIN)
    modes = []
    streamed = studio_export.send_file

    def send_file(file, **options):  # noqa: ANN001, ANN202
        modes.append(stat.S_IMODE(os.fstat(file.fileno()).st_mode))
        return streamed(file, **options)

    monkeypatch.setattr(studio_export, "send_file", send_file)

    admin.post("/studio/export").close()

    assert modes == [0o600]  # e-mails and drafts, as a backup is


def test_an_export_removes_what_a_killed_one_left_an_hour_ago(app, client_as) -> None:
    admin, _user = client_as(Role.ADMIN)
    scratch = Path(app.instance_path) / "exports"
    old, recent = scratch / "tmp-killed", scratch / "tmp-running"
    for folder in (old, recent):
        (folder / "export").mkdir(parents=True)
        (folder / "export" / "users.json").write_text('[{"email": "a@example.com"}]')
    two_hours_ago = time.time() - 7200
    os.utime(old, (two_hours_ago, two_hours_ago))

    admin.post("/studio/export").close()

    assert sorted(path.name for path in scratch.iterdir()) == ["tmp-running"]
