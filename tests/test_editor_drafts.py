"""The editor while an author types: the live preview comes from the server's
own renderer and sanitiser, and autosaves keep every word without touching
what readers see until the author saves."""

from __future__ import annotations

from datetime import datetime, timedelta

from lxml import html

from blog.extensions import db
from blog.models import (
    Article,
    ArticleStatus,
    Autosave,
    CommentStatus,
    Role,
    User,
    utcnow,
)
from tests.conftest import log_in
from tests.factories import make_article, make_comment, make_user
from tests.test_studio import editor_form

JSON = {"Accept": "application/json"}


def own_article(app, author: User, **overrides: object) -> Article:  # noqa: ANN001
    with app.app_context():
        return make_article(author=db.session.get(User, author.id), **overrides)


def autosaves(app) -> list[Autosave]:  # noqa: ANN001
    with app.app_context():
        rows = db.session.scalars(db.select(Autosave)).all()
        db.session.expunge_all()
        return list(rows)


def test_the_preview_is_the_saved_rendering_sanitised(client_as) -> None:
    author_client, _ = client_as(Role.AUTHOR)
    body = "Some **bold** words.\n\n<script>alert(1)</script>\n\n" + "word " * 440

    answer = author_client.post("/studio/preview", data={"body": body}, headers=JSON)

    assert answer.status_code == 200
    assert "<strong>bold</strong>" in answer.json["html"]
    assert "<script" not in answer.json["html"]
    assert answer.json["words"] == 444  # the script tag counts as typed
    assert answer.json["minutes"] == 2


def test_readers_and_strangers_get_no_preview(app, client_as) -> None:
    reader_client, _ = client_as(Role.READER)

    assert reader_client.post("/studio/preview", data={"body": "x"}).status_code == 403
    stranger = app.test_client().post("/studio/preview", data={"body": "x"})
    assert stranger.status_code == 302
    assert "/auth/login" in stranger.headers["Location"]


def test_the_first_autosave_of_a_new_article_makes_it_a_draft(app, client_as) -> None:
    author_client, author = client_as(Role.AUTHOR)

    answer = author_client.post(
        "/studio/articles/autosave",
        data=editor_form(title="", body="Half a thought"),
        headers=JSON,
    )

    assert answer.status_code == 200
    with app.app_context():
        draft = db.session.scalars(db.select(Article)).one()
        assert (draft.title, draft.status) == ("Untitled draft", ArticleStatus.DRAFT)
        assert draft.body_markdown == "Half a thought"
        assert draft.author_id == author.id
        assert answer.json["edit_url"] == f"/studio/articles/{draft.id}/edit"
        assert answer.json["autosave_url"] == f"/studio/articles/{draft.id}/autosave"


def test_an_empty_editor_is_not_saved_and_says_why(app, client_as) -> None:
    author_client, _ = client_as(Role.AUTHOR)

    answer = author_client.post(
        "/studio/articles/autosave", data=editor_form(title=" ", body=""), headers=JSON
    )

    assert answer.status_code == 400
    assert answer.json["message"] == "There is nothing to save yet."
    with app.app_context():
        assert db.session.scalars(db.select(Article)).all() == []


def test_autosaving_a_published_article_changes_nothing_readers_see(
    app, client_as
) -> None:
    author_client, author = client_as(Role.AUTHOR)
    article = own_article(app, author, title="Live", slug="live")

    answer = author_client.post(
        f"/studio/articles/{article.id}/autosave",
        data=editor_form(title="Live, rewritten", body="A new text, half done"),
        headers=JSON,
    )

    assert answer.status_code == 200
    assert "half done" not in app.test_client().get("/articles/live").text
    [kept] = autosaves(app)
    assert kept.fields["title"] == "Live, rewritten"
    assert kept.fields["comments_open"] is True


def test_opening_the_editor_again_brings_the_unsaved_text_back(app, client_as) -> None:
    author_client, author = client_as(Role.AUTHOR)
    article = own_article(app, author, title="Live", slug="live")
    author_client.post(
        f"/studio/articles/{article.id}/autosave",
        data=editor_form(title="Live, rewritten", body="Typed before the tab closed"),
        headers=JSON,
    )

    page = author_client.get(f"/studio/articles/{article.id}/edit")

    tree = html.fromstring(page.text)
    assert tree.xpath("//input[@name='title']/@value") == ["Live, rewritten"]
    assert "Typed before the tab closed" in tree.xpath(
        "string(//textarea[@name='body'])"
    )
    assert "unsaved changes" in tree.xpath("string(//div[@class='restored'])")


def test_saving_keeps_the_text_and_drops_the_autosave(app, client_as) -> None:
    author_client, author = client_as(Role.AUTHOR)
    article = own_article(app, author, title="Live", slug="live")
    author_client.post(
        f"/studio/articles/{article.id}/autosave",
        data=editor_form(body="Draft words"),
        headers=JSON,
    )

    saved = author_client.post(
        f"/studio/articles/{article.id}/edit",
        data=editor_form(body="Final words", publish="1"),
    )

    assert saved.status_code == 303
    assert autosaves(app) == []
    assert "Final words" in app.test_client().get("/articles/live").text


def test_discarding_goes_back_to_the_saved_article(app, client_as) -> None:
    author_client, author = client_as(Role.AUTHOR)
    article = own_article(app, author, title="Live", slug="live")
    author_client.post(
        f"/studio/articles/{article.id}/autosave",
        data=editor_form(title="Abandoned idea"),
        headers=JSON,
    )

    discarded = author_client.post(f"/studio/articles/{article.id}/autosave/discard")
    page = author_client.get(f"/studio/articles/{article.id}/edit")

    assert discarded.status_code == 303
    assert autosaves(app) == []
    assert html.fromstring(page.text).xpath("//input[@name='title']/@value") == ["Live"]


def test_an_autosave_older_than_the_article_is_not_brought_back(app, client_as) -> None:
    author_client, author = client_as(Role.AUTHOR)
    article = own_article(app, author, title="Current", slug="current")
    with app.app_context():
        db.session.add(
            Autosave(
                user_id=author.id,
                article_id=article.id,
                fields={"title": "Stale", "body": "old"},
                saved_at=utcnow() - timedelta(days=2),
            )
        )
        db.session.commit()

    page = author_client.get(f"/studio/articles/{article.id}/edit")

    assert html.fromstring(page.text).xpath("//input[@name='title']/@value") == [
        "Current"
    ]


def test_each_editor_has_their_own_unsaved_text(app, client_as) -> None:
    author_client, author = client_as(Role.AUTHOR)
    editor_client, _ = client_as(Role.EDITOR)
    article = own_article(app, author, title="Shared", slug="shared")
    editor_client.post(
        f"/studio/articles/{article.id}/autosave",
        data=editor_form(title="The editor's version"),
        headers=JSON,
    )

    page = author_client.get(f"/studio/articles/{article.id}/edit")

    assert html.fromstring(page.text).xpath("//input[@name='title']/@value") == [
        "Shared"
    ]


def test_an_autosave_over_the_limits_is_refused_with_the_reason(app, client_as) -> None:
    author_client, author = client_as(Role.AUTHOR)
    article = own_article(app, author)

    answer = author_client.post(
        f"/studio/articles/{article.id}/autosave",
        data=editor_form(title="x" * 1000),
        headers=JSON,
    )

    assert answer.status_code == 400
    assert answer.json["message"].startswith("Title:")
    assert autosaves(app) == []


def test_another_authors_article_cannot_be_autosaved(app, client_as) -> None:
    author_client, _ = client_as(Role.AUTHOR)
    _, someone_else = client_as(Role.AUTHOR)
    article = own_article(app, someone_else)

    answer = author_client.post(
        f"/studio/articles/{article.id}/autosave", data=editor_form(), headers=JSON
    )

    assert answer.status_code in (403, 404)
    assert autosaves(app) == []


def test_a_schedule_is_typed_year_first_and_shown_in_words_with_the_zone(
    app_factory,
) -> None:
    app = app_factory(TIMEZONE="Europe/Paris")
    with app.app_context():
        author = make_user(role=Role.AUTHOR)
    author_client = log_in(app.test_client(), author)
    next_year = utcnow().year + 1

    saved = author_client.post(
        "/studio/articles/new",
        data=editor_form(schedule="1", publish_at=f"{next_year}-12-24 09:30"),
    )
    page = author_client.get(saved.headers["Location"])

    with app.app_context():
        article = db.session.scalars(db.select(Article)).one()
        assert article.published_at.hour == 8  # 09:30 in Paris is 08:30 UTC
    status = " ".join(
        html.fromstring(page.text).xpath("string(//p[@class='editor-status'])").split()
    )
    assert "publishes" in status
    weekday = f"{datetime(next_year, 12, 24):%A}"
    assert f"{weekday}, 24 December {next_year}, 09:30 Europe/Paris" in status
    assert html.fromstring(page.text).xpath("//input[@name='publish_at']/@value") == [
        f"{next_year}-12-24 09:30"
    ]


def test_the_editor_script_is_a_file_of_ours(client_as) -> None:
    author_client, _ = client_as(Role.AUTHOR)
    tree = html.fromstring(author_client.get("/studio/articles/new").text)

    scripts = tree.xpath("//script")
    assert [script.get("src", "").split("?")[0] for script in scripts] == [
        "/static/studio/post.js",
        "/static/studio/editor.js",
        "/static/studio/images.js",
    ]
    assert all(not (script.text or "").strip() for script in scripts)


def test_a_published_article_offers_its_author_an_edit_link_only(
    app, client_as
) -> None:
    author_client, author = client_as(Role.AUTHOR)
    reader_client, _ = client_as(Role.READER)
    article = own_article(app, author, slug="mine")
    edit = f"/studio/articles/{article.id}/edit"

    def edit_links(client) -> list[str]:  # noqa: ANN001
        tree = html.fromstring(client.get("/articles/mine").text)
        return [href for href in tree.xpath("//a/@href") if href == edit]

    assert edit_links(author_client) == [edit]
    assert edit_links(reader_client) == []
    assert edit_links(app.test_client()) == []


def test_the_dashboard_counts_comments_waiting_per_article_and_in_all(
    app, client_as
) -> None:
    author_client, author = client_as(Role.AUTHOR)
    _, reader = client_as(Role.READER)
    article = own_article(app, author, title="Discussed")
    with app.app_context():
        for _ in range(2):
            make_comment(
                db.session.get(Article, article.id),
                db.session.get(User, reader.id),
                status=CommentStatus.PENDING,
            )
    tree = html.fromstring(author_client.get("/studio/").text)

    assert tree.xpath("string(//a[@class='pending-count'])") == "+2 waiting"
    assert "2 comments wait for moderation" in tree.xpath("string(//main)")
    badge = tree.xpath("string(//nav[@aria-label='Studio']//span[@class='badge'])")
    assert badge.split()[0] == "2"
