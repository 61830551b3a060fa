"""A reader's way through a discussion: from the article to an account and
back to its comment form, told before posting whether a comment will wait,
put straight into the reply box, shown when a comment was edited, and given
a count that matches the comments in front of them."""

from __future__ import annotations

import pytest
from lxml import html

from blog.extensions import db
from blog.models import Comment, CommentStatus, Role, User
from tests.comment_helpers import comments_section, post
from tests.conftest import log_in
from tests.factories import make_article, make_comment, make_user
from tests.test_comments_moderation import moderate

BACK_TO_THE_FORM = "/articles/talk#comment-form"


def register_from(client, next_url: str):
    client.get("/auth/register", query_string={"next": next_url})
    return client.post(
        "/auth/register",
        data={
            "email": "new@example.com",
            "display_name": "New Reader",
            "password": "a long enough password",
            "password_again": "a long enough password",
            "next": next_url,
        },
    )


def test_registering_from_an_article_comes_back_to_its_comment_form(
    app, client
) -> None:
    with app.app_context():
        make_article(slug="talk")
    prompt = comments_section(client.get("/articles/talk").text)
    register_link = prompt.xpath(".//a[text()='create an account']")[0].get("href")

    form = html.fromstring(client.get(register_link).text)
    response = register_from(client, form.xpath("//input[@name='next']/@value")[0])

    assert response.status_code == 303
    assert response.headers["Location"] == BACK_TO_THE_FORM
    page = comments_section(client.get("/articles/talk").text)
    assert page.xpath(".//form[@id='comment-form']//textarea")


@pytest.mark.parametrize(
    "next_url", ["//evil.example/", "https://evil.example/", "/\\evil.example"]
)
def test_registration_never_sends_a_reader_to_another_site(
    app, client, next_url: str
) -> None:
    response = register_from(client, next_url)
    assert response.status_code == 303
    assert response.headers["Location"] == "/"


def test_the_login_page_offers_registration_with_the_same_way_back(client) -> None:
    page = html.fromstring(
        client.get("/auth/login", query_string={"next": BACK_TO_THE_FORM}).text
    )
    (link,) = page.xpath("//a[text()='Create an account']")
    assert "next=/articles/talk%23comment-form" in link.get("href")


def form_note(client, slug: str = "talk") -> str:
    section = comments_section(client.get(f"/articles/{slug}").text)
    notes = section.xpath(".//p[@class='moderation-note']/text()")
    return notes[0] if notes else ""


def test_a_first_comment_is_announced_as_waiting_until_one_is_approved(
    app, client_as
) -> None:
    with app.app_context():
        article = make_article(slug="talk")
        author_id = article.author_id
    reader, _ = client_as(Role.READER)

    assert form_note(reader).startswith("Your first comment appears once a moderator")
    post(reader, "talk", "My very first comment")
    with app.app_context():
        comment = db.session.scalar(db.select(Comment))
        assert comment.status is CommentStatus.PENDING
        author = db.session.get(User, author_id)
    moderate(log_in(app.test_client(), author), comment.id, "approve")

    assert form_note(reader) == ""
    post(reader, "talk", "A second thought")
    with app.app_context():
        second = db.session.scalars(db.select(Comment).order_by(Comment.id)).all()[-1]
        assert second.status is CommentStatus.VISIBLE


@pytest.mark.parametrize(
    ("policy", "note"),
    [
        ("all", "Comments appear once a moderator has approved them."),
        ("none", ""),
    ],
)
def test_the_note_follows_the_moderation_policy(
    app_factory, policy: str, note: str
) -> None:
    app = app_factory(COMMENT_MODERATION=policy)
    with app.app_context():
        make_article(slug="talk")
        reader = make_user()
    assert form_note(log_in(app.test_client(), reader)) == note


def test_moderators_are_told_nothing(app) -> None:
    with app.app_context():
        article = make_article(slug="talk")
        author = db.session.get(User, article.author_id)
    assert form_note(log_in(app.test_client(), author)) == ""


def test_a_reply_link_opens_the_reply_box_with_the_cursor_in_it(app, client_as) -> None:
    reader, user = client_as(Role.READER)
    with app.app_context():
        article = make_article(slug="talk")
        comment_id = make_comment(article, make_user()).id

    section = comments_section(reader.get("/articles/talk").text)
    (reply,) = section.xpath(
        f".//article[@id='comment-{comment_id}']//a[starts-with(., 'Reply')]"
    )
    page = comments_section(reader.get(reply.get("href")).text)

    # No fragment: Chromium skips autofocus on a page opened at one.
    assert "#" not in reply.get("href")
    (box,) = page.xpath(".//form[@id='reply-form']//textarea")
    assert box.get("autofocus") is not None
    # The top form is not on the page meanwhile: one autofocus only.
    assert len(page.xpath(".//textarea[@autofocus]")) == 1


def test_an_edited_comment_says_when_in_full(app, client_as) -> None:
    reader, user = client_as(Role.READER)
    with app.app_context():
        article = make_article(slug="talk")
        comment = make_comment(article, db.session.get(User, user.id))
    reader.post(f"/comments/{comment.id}/edit", data={"body": "Better words"})

    section = comments_section(reader.get("/articles/talk").text)
    (edited,) = section.xpath(".//span[@class='edited']/time")
    # Day, month, year and time: "edited 14:05" alone says nothing a week on.
    assert len(edited.text.split()) == 4, edited.text


def test_the_count_matches_the_comments_shown_to_each_reader(app, client_as) -> None:
    reader, user = client_as(Role.READER)
    with app.app_context():
        article = make_article(slug="talk")
        make_comment(article, make_user())
        make_comment(article, make_user())
        make_comment(
            article, make_user(), status=CommentStatus.HIDDEN, body_markdown="Hidden"
        )
    post(reader, "talk", "Waiting for a moderator")

    def heading_and_shown(client) -> tuple[str, int]:
        section = comments_section(client.get("/articles/talk").text)
        heading = section.xpath(".//h2")[0].text_content()
        return heading, len(section.xpath(".//div[@class='comment-body']"))

    assert heading_and_shown(app.test_client()) == ("2 comments", 2)
    assert heading_and_shown(reader) == ("3 comments (1 awaiting moderation)", 3)
