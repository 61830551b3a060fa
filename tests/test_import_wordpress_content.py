"""What real WordPress sites hold, each imported as the README says or
named in the report: never lost silently (tests/data/README.md lists the
fixture's edge cases)."""

from __future__ import annotations

import pytest
from lxml import html
from sqlalchemy import select

from blog.extensions import db
from blog.models import (
    Article,
    ArticleKind,
    ArticleStatus,
    Comment,
    CommentStatus,
    ImportedItem,
    Role,
    User,
)
from tests.conftest import log_in
from tests.factories import PASSWORD
from tests.wordpress_export import MEDIA_DIR, SMALL_WXR


@pytest.fixture
def report(app, runner) -> str:
    result = runner.invoke(
        args=["import-wordpress", str(SMALL_WXR), "--media-dir", str(MEDIA_DIR)]
    )
    assert result.exit_code == 0, result.output
    return result.output


def article_from(app, post_id: str) -> Article:
    statement = select(ImportedItem.local_id).where(
        ImportedItem.kind == "post", ImportedItem.external_id == post_id
    )
    return db.session.get(Article, db.session.scalar(statement))


def comment_from(app, comment_id: str) -> Comment | None:
    statement = select(ImportedItem.local_id).where(
        ImportedItem.kind == "comment", ImportedItem.external_id == comment_id
    )
    local_id = db.session.scalar(statement)
    return db.session.get(Comment, local_id) if local_id else None


def body_of(client, path: str):
    page = client.get(path, follow_redirects=True)
    assert page.status_code == 200, path
    return html.fromstring(page.data).xpath("//div[@class='body']")[0]


def test_what_readers_could_not_see_stays_unseen(app, report) -> None:
    with app.app_context():
        drafts = [article_from(app, key) for key in ("1015", "1016")]
        private, protected = article_from(app, "1018"), article_from(app, "1019")
        assert all(
            a.status is ArticleStatus.DRAFT for a in [*drafts, private, protected]
        )
        assert drafts[1].title == "(no title)"
    assert "A private post: private on WordPress: imported as a draft" in report
    assert "protected by a password on WordPress: imported as a draft" in report
    assert "A post in the trash: trash on WordPress" in report


def test_pages_become_pages_at_their_old_and_new_addresses(app, report, client) -> None:
    with app.app_context():
        about, child = article_from(app, "1022"), article_from(app, "1023")
        assert (about.kind, child.kind) == (ArticleKind.PAGE, ArticleKind.PAGE)
        assert child.title == "Café Ünïcödé — 日本語"
        child_path = f"/{child.slug}"
    assert client.get("/about/").headers["Location"] == "/about"
    old_child = "/about/cafe-unicode-%e6%97%a5%e6%9c%ac%e8%aa%9e/"
    assert client.get(old_child).headers["Location"] == child_path
    assert client.get("/?page_id=1023").headers["Location"] == child_path
    assert "日本語" in client.get(child_path).get_data(as_text=True)


def test_every_block_of_the_block_editor_carries_over(app, report, client) -> None:
    body = body_of(client, "/2026/05/18/every-block-the-editor-has/")

    for element in (
        "h2",
        "h3",
        "ul/li",
        "ol/li",
        "blockquote",
        "table//th",
        "pre/code",
    ):
        assert body.xpath(f".//{element}"), element
    images = body.xpath(".//img/@src")
    assert images and all(src.startswith("/uploads/") for src in images)
    assert "Boats in a harbour at dawn" in body.xpath(".//img/@alt")
    assert "<!--" not in html.tostring(body, encoding="unicode")
    assert body.xpath(".//a[starts-with(@href, 'https://www.youtube.com/')]")  # embed
    assert "the shortcode [contact-form-7] was kept as text" in report


def test_classic_editor_text_gets_its_paragraphs(app, report, client) -> None:
    body = body_of(client, "/2026/05/21/written-in-the-classic-editor/")

    paragraphs = [p.text_content() for p in body.xpath("./p")]
    assert paragraphs[0].startswith("This post was written in the classic editor")
    assert body.xpath(".//p/br")  # a single line break stays one
    assert body.xpath(".//em") and body.xpath(".//h3") and body.xpath(".//ul/li")
    lost = "http://127.0.0.1:8080/wp-content/uploads/2026/05/lost-photo"
    assert f"image {lost}" in report  # the missing file, by its address


def test_shortcodes_are_expanded_or_named(app, report, client) -> None:
    body = body_of(client, "/2026/05/19/shortcodes-from-the-classic-editor/")
    text = body.text_content()

    assert "Caption text of a [caption] shortcode" in text
    assert "[caption" not in text.replace("of a [caption] shortcode", "")
    assert len(body.xpath(".//img[starts-with(@src, '/uploads/')]")) >= 3
    assert "the shortcode [pullquote] was kept as text" in report


def test_featured_image_becomes_the_cover_and_excerpt_the_summary(app, report) -> None:
    with app.app_context():
        article = article_from(app, "1006")
        assert article.cover is not None
        assert article.cover.alt == "Boats in a harbour at dawn"
        assert article.summary.startswith("The hand-written excerpt")


def test_the_first_category_files_it_and_the_others_are_named(app, report) -> None:
    """WordPress lists a post's categories by name; an article here has one."""
    with app.app_context():
        article = article_from(app, "1024")
        assert article.category.name == "Cooking"
        assert {"Ünïcödé", "日本語"} <= {tag.name for tag in article.tags}
    expected = "also in the categories film, travel on WordPress: filed under the first"
    assert expected in report


def test_comments_keep_their_status_thread_and_signature(app, report, client) -> None:
    with app.app_context():
        root, reply, deeper, deepest = (
            comment_from(app, key) for key in ("402", "403", "404", "405")
        )
        assert (reply.parent, deeper.parent, deepest.parent) == (root, reply, deeper)
        zoe = db.session.scalar(User.select_by_slug("zoe"))
        assert reply.author == zoe and reply.guest_name is None
        assert deepest.author is None and deepest.guest_name == "José Núñez"
        assert comment_from(app, "406").guest_email is None  # none was given
        assert comment_from(app, "408").status is CommentStatus.PENDING
        assert comment_from(app, "409").parent == root
        assert comment_from(app, "411") is None  # in the trash
        assert "Pingback from" in comment_from(app, "412").body_markdown
        accounts = set(db.session.scalars(select(User.slug)))
        assert accounts == {"admin", "zoe"}  # no guest can log in: none has one
    page = client.get("/2026/05/29/comments-of-every-kind/", follow_redirects=True)
    names = html.fromstring(page.data).xpath("//*[@class='comment-author']/text()")
    assert {"Åsa Öberg", "Zoë Ångström", "José Núñez", "Ренат Иванов"} <= set(names)
    assert "Pending Person" not in names  # waits for the moderator
    assert "comment 411 on 'Comments of every kind': trash on WordPress" in report


def test_the_moderator_finds_the_pending_comments(app, report) -> None:
    client = app.test_client()
    with app.app_context():
        admin = db.session.scalar(User.select_by_slug("admin"))
        assert admin.role is Role.AUTHOR and not admin.has_password
        admin.role = Role.ADMIN  # as `set-role` would, then a password reset
        admin.set_password(PASSWORD)
        db.session.commit()
        log_in(client, admin)
    page = client.get("/studio/comments").get_data(as_text=True)
    assert "Pending Person" in page and "Li Wei 李伟" in page


def test_a_guest_named_like_an_author_is_not_credited_to_them(
    app, runner, tmp_path
) -> None:
    """A guest may sign with any name; only WordPress's user id links a
    comment to an account."""
    forged = tmp_path / "forged.wxr"
    forged.write_text(
        SMALL_WXR.read_text(encoding="utf-8").replace(
            "<wp:comment_author><![CDATA[José Núñez]]>",
            "<wp:comment_author><![CDATA[Zoë Ångström]]>",
        ),
        encoding="utf-8",
    )
    result = runner.invoke(args=["import-wordpress", str(forged)])
    assert result.exit_code == 0, result.output
    with app.app_context():
        comment = comment_from(app, "405")
        assert comment.author is None and comment.guest_name == "Zoë Ångström"
