"""A hostile corpus typed into every field authors, commenters and readers
control, through the real forms, then every page, studio page and feed read
back: nothing executes and no dangerous markup survives anywhere."""

from __future__ import annotations

from lxml import html as lxml_html
from sqlalchemy import select

from blog.extensions import db
from blog.models import Article, Category, Role, Tag, User
from blog.rendering import ARTICLE_TAGS
from tests.conftest import log_in
from tests.factories import make_user
from tests.test_comments_hostile import FORBIDDEN_ELEMENTS, URL_ATTRIBUTES, url_scheme
from tests.test_feeds_hostile import PAYLOADS, assert_feed_is_harmless

SAFE_SCHEMES = {"http", "https", "mailto"}
FEED_FORMATS = {"feed.xml": "rss", "atom.xml": "atom", "feed.json": "json"}


def assert_page_is_harmless(path: str, page: str) -> None:
    tree = lxml_html.fromstring(page)
    for script in tree.xpath("//script"):
        # Our JSON-LD, or a script file of our own: never inline code.
        assert script.get("type") == "application/ld+json" or (
            script.get("src", "").startswith("/static/") and not script.text
        ), (path, lxml_html.tostring(script))
        if script.get("type") == "application/ld+json":
            assert "<" not in (script.text or ""), path
    # Authors may use <img> and <details>: the sanitiser keeps them, bare.
    forbidden = [name for name in FORBIDDEN_ELEMENTS if name not in ARTICLE_TAGS]
    for name in forbidden:
        found = [
            element
            for element in tree.xpath(f"//body//{name}")
            if not is_initials_avatar(element)
        ]
        assert not found, (path, name)
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        for attribute, value in element.attrib.items():
            assert not attribute.lower().startswith("on"), (path, attribute, value)
            if attribute.lower() in URL_ATTRIBUTES:
                assert url_scheme(value) in SAFE_SCHEMES | {None}, (path, value)


def is_initials_avatar(element) -> bool:
    """The one SVG our templates draw (_macros/author.html): a circle and
    the author's initials as text, hidden from screen readers."""
    return (
        element.tag == "svg"
        and (element.get("class") or "").startswith("avatar initials ")
        and element.get("aria-hidden") == "true"
        and [child.tag for child in element] == ["circle", "text"]
        and not len(element[1])
        and not any(name.startswith("on") for name in element[1].attrib)
    )


def publish_hostile_articles(admin, payloads: list[str]) -> int:
    published = 0
    for number, payload in enumerate(payloads):
        response = admin.post(
            "/studio/articles/new",
            data={
                "title": f"{payload[:150]} {number}",
                "slug": "",
                "category": payload[:60],
                "tags": payload[:60],
                "summary": payload if number % 2 else "",  # derived half the time
                "body": f"{payload}\n\n`{payload}`\n\n{payload}",
                "comments_open": "y",
                "publish_at": "",
                "publish": "1",
            },
        )
        published += response.status_code == 303
    return published


def every_path(app) -> list[str]:
    """The public pages, feeds and studio pages of everything on the site."""
    with app.app_context():
        articles = db.session.scalars(select(Article)).all()
        scopes = {
            "category": db.session.scalars(select(Category.slug)).all(),
            "tag": db.session.scalars(select(Tag.slug)).all(),
            "author": db.session.scalars(select(User.slug)).all(),
        }
    paths = ["/", "/search?q=script", "/studio/", "/studio/comments", "/studio/users"]
    paths += ["/studio/profile"]
    paths += [f"/{name}" for name in FEED_FORMATS] + ["/comments/feed.xml"]
    paths += ["/comments/atom.xml", "/sitemap.xml", "/auth/account"]
    for article in articles:
        paths += [f"/articles/{article.slug}", f"/studio/articles/{article.id}/edit"]
        paths += [f"/articles/{article.slug}/comments/feed.xml"]
        paths += [f"/studio/articles/{article.id}/revisions"]
    for kind, slugs in scopes.items():
        for slug in slugs:
            paths.append(f"/{kind}/{slug}")
            paths += [f"/{kind}/{slug}/{name}" for name in FEED_FORMATS]
    return paths


def test_the_hostile_corpus_is_harmless_on_every_page_and_in_every_feed(
    app_factory,
) -> None:
    app = app_factory(COMMENT_MODERATION="none", COMMENT_RATE_LIMIT="1000/minute")
    with app.app_context():
        admin_user = make_user(role=Role.ADMIN, display_name=PAYLOADS[1])
    admin = log_in(app.test_client(), admin_user)
    # Readers name themselves with the payloads, then comment with them.
    reader = app.test_client()
    registered = reader.post(
        "/auth/register",
        data={
            "email": "mallory@example.com",
            "display_name": PAYLOADS[0],
            "password": "correct horse battery",
            "password_again": "correct horse battery",
        },
    )
    assert registered.status_code == 303, registered.text

    assert publish_hostile_articles(admin, PAYLOADS) >= len(PAYLOADS) * 0.9
    with app.app_context():
        target = db.session.scalars(select(Article.slug)).first()
    for payload in PAYLOADS:
        reader.post(f"/articles/{target}/comments", data={"body": payload})
        admin.post("/auth/account/profile", data={"display_name": payload[:60]})
        admin.post(
            "/studio/profile",
            data={"bio": payload, "website": payload[:300], "links": payload},
        )
        # Hostile text in a bio that is saved along with a valid address.
        admin.post(
            "/studio/profile",
            data={"bio": payload, "website": "https://example.org/", "links": ""},
        )

    checked = 0
    for path in every_path(app):
        for browser in (admin, app.test_client()):
            response = browser.get(path)
            if response.status_code != 200:
                continue
            checked += 1
            name = path.rsplit("/", 1)[-1]
            if name in FEED_FORMATS or name.endswith(".xml") and "feed" in path:
                assert_feed_is_harmless(
                    FEED_FORMATS.get(
                        name, "rss" if name.endswith("feed.xml") else "atom"
                    ),
                    response.data,
                )
            elif response.mimetype == "text/html":
                assert_page_is_harmless(path, response.text)
    assert checked > 4 * len(PAYLOADS)
