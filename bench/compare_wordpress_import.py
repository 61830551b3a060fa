"""Check an import of the WordPress anchor against WordPress itself.

Run after `flask --app blog import-wordpress site.wxr` into an empty blog
(BLOG_DATABASE_URL / BLOG_INSTANCE_PATH as for that import), with the anchor
of ../shared/anchors/wordpress up on 127.0.0.1:8080:

    .venv/bin/python bench/compare_wordpress_import.py [--sample 50]

It compares the counts with WordPress's own (SELECT COUNT(*) in MariaDB),
checks every comment's parent, the post with 200 comments, and, for a random
sample of posts, that the WordPress permalink answers 301 on our blog to an
article whose title and paragraph count match WordPress's page."""

from __future__ import annotations

import argparse
import random
import subprocess  # nosec B404 # the mariadb client, with our own SQL
import sys
import urllib.error
import urllib.parse
import urllib.request

from lxml import html
from sqlalchemy import func, select

from blog import create_app
from blog.extensions import db
from blog.models import (
    Article,
    ArticleKind,
    ArticleStatus,
    Category,
    Comment,
    CommentStatus,
    ImportedItem,
    Tag,
)

WORDPRESS = "http://127.0.0.1:8080"
COUNTS = {
    "published articles": "SELECT COUNT(*) FROM wp_posts WHERE post_type='post' "
    "AND post_status='publish' AND post_password=''",
    "categories": "SELECT COUNT(*) FROM wp_term_taxonomy WHERE taxonomy='category'",
    "tags": "SELECT COUNT(*) FROM wp_term_taxonomy WHERE taxonomy='post_tag'",
    "visible comments": "SELECT COUNT(*) FROM wp_comments c JOIN wp_posts p "
    "ON p.ID=c.comment_post_ID WHERE c.comment_approved='1' "
    "AND p.post_status='publish' AND p.post_password=''",
}


def wordpress(sql: str) -> list[list[str]]:
    out = subprocess.run(  # nosec B603 B607 # noqa: S603 # a fixed client, our SQL
        ["mariadb", "-N", "-B", "wordpress", "-e", sql],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [line.split("\t") for line in out.splitlines()]


def ours(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # noqa: ANN002, ANN003, ANN201
        return None


OPENER = urllib.request.build_opener(NoRedirects)


def wordpress_get(path: str) -> tuple[int, str, bytes]:
    address = WORDPRESS + path  # always the anchor's http:// address
    request = urllib.request.Request(address, headers={"Host": "127.0.0.1:8080"})  # noqa: S310
    try:
        with OPENER.open(request, timeout=30) as answer:  # nosec B310 # noqa: S310
            return answer.status, "", answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Location", ""), b""


def permalink(post_id: str) -> str:
    """The path WordPress sends ?p=ID to: its permalink."""
    _status, location, _body = wordpress_get(f"/?p={post_id}")
    return urllib.parse.urlsplit(location).path


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sample", type=int, default=50)
    sample_size = parser.parse_args().sample
    app = create_app()
    client = app.test_client()
    failures = []
    with app.app_context():
        mine = {
            "published articles": ours(
                Article,
                Article.status == ArticleStatus.PUBLISHED,
                Article.kind == ArticleKind.ARTICLE,
                Article.published_at <= func.now(),
            ),
            "categories": ours(Category),
            "tags": ours(Tag),
            "visible comments": ours(Comment, Comment.status == CommentStatus.VISIBLE),
        }
        for name, sql in COUNTS.items():
            theirs = int(wordpress(sql)[0][0])
            print(f"{name:<20} WordPress {theirs:>6}   ours {mine[name]:>6}")
            if theirs != mine[name]:
                failures.append(name)
        local = {
            (item.kind, item.external_id): item.local_id
            for item in db.session.scalars(select(ImportedItem))
        }
        parents = wordpress(
            "SELECT comment_ID, comment_parent FROM wp_comments "
            "WHERE comment_approved IN ('0','1') AND comment_parent<>0"
        )
        wrong = [
            child
            for child, parent in parents
            if db.session.get(Comment, local[("comment", child)]).parent_id
            != local.get(("comment", parent))
        ]
        print(
            f"replies checked      {len(parents):>6}   "
            f"under the wrong parent {len(wrong)}"
        )
        failures += ["parents"] * bool(wrong)
    posts = wordpress(
        "SELECT ID FROM wp_posts WHERE post_type='post' AND post_status='publish' "
        "AND post_password=''"
    )
    busiest = wordpress(
        "SELECT comment_post_ID FROM wp_comments WHERE comment_approved='1' "
        "GROUP BY comment_post_ID ORDER BY COUNT(*) DESC LIMIT 1"
    )[0][0]
    sample = random.sample([row[0] for row in posts], min(sample_size, len(posts)))
    for post_id in [busiest, *sample]:
        path = permalink(post_id)
        theirs = html.fromstring(wordpress_get(path)[2])
        moved = client.get(path)
        if moved.status_code != 301:
            failures.append(f"{path}: {moved.status_code}")
            continue
        page = html.fromstring(client.get(moved.headers["Location"]).data)
        title = page.xpath("string(//h1)").strip()
        their_title = theirs.xpath("string(//h1)").strip()
        our_paragraphs = len(page.xpath("//div[@class='body']//p"))
        their_paragraphs = len(
            theirs.xpath("//div[contains(@class,'entry-content')]//p")
        )
        if (title, our_paragraphs) != (their_title, their_paragraphs):
            failures.append(
                f"{path}: {title!r}/{our_paragraphs} "
                f"vs {their_title!r}/{their_paragraphs}"
            )
        if post_id == busiest:
            shown = len(page.xpath("//article[starts-with(@id, 'comment-')]"))
            print(f"post with most comments {path}: {shown} shown on ours")
    print(f"{sample_size} random permalinks: 301, title and paragraphs checked")
    feed = client.get("/feed/")
    print(f"/feed/ -> {feed.status_code} {feed.headers.get('Location')}")
    for failure in failures:
        print("FAILED", failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
