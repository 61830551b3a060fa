"""A small site with one of everything, and every public URL on it found
from the URL map: for tests that must cover each public page, including
pages added after they were written."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from itertools import product

from flask import Flask
from sqlalchemy import select

from blog.articles.services import ArticleFields, fields_of, save_article
from blog.cache.rules import cacheable_endpoints
from blog.extensions import db
from blog.models import (
    Article,
    ArticleKind,
    AuthorProfile,
    Autosave,
    Delivery,
    ImportedItem,
    Job,
    LegacyAddress,
    LegacyTarget,
    Mailing,
    MailingKind,
    MenuItem,
    SiteSettings,
    Subscriber,
    SubscriberState,
    Upload,
    User,
    UserSession,
    utcnow,
)
from tests.factories import (
    make_article,
    make_category,
    make_comment,
    make_tag,
    make_user,
)

SEARCH_WORD = "Lighthouse"
# What a public page may read from its query string, by endpoint.
QUERY_STRINGS = {"articles.search": f"q={SEARCH_WORD}"}


def add_followers(article: Article) -> None:
    """An e-mail follower who got the article, and the job that mailed it."""
    follower = Subscriber(email="follower@example.org", state=SubscriberState.CONFIRMED)
    mailing = Mailing(
        key=f"article:{article.id}", kind=MailingKind.ARTICLE, article_id=article.id
    )
    db.session.add_all([follower, mailing])
    db.session.flush()
    db.session.add(Delivery(mailing_id=mailing.id, subscriber_id=follower.id))
    db.session.add(Job(kind="mailing", key="mailing:1", payload={"mailing_id": 1}))


def add_small_site(app: Flask) -> Flask:
    """One author, reader, article, page, category, tag, comment (and an
    imported guest's), revision, old address (and an imported blog's), cover
    image, session, unsaved editor text and the owner's settings, with a logo
    and an icon, and the author's profile with a photo."""
    with app.app_context():
        author = make_user(display_name="Ada Author", slug="ada", role="author")
        reader = make_user(display_name="Rex Reader", slug="rex")
        article = make_article(
            title=f"The {SEARCH_WORD} Keeper",
            slug="keeper",
            author=author,
            category=make_category("Coasts"),
            tags=[make_tag("light")],
            published_at=datetime(2026, 6, 1, 12, tzinfo=utcnow().tzinfo),
            summary="A keeper of the light.",
        )
        make_comment(article, reader, body_markdown="Lovely piece.")
        # A comment imported from another blog, signed by a guest, and what
        # that import left: the old address and the item it came from.
        make_comment(
            article,
            None,
            body_markdown="Old praise.",
            guest_name="Gus",
            guest_email="gus@example.org",
        )
        db.session.add(
            LegacyAddress(
                path="/2026/06/01/keeper",
                target=LegacyTarget.ARTICLE,
                target_id=article.id,
                source="wordpress:https://old.example",
            )
        )
        db.session.add(
            ImportedItem(
                source="wordpress:https://old.example",
                kind="post",
                external_id="12",
                local_id=article.id,
            )
        )
        add_followers(article)
        about = make_article(
            title="About the keepers",
            slug="about",
            kind=ArticleKind.PAGE,
            author=author,
            comments_open=False,
        )
        db.session.add(
            MenuItem(menu="header", label="About us", target="page", article=about)
        )
        # An edit leaves a revision and the old address's redirect.
        fields: ArticleFields = fields_of(article)
        fields.slug, fields.body_markdown = "the-keeper", "New text.\n"
        save_article(article=article, fields=fields, author=author, editor=author)
        db.session.add(
            UserSession(
                user_id=reader.id,
                token_digest="0" * 64,
                expires_at=utcnow() + timedelta(days=1),
            )
        )
        # The article's cover, described by its upload's alt text.
        article.cover = Upload(
            filename="abc.png",
            original_name="light.png",
            content_type="image/png",
            size=10,
            width=960,
            height=540,
            variant_widths=[480, 800, 960],
            alt="A lighthouse at dusk",
            uploader=author,
        )
        icon = Upload(
            filename="icon.png",
            original_name="icon.png",
            content_type="image/png",
            size=10,
            width=512,
            height=512,
            square_sizes=[32, 180, 192, 512],
            uploader=author,
        )
        db.session.add(
            SiteSettings(
                id=1,
                title="The Small Site",
                tagline="Small and kept",
                description="A site with one of everything.",
                accent_color="#1f5bb8",
                language="en",
                timezone="Europe/Paris",
                comment_moderation="first",
                registration_open=True,
                logo=article.cover,
                icon=icon,
            )
        )
        db.session.add(
            AuthorProfile(
                user_id=author.id,
                bio_markdown="Keeps *the light*.",
                bio_html="<p>Keeps <em>the light</em>.</p>",
                bio_text="Keeps the light.",
                website="https://ada.example.org/",
                links=["https://mastodon.example/@ada"],
                avatar=Upload(
                    filename="ada.png",
                    original_name="ada.png",
                    content_type="image/png",
                    size=10,
                    width=400,
                    height=400,
                    square_sizes=[64, 96, 128, 192],
                    uploader=author,
                ),
            )
        )
        db.session.add(
            Autosave(
                user_id=author.id,
                article_id=article.id,
                fields={"title": "Not yet saved", "body": "Half typed."},
            )
        )
        db.session.commit()
    return app


def public_urls(app: Flask) -> Iterator[str]:
    """Every public endpoint filled with every value the site could give its
    arguments; the caller keeps those that answer 200."""
    with app.app_context():
        article, page = db.session.scalars(select(Article).order_by(Article.kind))
        slugs = [article.slug, page.slug, *db.session.scalars(select(User.slug))]
        slugs += [article.category.slug, *(tag.slug for tag in article.tags)]
    published = article.published_at
    values = {"slug": slugs, "year": [published.year], "month": [published.month]}
    adapter = app.url_map.bind("blog.test")
    for rule in app.url_map.iter_rules():
        if rule.endpoint not in cacheable_endpoints(app):
            continue
        names = sorted(rule.arguments - set(rule.defaults or {}))
        unknown = [name for name in names if name not in values]
        assert not unknown, f"teach public_urls() how to fill {unknown} of {rule}"
        for combination in product(*(values[name] for name in names)):
            arguments = {
                **(rule.defaults or {}),
                **dict(zip(names, combination, strict=True)),
            }
            path = adapter.build(rule.endpoint, arguments)
            query = QUERY_STRINGS.get(rule.endpoint)
            yield f"{path}?{query}" if query else path
