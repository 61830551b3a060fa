"""The flask commands, run as an operator would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from lxml import html

from blog.extensions import db
from blog.models import Article, ArticleKind, Comment, Role, SiteSettings, Upload, User
from tests.factories import make_user

GOOD_ARTICLE = """---
title: A Fine Day
category: Weather
tags: [sun, Sky]
author: Wendy Writer
date: 2026-03-01 08:00
summary: Short.
---

The sun came out.
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(db.select(db.func.count()).select_from(model))


def test_create_user_asks_for_the_password(app, runner) -> None:
    result = runner.invoke(
        args=["create-user", "Editor@Example.com", "--role", "editor"],
        input="a long password\na long password\n",
    )

    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.scalar(User.select_by_email("editor@example.com"))
        assert user.role is Role.EDITOR
        assert user.check_password("a long password")
        assert "a long password" not in user.password_hash


def test_create_user_generates_and_prints_a_password(app, runner) -> None:
    result = runner.invoke(args=["create-user", "a@example.com", "--generate-password"])

    assert result.exit_code == 0, result.output
    password = result.output.split("Password: ")[1].strip()
    with app.app_context():
        user = db.session.scalar(User.select_by_email("a@example.com"))
        assert user.check_password(password)


def test_create_user_refuses_a_taken_email_and_a_short_password(runner) -> None:
    runner.invoke(args=["create-user", "b@example.com", "--generate-password"])

    taken = runner.invoke(args=["create-user", "B@example.com", "--generate-password"])
    short = runner.invoke(args=["create-user", "c@example.com"], input="short\nshort\n")

    assert taken.exit_code != 0 and "exists already" in taken.output
    assert short.exit_code != 0 and "at least 10 characters" in short.output


def test_import_creates_then_updates_never_duplicates(app, runner, tmp_path) -> None:
    path = write(tmp_path, "fine.md", GOOD_ARTICLE)

    first = runner.invoke(args=["import-markdown", str(path)])
    write(tmp_path, "fine.md", GOOD_ARTICLE.replace("came out", "shone"))
    second = runner.invoke(args=["import-markdown", str(path)])

    assert first.exit_code == 0 and "created" in first.output
    assert second.exit_code == 0 and "updated" in second.output
    assert count(app, Article) == 1
    with app.app_context():
        article = db.session.scalar(db.select(Article))
        assert article.slug == "a-fine-day"
        assert "shone" in article.body_html
        assert [tag.slug for tag in article.tags] == ["sky", "sun"]
        assert article.category.name == "Weather"
        assert article.author.role is Role.AUTHOR
        assert not article.author.has_password
        assert article.published_at.isoformat() == "2026-03-01T08:00:00+00:00"


def test_import_reports_a_broken_file_and_still_imports_the_others(
    app, runner, tmp_path
) -> None:
    broken = write(tmp_path, "broken.md", "---\ntitle: [unclosed\n---\nText\n")
    untitled = write(tmp_path, "untitled.md", "---\nauthor: X\n---\nText\n")
    good = write(tmp_path, "good.md", GOOD_ARTICLE)

    result = runner.invoke(
        args=["import-markdown", str(broken), str(untitled), str(good)]
    )

    assert result.exit_code != 0
    assert f"failed  {broken}: the front matter is not valid YAML" in result.output
    assert f"failed  {untitled}: the front matter has no title" in result.output
    assert f"created {good}" in result.output
    assert count(app, Article) == 1
    assert count(app, User) == 1


def test_importing_the_reference_article(app, runner, client, shared_fixtures) -> None:
    path = shared_fixtures / "the-mosul-offensive.md"

    for _ in range(2):
        result = runner.invoke(args=["import-markdown", str(path)])
        assert result.exit_code == 0, result.output

    assert count(app, Article) == 1
    page = client.get("/articles/the-mosul-offensive")
    tree = html.fromstring(page.text)
    crumbs = tree.xpath('//nav[@aria-label="Breadcrumb"]//li')
    assert [li.text_content().strip() for li in crumbs] == [
        "Home",
        "News",
        "The Mosul Offensive",
    ]
    assert tree.xpath('//nav[@aria-label="Breadcrumb"]//a/@href') == [
        "/",
        "/category/news",
    ]
    assert [h.text_content() for h in tree.xpath("//h1")] == ["The Mosul Offensive"]
    # The article's own headings (the author box under it has one too).
    assert tree.xpath('//div[@class="body"]//h2/text()') == [
        "A General Summary",
        "Recent Developments",
    ]
    paragraphs = [
        block.strip()
        for block in path.read_text(encoding="utf-8").split("---", 2)[2].split("\n\n")
        if block.strip() and not block.startswith("#")
    ]
    body_text = [p.text_content() for p in tree.xpath('//div[@class="body"]/p')]
    assert body_text == paragraphs
    byline = tree.xpath('//a[@rel="author"]')[0]
    assert (byline.text, byline.get("href")) == ("Raymond Cao", "/author/raymond-cao")
    assert client.get("/author/raymond-cao").status_code == 200
    assert client.get("/category/news").status_code == 200


def test_demo_loads_once_and_prints_the_login(app, runner, client) -> None:
    first = runner.invoke(args=["demo"])
    second = runner.invoke(args=["demo"])

    assert first.exit_code == 0 and "demo@example.com / password: " in first.output
    assert second.exit_code == 0 and "already loaded" in second.output
    articles, comments = count(app, Article), count(app, Comment)
    assert articles >= 5 and comments >= 5
    with app.app_context():
        shown = db.session.scalar(db.select(db.func.sum(Article.comment_count)))
        assert shown == comments
    password = first.output.split("password: ")[1].split()[0]
    login = client.post(
        "/auth/login", data={"email": "demo@example.com", "password": password}
    )
    assert login.status_code == 303
    home = client.get("/").text
    with app.app_context():
        articles = db.select(Article).where(Article.kind == ArticleKind.ARTICLE)
        for article in db.session.scalars(articles).all()[:10]:
            assert article.title in home
        # The demo's About page is at its own address, not in the listing.
        assert client.get("/about").status_code == 200
        assert "About this blog" not in home.split("<main", 1)[1]


def test_import_never_credits_or_promotes_a_reader_with_the_authors_name(
    app, runner, tmp_path
) -> None:
    with app.app_context():
        make_user(email="mallory@example.com", display_name="Wendy Writer")
    path = write(tmp_path, "fine.md", GOOD_ARTICLE)

    result = runner.invoke(args=["import-markdown", str(path)])

    assert result.exit_code == 0, result.output
    with app.app_context():
        mallory = db.session.scalar(User.select_by_email("mallory@example.com"))
        article = db.session.scalar(db.select(Article))
        assert mallory.role is Role.READER
        assert article.author_id != mallory.id
        assert article.author.role is Role.AUTHOR


def flask_command(instance: Path, *arguments: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("BLOG_")}
    environment["BLOG_INSTANCE_PATH"] = str(instance)
    return subprocess.run(  # noqa: S603 - our own command line
        [sys.executable, "-m", "flask", "--app", "blog", *arguments],
        cwd=Path(__file__).resolve().parent.parent,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_commands_before_the_upgrade_say_so_in_one_line(tmp_path: Path) -> None:
    instance = tmp_path / "instance"

    fresh = flask_command(
        instance, "create-user", "a@example.com", "--generate-password"
    )
    upgrade = flask_command(instance, "db", "upgrade")
    behind = flask_command(instance, "db", "downgrade", "0004_site_state")
    old = flask_command(instance, "demo")
    flask_command(instance, "db", "upgrade")
    current = flask_command(instance, "demo")

    for refused in (fresh, old):
        assert refused.returncode == 1
        assert refused.stderr.strip().splitlines() == [
            "Error: The database is not up to date with this version of the blog: "
            "run `flask --app blog db upgrade` first."
        ], refused.stderr
    assert upgrade.returncode == 0 and "Running upgrade" in upgrade.stderr
    assert behind.returncode == 0
    assert current.returncode == 0, current.stderr
    for output in (upgrade.stderr, current.stderr):
        assert "Context impl" not in output and "setup plugin" not in output


def test_import_works_on_a_blog_with_a_logo(app, runner, tmp_path) -> None:
    """The site's settings (read for its time zone) give the logo an address,
    which a command builds without a request."""
    with app.app_context():
        logo = Upload(
            filename="logo.png",
            original_name="logo.png",
            content_type="image/png",
            size=10,
            width=200,
            height=100,
        )
        db.session.add(
            SiteSettings(
                id=1,
                title="Logo Site",
                tagline="",
                description="",
                accent_color="#1f5bb8",
                language="en",
                timezone="Europe/Paris",
                comment_moderation="first",
                registration_open=True,
                logo=logo,
            )
        )
        db.session.commit()

    result = runner.invoke(
        args=["import-markdown", str(write(tmp_path, "a.md", GOOD_ARTICLE))]
    )

    assert result.exit_code == 0, result.output
    with app.app_context():
        article = db.session.scalar(Article.select_by_slug("a-fine-day"))
        assert article.published_at.hour == 7  # 08:00 in Paris


def test_import_never_credits_a_reader_named_by_author_email(
    app, runner, tmp_path
) -> None:
    with app.app_context():
        make_user(email="reader@example.com", display_name="Rita Reader")
    text = GOOD_ARTICLE.replace(
        "author: Wendy Writer", "author: Rita Reader\nauthor_email: reader@example.com"
    )

    result = runner.invoke(args=["import-markdown", str(write(tmp_path, "r.md", text))])

    assert result.exit_code != 0
    assert "belongs to a reader here, not an author" in result.output
    assert count(app, Article) == 0
