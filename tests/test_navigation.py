"""The owner arranges the header and footer menus: an About page first,
then the categories; any address; nothing a reader could not open."""

from __future__ import annotations

import pytest
from lxml import html

from blog.extensions import db
from blog.models import ArticleKind, ArticleStatus, MenuItem, Role
from tests.factories import make_article, make_category, make_tag


@pytest.fixture
def site(app):
    with app.app_context():
        make_article(
            slug="tides", category=make_category("Sea"), tags=[make_tag("salt")]
        )
        make_article(slug="boats", category=make_category("Boats"))
        make_article(title="About", slug="about", kind=ArticleKind.PAGE)
        make_article(
            title="Contact",
            slug="contact",
            kind=ArticleKind.PAGE,
            status=ArticleStatus.DRAFT,
            published_at=None,
        )
    return app


def header_links(client) -> list[tuple[str, str]]:
    page = html.fromstring(client.get("/").text)
    return [
        (link.text_content(), link.get("href"))
        for link in page.xpath("//nav[@class='primary-nav']//a")
    ]


def footer_links(client) -> list[tuple[str, str]]:
    page = html.fromstring(client.get("/").text)
    return [
        (link.text_content(), link.get("href"))
        for link in page.xpath("//footer//nav[@aria-labelledby='footer-explore']//a")
    ]


def editor_rows(admin, menu: str) -> dict[str, str]:
    """The menu's form as the studio shows it, as a browser would send it."""
    page = html.fromstring(admin.get("/studio/navigation").text)
    form = page.get_element_by_id(f"menu-{menu}").find(".//form")
    data = {}
    for field in form.inputs:
        kind = getattr(field, "type", "select")
        if field.name is None or kind == "submit":
            continue
        if kind == "checkbox":
            if field.checked:
                data[field.name] = "y"
        else:
            data[field.name] = field.value or ""
    return data


def option_value(admin, text: str) -> str:
    page = html.fromstring(admin.get("/studio/navigation").text)
    return page.xpath(f"//select/optgroup/option[text()='{text}']")[0].get("value")


def test_until_arranged_the_menus_are_what_the_site_always_showed(site, client) -> None:
    assert header_links(client) == [
        ("Boats", "/category/boats"),
        ("Sea", "/category/sea"),
    ]
    assert [name for name, _href in footer_links(client)] == [
        "Newest articles",
        "Archive",
        "Search",
    ]


def test_an_admin_puts_the_about_page_first_in_the_header(site, admin, client) -> None:
    client.get("/")  # cached for anonymous readers
    rows = editor_rows(admin, "header")
    # The form opens with the categories the header shows today.
    assert rows["header-items-0-target"].startswith("category:")
    rows["header-items-3-target"] = option_value(admin, "About")
    rows["header-items-3-position"] = "1"
    rows["header-items-0-position"] = "2"
    rows["header-items-1-position"] = "3"
    response = admin.post("/studio/navigation/header", data=rows)
    assert response.status_code == 303, response.text
    assert header_links(client) == [
        ("About", "/about"),
        ("Boats", "/category/boats"),
        ("Sea", "/category/sea"),
    ]


def test_labels_addresses_tags_and_removal(site, admin, client) -> None:
    rows = editor_rows(admin, "footer")
    rows["footer-items-0-label"] = "Latest"
    rows["footer-items-1-remove"] = "y"
    rows["footer-items-3-target"] = "url"
    rows["footer-items-3-url"] = "https://example.org/mastodon"
    rows["footer-items-3-label"] = "Mastodon"
    rows["footer-items-4-target"] = option_value(admin, "salt")
    assert admin.post("/studio/navigation/footer", data=rows).status_code == 303
    assert footer_links(client) == [
        ("Latest", "/"),
        ("Search", "/search"),
        ("Mastodon", "https://example.org/mastodon"),
        ("salt", "/tag/salt"),
    ]


@pytest.mark.parametrize(
    ("url", "label"),
    [
        ("javascript:alert(1)", "Evil"),
        ("//evil.example/x", "Evil"),
        ("data:text/html,hi", "Evil"),
        ("https://example.org", ""),  # an address needs a label
    ],
)
def test_an_address_that_is_not_a_safe_link_is_refused(
    site, admin, client, url, label
) -> None:
    before = footer_links(client)
    rows = editor_rows(admin, "footer")
    rows.update({"footer-items-3-target": "url", "footer-items-3-url": url})
    rows["footer-items-3-label"] = label
    response = admin.post("/studio/navigation/footer", data=rows)
    assert response.status_code == 400
    assert "Link 4" in response.text
    assert footer_links(client) == before


def test_a_forged_target_is_refused(site, admin) -> None:
    rows = editor_rows(admin, "header")
    for forged in ("page:99999", "category:abc", "bogus", "page:" + "9" * 30):
        rows["header-items-3-target"] = forged
        response = admin.post("/studio/navigation/header", data=rows)
        assert response.status_code == 400, forged
    with site.app_context():
        assert db.session.scalars(db.select(MenuItem)).first() is None


def test_a_draft_page_in_a_menu_is_not_shown_until_it_is_public(
    site, admin, client
) -> None:
    rows = editor_rows(admin, "header")
    rows["header-items-3-target"] = option_value(admin, "Contact")
    admin.post("/studio/navigation/header", data=rows)
    assert ("Contact", "/contact") not in header_links(client)


def test_deleting_a_page_takes_it_out_of_the_menu(site, admin, client) -> None:
    rows = editor_rows(admin, "header")
    rows["header-items-3-target"] = option_value(admin, "About")
    admin.post("/studio/navigation/header", data=rows)
    assert ("About", "/about") in header_links(client)
    with site.app_context():
        page = (
            db.session.scalars(
                db.select(MenuItem).where(MenuItem.article_id.is_not(None))
            )
            .one()
            .article
        )
        db.session.delete(page)
        db.session.commit()
    assert ("About", "/about") not in header_links(client)


def test_only_admins_arrange_the_menus(site, client_as) -> None:
    for role in (Role.READER, Role.AUTHOR, Role.EDITOR):
        user, _ = client_as(role)
        assert user.get("/studio/navigation").status_code == 403
        assert user.post("/studio/navigation/header", data={}).status_code == 403
