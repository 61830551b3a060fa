"""`flask import-ghost`, run as someone moving from Ghost would: on Ghost's
own export of the Ghost anchor (tests/data/ghost/small.json, trimmed from a
real Ghost 5.130 export; see tests/data/README.md)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from lxml import html

from blog.extensions import db
from blog.models import (
    Article,
    ArticleKind,
    ArticleStatus,
    Category,
    LegacyAddress,
    Tag,
    Upload,
    User,
)

DATA = Path(__file__).parent / "data"
FIXTURE = DATA / "ghost" / "small.json"
MEDIA = DATA / "ghost" / "images"  # the anchor's content/images, trimmed alike


def export() -> dict[str, Any]:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def tables(document: dict[str, Any]) -> dict[str, Any]:
    return document["db"][0]["data"]


def posts_of(kind: str) -> list[dict[str, Any]]:
    return [post for post in tables(export())["posts"] if post["type"] == kind]


def public_tags_in_order(data: dict[str, Any], post_id: str) -> list[str]:
    public = {
        tag["id"]
        for tag in data["tags"]
        if tag["visibility"] == "public" and not tag["name"].startswith("#")
    }
    links = sorted(
        (row for row in data["posts_tags"] if row["post_id"] == post_id),
        key=lambda row: row["sort_order"],
    )
    return [row["tag_id"] for row in links if row["tag_id"] in public]


def expected_terms() -> tuple[set[str], set[str]]:
    """The Ghost tags that become categories (first public tag of a post)
    and those that become tags (any later one)."""
    data = tables(export())
    categories: set[str] = set()
    tags: set[str] = set()
    for post in posts_of("post"):
        order = public_tags_in_order(data, post["id"])
        categories.update(order[:1])
        tags.update(order[1:])
    return categories, tags


def counts(app) -> dict[str, int]:
    with app.app_context():

        def total(model, *where) -> int:
            query = db.select(db.func.count()).select_from(model).where(*where)
            return db.session.scalar(query)

        return {
            "articles": total(Article, Article.kind == ArticleKind.ARTICLE),
            "pages": total(Article, Article.kind == ArticleKind.PAGE),
            "categories": total(Category),
            "tags": total(Tag),
            "users": total(User),
            "uploads": total(Upload),
            "addresses": total(LegacyAddress),
        }


def write_export(folder: Path, document: dict[str, Any]) -> Path:
    path = folder / "ghost.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def paragraphs(markup: str) -> int:
    return len(html.fromstring(f"<div>{markup}</div>").findall(".//p"))


def test_ghost_posts_pages_tags_and_authors_all_come_across(app, runner) -> None:
    result = runner.invoke(args=["import-ghost", str(FIXTURE)])

    assert result.exit_code == 0, result.output
    categories, tags = expected_terms()
    authors = {row["author_id"] for row in tables(export())["posts_authors"]}
    found = counts(app)
    assert (found["articles"], found["pages"]) == (
        len(posts_of("post")),
        len(posts_of("page")),
    )
    assert (found["categories"], found["tags"]) == (len(categories), len(tags))
    assert found["users"] == len(authors)
    assert "holds no comments" in result.output


def test_a_ghost_post_reads_the_same_at_its_old_address(app, runner, client) -> None:
    runner.invoke(args=["import-ghost", str(FIXTURE)])
    post = next(p for p in posts_of("post") if p["status"] == "published")

    moved = client.get(f"/{post['slug']}/")
    page = client.get(moved.location)

    assert moved.status_code == 301
    assert page.status_code == 200
    tree = html.fromstring(page.text)
    assert tree.findtext(".//h1").strip() == post["title"]
    assert len(tree.findall(".//div[@class='body']//p")) == paragraphs(post["html"])


def test_ghost_tag_author_and_feed_addresses_answer_301(app, runner, client) -> None:
    runner.invoke(args=["import-ghost", str(FIXTURE)])
    data = tables(export())
    post = posts_of("post")[0]
    first, second = [
        next(tag for tag in data["tags"] if tag["id"] == tag_id)["slug"]
        for tag_id in public_tags_in_order(data, post["id"])[:2]
    ]
    author = data["users"][0]["slug"]

    assert client.get(f"/tag/{first}/").location == f"/category/{first}"
    assert client.get(f"/tag/{second}/").location == f"/tag/{second}"
    assert client.get(f"/author/{author}/").location == f"/author/{author}"
    assert client.get("/rss/").location == "/feed.xml"
    assert client.get(f"/tag/{first}/rss/").location == f"/category/{first}/feed.xml"
    assert client.get(f"/tag/{second}/rss/").location == f"/tag/{second}/feed.xml"
    assert client.get(f"/author/{author}/rss/").location == f"/author/{author}/feed.xml"
    for moved in ("/rss/", f"/tag/{first}/", f"/author/{author}/"):
        assert client.get(moved).status_code == 301
    for page in posts_of("page"):
        assert client.get(f"/{page['slug']}/").location == f"/{page['slug']}"


def test_importing_the_same_export_twice_changes_no_counts(app, runner) -> None:
    first = runner.invoke(args=["import-ghost", str(FIXTURE)])
    before = counts(app)
    second = runner.invoke(args=["import-ghost", str(FIXTURE)])

    assert first.exit_code == 0 and second.exit_code == 0, second.output
    assert counts(app) == before
    assert "created" not in second.output


def test_a_dry_run_says_what_it_would_do_and_changes_nothing(app, runner) -> None:
    before = counts(app)

    result = runner.invoke(args=["import-ghost", str(FIXTURE), "--dry-run"])

    assert result.exit_code == 0, result.output
    assert "nothing was written" in result.output
    assert f"{len(posts_of('post'))} created" in result.output
    assert counts(app) == before


def test_without_first_tag_as_category_every_tag_stays_a_tag(app, runner) -> None:
    result = runner.invoke(
        args=["import-ghost", str(FIXTURE), "--no-first-tag-is-category"]
    )

    categories, tags = expected_terms()
    assert result.exit_code == 0, result.output
    assert counts(app)["categories"] == 0
    assert counts(app)["tags"] == len(categories | tags)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "is the file cut short?"),
        ('{"posts": []}', "is not Ghost's export"),
        ('[{"db": []}]', "is not Ghost's export"),
        ('{"db": [{"data": {"posts": "none"}}]}', "is not Ghost's export"),
        ('{"db": [{"data": {"posts": [{"id": 1, "title": 7}]}}]}', "not text"),
        ('{"db": [{"data": {"posts": [], "tags": [3]}}]}', "non-records"),
    ],
)
def test_a_file_that_is_not_a_whole_ghost_export_is_refused(
    app, runner, tmp_path, content: str | None, message: str
) -> None:
    path = tmp_path / "export.json"
    whole = FIXTURE.read_text(encoding="utf-8")
    path.write_text(whole[: len(whole) // 2] if content is None else content)
    before = counts(app)

    result = runner.invoke(args=["import-ghost", str(path)])

    assert result.exit_code == 1
    assert message in result.output
    assert counts(app) == before


def test_hostile_values_are_reported_never_fetched(app, runner, tmp_path) -> None:
    media = tmp_path / "images"
    shutil.copytree(MEDIA, media)
    image = next(f for f in media.rglob("*") if f.is_file())
    shutil.copy(image, tmp_path / "secret.png")  # beside the folder, not in it
    document = export()
    posts = [p for p in tables(document)["posts"] if p["type"] == "post"]
    posts[0]["feature_image"] = "javascript:alert(1)"
    posts[1]["feature_image"] = "file:///etc/passwd"
    posts[2]["feature_image"] = "__GHOST_URL__/content/images/../../secret.png"
    posts[3]["feature_image"] = "__GHOST_URL__/content/images/%2e%2e/../secret.png"
    posts[4]["title"] = "A" * 1_000_000
    path = write_export(tmp_path, document)

    result = runner.invoke(args=["import-ghost", str(path), "--media-dir", str(media)])

    assert result.exit_code == 0, result.output
    assert "a javascript address is never fetched" in result.output
    assert "a file address is never fetched" in result.output
    assert result.output.count("a path that climbs with ../") == 2
    assert "a title of 1,000,000 characters" in result.output
    assert counts(app)["articles"] == len(posts) - 1
    with app.app_context():
        names = set(db.session.scalars(db.select(Upload.original_name)))
    assert names and "secret.png" not in names and "passwd" not in names


def test_images_come_from_the_media_folder_into_our_uploads(app, runner) -> None:
    data = tables(export())
    alts = {meta["post_id"]: meta["feature_image_alt"] for meta in data["posts_meta"]}
    with_cover = [post for post in data["posts"] if post["feature_image"]]
    with_images = [post for post in data["posts"] if "<img" in (post["html"] or "")]

    result = runner.invoke(
        args=["import-ghost", str(FIXTURE), "--media-dir", str(MEDIA)]
    )

    assert result.exit_code == 0, result.output
    assert with_cover and with_images and alts
    assert counts(app)["uploads"] == len([f for f in MEDIA.rglob("*") if f.is_file()])
    with app.app_context():
        for post in with_cover:
            article = db.session.scalar(db.select(Article).filter_by(slug=post["slug"]))
            assert article.cover is not None
            if post["id"] in alts:
                assert article.cover_description == alts[post["id"]]
        for post in with_images:
            article = db.session.scalar(db.select(Article).filter_by(slug=post["slug"]))
            assert "content/images" not in article.body_html
            assert article.body_html.count("/uploads/") >= post["html"].count("<img")


def test_what_ghost_keeps_from_readers_stays_out_of_sight(
    app, runner, tmp_path, client
) -> None:
    document = export()
    data = tables(document)
    scheduled, members, no_html = [p for p in data["posts"] if p["type"] == "post"][:3]
    scheduled["status"], scheduled["published_at"] = "scheduled", "2999-01-01 10:00:00"
    members["visibility"] = "members"
    no_html["html"], no_html["lexical"] = None, '{"root": {"children": []}}'
    internal = public_tags_in_order(data, scheduled["id"])[-1]
    tag = next(tag for tag in data["tags"] if tag["id"] == internal)
    tag["name"], tag["visibility"] = "#hidden", "internal"
    path = write_export(tmp_path, document)

    result = runner.invoke(args=["import-ghost", str(path)])

    assert result.exit_code == 0, result.output
    assert f"tag #hidden on {scheduled['title']}: internal tag" in result.output
    assert "for members only on Ghost: a draft here" in result.output
    assert "no HTML in the export, only Ghost's editor format" in result.output
    with app.app_context():
        by_slug = {
            article.slug: article for article in db.session.scalars(db.select(Article))
        }
        assert by_slug[scheduled["slug"]].status is ArticleStatus.PUBLISHED
        assert by_slug[scheduled["slug"]].published_at.year == 2999
        assert by_slug[members["slug"]].status is ArticleStatus.DRAFT
        assert "#hidden" not in {tag.name for tag in db.session.scalars(db.select(Tag))}
    assert client.get(f"/{scheduled['slug']}/").status_code == 404
    assert client.get(f"/{members['slug']}/").status_code == 404


def test_an_author_s_bio_and_website_come_across_to_their_page(
    app, runner, client
) -> None:
    writer = next(user for user in tables(export())["users"] if user.get("bio"))
    runner.invoke(args=["import-ghost", str(FIXTURE)])

    moved = client.get(f"/author/{writer['slug']}/")
    page = html.fromstring(client.get(moved.location).text)

    assert writer["bio"].split(".")[0] in page.text_content()
    assert page.xpath(f"//a[@href='{writer['website']}']")
