"""The studio: an author writes, previews, publishes, schedules and revises."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from lxml import html

from blog.extensions import db
from blog.models import Article, ArticleStatus, Revision, Role, User, utcnow
from tests.factories import make_article

BODY = "First paragraph about *volcanoes*.\n\n## Lava\n\nMore text on lava.\n"


def editor_form(**overrides: str) -> dict[str, str]:
    form = {
        "title": "Volcanoes Up Close",
        "slug": "",
        "category": "Science",
        "tags": "geology, Lava",
        "summary": "",
        "body": BODY,
        "comments_open": "y",
        "publish_at": "",
    }
    form.update(overrides)
    return form


def article_by_title(app, title: str) -> Article:
    with app.app_context():
        article = db.session.scalar(db.select(Article).where(Article.title == title))
        db.session.expunge(article)
        return article


def public_places(article_slug: str, published_at) -> list[str]:  # noqa: ANN001
    local = published_at.astimezone(ZoneInfo("UTC"))
    return [
        "/",
        "/category/science",
        "/tag/geology",
        f"/archive/{local.year}",
        f"/archive/{local.year}/{local.month}",
        "/search?q=volcanoes",
    ]


def found_everywhere(client, article: Article, author_slug: str) -> dict[str, bool]:
    places = [*public_places(article.slug, article.published_at or utcnow())]
    places.append(f"/author/{author_slug}")
    found = {}
    for place in places:
        response = client.get(place)
        found[place] = response.status_code == 200 and article.title in response.text
    found["sitemap"] = f"/articles/{article.slug}<" in client.get("/sitemap.xml").text
    found["page"] = client.get(f"/articles/{article.slug}").status_code == 200
    return found


def test_an_author_drafts_previews_and_publishes(app, client_as, clock) -> None:
    author_client, author = client_as(Role.AUTHOR)
    reader = app.test_client()

    preview = author_client.post("/studio/articles/new", data=editor_form(preview="1"))
    assert preview.status_code == 200
    assert "<em>volcanoes</em>" in preview.text
    assert 'value="Volcanoes Up Close"' in preview.text
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Article.id))) == 0

    saved = author_client.post("/studio/articles/new", data=editor_form(save="1"))
    assert saved.status_code == 303
    draft = article_by_title(app, "Volcanoes Up Close")
    assert draft.status is ArticleStatus.DRAFT and draft.slug == "volcanoes-up-close"
    assert not any(found_everywhere(reader, draft, author.slug).values())

    edit_url = f"/studio/articles/{draft.id}/edit"
    assert (
        author_client.post(edit_url, data=editor_form(publish="1")).status_code == 303
    )
    published = article_by_title(app, "Volcanoes Up Close")
    assert published.is_published(clock.now)
    assert all(found_everywhere(reader, published, author.slug).values())


def test_a_scheduled_article_appears_everywhere_when_its_time_comes(
    app, client_as, clock
) -> None:
    author_client, author = client_as(Role.AUTHOR)
    reader = app.test_client()
    in_two_hours = (clock.now + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")

    response = author_client.post(
        "/studio/articles/new", data=editor_form(schedule="1", publish_at=in_two_hours)
    )

    assert response.status_code == 303
    scheduled = article_by_title(app, "Volcanoes Up Close")
    assert scheduled.status is ArticleStatus.PUBLISHED
    assert not any(found_everywhere(reader, scheduled, author.slug).values())
    clock.advance(timedelta(hours=2, minutes=1))
    assert all(found_everywhere(reader, scheduled, author.slug).values())


def test_scheduling_in_the_past_is_refused_and_the_text_kept(app, client_as) -> None:
    author_client, _ = client_as(Role.AUTHOR)
    response = author_client.post(
        "/studio/articles/new",
        data=editor_form(schedule="1", publish_at="2001-01-01T10:00"),
    )
    assert response.status_code == 400
    assert "time in the future" in response.text
    assert "More text on lava." in response.text


def test_unpublish_takes_an_article_off_the_site(app, client_as) -> None:
    author_client, author = client_as(Role.AUTHOR)
    with app.app_context():
        article = make_article(
            slug="going-away", author=db.session.get(User, author.id)
        )
    assert app.test_client().get("/articles/going-away").status_code == 200
    author_client.post(f"/studio/articles/{article.id}/unpublish")
    assert app.test_client().get("/articles/going-away").status_code == 404
    assert author_client.get("/articles/going-away").status_code == 200  # its author


def test_delete_asks_first_then_deletes(app, client_as) -> None:
    author_client, author = client_as(Role.AUTHOR)
    with app.app_context():
        article = make_article(author=db.session.get(User, author.id))
    confirm = author_client.get(f"/studio/articles/{article.id}/delete")
    assert confirm.status_code == 200 and "cannot be undone" in confirm.text
    with app.app_context():
        assert db.session.get(Article, article.id) is not None
    assert (
        author_client.post(f"/studio/articles/{article.id}/delete").status_code == 303
    )
    with app.app_context():
        assert db.session.get(Article, article.id) is None


def test_authors_only_touch_their_own_articles(app, client_as) -> None:
    a_client, _ = client_as(Role.AUTHOR)
    _, author_b = client_as(Role.AUTHOR)
    with app.app_context():
        b = db.session.get(User, author_b.id)
        b_draft = make_article(author=b, slug="b-draft", status=ArticleStatus.DRAFT).id
        b_published = make_article(author=b, slug="b-published").id

    assert a_client.get("/articles/b-draft").status_code == 404
    assert a_client.get(f"/studio/articles/{b_draft}/edit").status_code == 404
    assert a_client.get(f"/studio/articles/{b_published}/edit").status_code == 403
    refused = a_client.post(
        f"/studio/articles/{b_published}/edit", data=editor_form(save="1")
    )
    assert refused.status_code == 403
    assert a_client.post(f"/studio/articles/{b_published}/delete").status_code == 403
    editor_client, _ = client_as(Role.EDITOR)
    assert editor_client.get(f"/studio/articles/{b_draft}/edit").status_code == 200


def test_the_dashboard_lists_own_articles_and_editors_see_all(app, client_as) -> None:
    a_client, author_a = client_as(Role.AUTHOR)
    with app.app_context():
        make_article(title="Mine", author=db.session.get(User, author_a.id))
        make_article(title="Someone else's")
    editor_client, _ = client_as(Role.EDITOR)

    mine = a_client.get("/studio/").text
    everything = editor_client.get("/studio/").text

    assert "Mine" in mine and "Someone else" not in mine
    assert "Mine" in everything and "Someone else" in everything


@pytest.mark.parametrize("role", [Role.READER])
def test_readers_get_403_in_the_studio(client_as, role: Role) -> None:
    client, _ = client_as(role)
    for path in ("/studio/", "/studio/articles/new", "/studio/uploads"):
        assert client.get(path).status_code == 403, path


def test_a_slug_change_keeps_the_old_address_as_a_301(app, client_as) -> None:
    author_client, author = client_as(Role.AUTHOR)
    with app.app_context():
        article = make_article(
            title="Old Name", slug="old-name", author=db.session.get(User, author.id)
        )
    response = author_client.post(
        f"/studio/articles/{article.id}/edit",
        data=editor_form(title="New Name", slug="new-name", save="1"),
    )
    assert response.status_code == 303

    moved = app.test_client().get("/articles/old-name")

    assert moved.status_code == 301
    assert moved.headers["Location"].endswith("/articles/new-name")
    assert app.test_client().get("/articles/new-name").status_code == 200


def test_a_taken_slug_is_refused_with_a_message(app, client_as) -> None:
    author_client, _ = client_as(Role.AUTHOR)
    with app.app_context():
        make_article(slug="taken")
    response = author_client.post(
        "/studio/articles/new", data=editor_form(slug="taken", save="1")
    )
    assert response.status_code == 409
    assert "taken by another article" in response.text
    assert "More text on lava." in response.text


def test_revisions_are_listed_viewed_diffed_and_restored(app, client_as) -> None:
    author_client, _ = client_as(Role.AUTHOR)
    author_client.post(
        "/studio/articles/new", data=editor_form(body="The first text.\n", save="1")
    )
    article = article_by_title(app, "Volcanoes Up Close")
    edit_url = f"/studio/articles/{article.id}/edit"
    author_client.post(edit_url, data=editor_form(body="The second text.\n", save="1"))

    listing = author_client.get(f"/studio/articles/{article.id}/revisions")
    with app.app_context():
        revision = db.session.scalar(db.select(Revision))
    view = author_client.get(f"/studio/articles/{article.id}/revisions/{revision.id}")
    restored = author_client.post(
        f"/studio/articles/{article.id}/revisions/{revision.id}/restore"
    )

    assert listing.status_code == 200 and f"/revisions/{revision.id}" in listing.text
    tree = html.fromstring(view.text)
    assert tree.xpath("//pre[@class='diff']/del/text()") == ["-The first text."]
    assert tree.xpath("//pre[@class='diff']/ins/text()") == ["+The second text."]
    assert restored.status_code == 303
    with app.app_context():
        current = db.session.get(Article, article.id)
        assert current.body_markdown == "The first text.\n"
        assert "The first text." in current.body_html
        assert db.session.scalar(db.select(db.func.count(Revision.id))) == 2


def test_an_authors_hostile_markup_is_sanitised(app, client_as) -> None:
    author_client, _ = client_as(Role.AUTHOR)
    body = (
        "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n"
        "[click](javascript:alert(1)) <a href='javascript:alert(2)'>x</a>\n"
    )
    author_client.post("/studio/articles/new", data=editor_form(body=body, publish="1"))
    article = article_by_title(app, "Volcanoes Up Close")

    page = app.test_client().get(f"/articles/{article.slug}").text
    body = html.fromstring(page).xpath("//div[@class='body']")[0]

    assert body.xpath(".//script") == []
    assert body.xpath(".//@*[starts-with(name(), 'on')]") == []
    links = body.xpath(".//@href | .//@src")
    assert links and not [link for link in links if "javascript" in link.lower()]


def test_another_articles_old_address_cannot_be_taken_over(app, client_as) -> None:
    alice_client, alice = client_as(Role.AUTHOR)
    bob_client, _ = client_as(Role.AUTHOR)
    with app.app_context():
        article = make_article(
            title="Original", slug="original", author=db.session.get(User, alice.id)
        )
    alice_client.post(
        f"/studio/articles/{article.id}/edit",
        data=editor_form(title="Original", slug="renamed", save="1"),
    )

    refused = bob_client.post(
        "/studio/articles/new", data=editor_form(slug="original", save="1")
    )

    assert refused.status_code == 409
    assert app.test_client().get("/articles/original").status_code == 301


def test_control_characters_never_reach_a_title(app, client_as) -> None:
    author_client, _ = client_as(Role.AUTHOR)
    author_client.post(
        "/studio/articles/new",
        data=editor_form(title="Ctrl\x01 title\x1f", tags="a\x00b", save="1"),
    )
    with app.app_context():
        article = db.session.scalar(db.select(Article))
        assert article.title == "Ctrl title"
        assert [tag.name for tag in article.tags] == ["ab"]
