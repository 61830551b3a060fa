"""A real blog for the browser tests: a SQLite database with one of every
kind of page in it, served by gunicorn on 127.0.0.1 as in production.

The same database is opened in-process too (`LiveSite.app`), to add what a
test needs and to render the pages no request can reach on purpose (a 500).
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from unittest import mock

from flask import Flask
from PIL import Image

from blog import create_app
from blog.articles.services import fields_of, save_article
from blog.articles.uploads import save_upload
from blog.authors.profiles import ProfileChanges, apply_changes
from blog.demo.covers import SCENES, drawn
from blog.extensions import db
from blog.models import (
    ArticleKind,
    ArticleStatus,
    CommentStatus,
    MenuItem,
    MenuTarget,
    Revision,
    Role,
    Subscriber,
    SubscriberState,
)
from blog.models.profile import AVATAR_SIZES
from blog.subscriptions.links import CONFIRM_PURPOSE, MANAGE_PURPOSE, token_for
from tests.conftest import stamp_migration_head, test_settings
from tests.factories import (
    hours_ago,
    make_article,
    make_category,
    make_comment,
    make_tag,
    make_user,
)
from tests.test_comments_load import free_port, gunicorn

ARTICLE_BODY = """\
Every article starts somewhere. This one has the parts a real one has:
*emphasis*, **strong words**, `inline code`, a [link to the archive](/archive)
and a footnote.[^1]

## A section with a list

1. A numbered step that runs long enough to wrap onto a second line on a phone.
2. Another step.

- A point
- Another point, with a VeryLongWordThatWouldPushAPhoneScreenSidewaysIfNothingBrokeIt

> A quotation, set apart from the text around it.

## Code and a table

```python
def greet(name: str) -> str:
    # Say hello, politely.
    return f"Hello, {name}!"  # a comment that makes this line much longer than a phone
```

| Setting | Default | What it does |
| --- | --- | --- |
| BLOG_SITE_NAME | Blog | The name in the header, page titles and feeds |
| BLOG_TIMEZONE | UTC | The zone in which pages show times |

![A blue square](IMAGE)

[^1]: A footnote, shown at the end.
"""


@dataclass
class Seeded:
    article_slug: str
    article_id: int
    revision_id: int
    comment_id: int  # the reader's, with replies under it
    # A confirmed e-mail follower's links (confirm: a pending one's).
    manage_token: str = ""
    confirm_token: str = ""


@dataclass
class LiveSite:
    url: str
    app: Flask
    seeded: Seeded


ACCOUNTS = {
    "reader": ("reader@example.com", Role.READER),
    "author": ("author@example.com", Role.AUTHOR),
    "admin": ("admin@example.com", Role.ADMIN),
}


def seed(app: Flask) -> Seeded:
    """The site every page type is checked on: articles in a category with
    tags, one with a cover, a thread of replies with a pending comment, a
    draft, an image."""
    with app.app_context():
        users = {
            name: make_user(
                email=email, display_name=name.capitalize(), slug=name, role=role
            )
            for name, (email, role) in ACCOUNTS.items()
        }
        image = io.BytesIO()
        Image.new("RGB", (640, 360), (31, 91, 184)).save(image, "PNG")
        image.seek(0)
        upload = save_upload(
            stream=image, original_name="square.png", uploader=users["author"]
        )
        cover = save_upload(
            stream=io.BytesIO(drawn(SCENES["why-feeds-still-matter"], seed="cover")),
            original_name="ridges.jpg",
            uploader=users["author"],
            alt="Green ridges fading into a bright morning haze",
        )
        portrait = io.BytesIO(drawn(SCENES["why-feeds-still-matter"], seed="face"))
        apply_changes(
            users["author"],
            ProfileChanges(
                bio="Writes about **feeds** and the open web.",
                website="https://author.example/",
                links=["https://mastodon.example/@author"],
                avatar=save_upload(
                    stream=portrait,
                    original_name="me.jpg",
                    uploader=users["author"],
                    squares=AVATAR_SIZES,
                ),
            ),
        )
        news, essays = make_category("News"), make_category("Essays")
        tags = [make_tag("python"), make_tag("writing")]
        for number in range(12):
            make_article(
                title=f"An older article, number {number + 1}",
                category=essays,
                author=users["author"],
                published_at=hours_ago(200 + number),
                summary="A short summary of an older article, for the listing.",
            )
        article = make_article(
            title="Everything an Article Can Hold, in One Page",
            slug="everything",
            category=news,
            tags=tags,
            author=users["author"],
            summary="A dek that sums the article up in one sentence or two.",
            body_markdown=ARTICLE_BODY.replace("IMAGE", f"/uploads/{upload.filename}"),
            published_at=hours_ago(3),
            cover=cover,
        )
        make_article(
            title="A draft nobody reads yet",
            author=users["author"],
            status=ArticleStatus.DRAFT,
            published_at=None,
        )
        about = make_article(
            title="About this blog",
            slug="about",
            kind=ArticleKind.PAGE,
            author=users["author"],
            comments_open=False,
            body_markdown="Who writes here, and why.\n\n## Contact\n\nWrite to us.\n",
        )
        db.session.add(
            MenuItem(menu="header", target=MenuTarget.PAGE, article=about, position=1)
        )
        db.session.add(
            MenuItem(
                menu="header", target=MenuTarget.CATEGORY, category=news, position=2
            )
        )
        first = make_comment(
            article, users["reader"], body_markdown="A first comment, with **bold**."
        )
        reply = make_comment(
            article, users["author"], parent=first, body_markdown="The author answers."
        )
        make_comment(
            article, users["reader"], parent=reply, body_markdown="And a reply to it."
        )
        make_comment(
            article,
            users["reader"],
            body_markdown="This one waits for moderation.",
            status=CommentStatus.PENDING,
        )
        changed = replace(fields_of(article), title="Everything an Article Can Hold")
        save_article(
            article=article,
            fields=changed,
            author=users["author"],
            editor=users["author"],
        )
        revision = db.session.scalars(Revision.select_for(article)).first()
        assert revision is not None
        manage, confirm = seed_followers()
        return Seeded(article.slug, article.id, revision.id, first.id, manage, confirm)


def seed_followers() -> tuple[str, str]:
    """A confirmed follower's manage link and a pending one's confirm link."""
    confirmed = Subscriber(
        email="follower@example.org", state=SubscriberState.CONFIRMED
    )
    pending = Subscriber(email="pending@example.org")
    db.session.add_all([confirmed, pending])
    db.session.commit()
    return token_for(confirmed, MANAGE_PURPOSE), token_for(pending, CONFIRM_PURPOSE)


@contextmanager
def live_site(
    folder: Path, *, site_name: str | None = "Field Notes"
) -> Iterator[LiveSite]:
    """The seeded site under gunicorn. `site_name` is set as the operator's
    BLOG_SITE_NAME; None leaves the title to the studio's settings."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    database_url = f"sqlite:///{folder / 'blog.sqlite'}"
    environment = {
        **os.environ,
        "BLOG_INSTANCE_PATH": str(folder / "instance"),
        "BLOG_DATABASE_URL": database_url,
        "BLOG_SECRET_KEY": "browser tests",
        "BLOG_SITE_URL": url,
        "BLOG_REQUEST_LOG": "0",
    }
    if site_name is not None:
        environment["BLOG_SITE_NAME"] = site_name
    with mock.patch.dict(os.environ, {"BLOG_INSTANCE_PATH": str(folder / "instance")}):
        app = create_app(
            {
                **test_settings(database_url),
                # The server's key: the seeded followers' links are signed here.
                "SECRET_KEY": environment["BLOG_SECRET_KEY"],
                "SITE_URL": url,
                "SITE_NAME": site_name or "Blog",
            }
        )
    with app.app_context():
        db.create_all()
        with db.engine.begin() as connection:
            stamp_migration_head(connection)
    seeded = seed(app)
    with gunicorn(environment, folder / "gunicorn.log", workers=1, port=port):
        yield LiveSite(url, app, seeded)
    with app.app_context():
        db.engine.dispose()
