"""The header and footer menus readers see: what the owner arranged in the
studio, or, until then, what the site always showed (the categories in use
in the header; the newest articles, archive and search in the footer).
Remembered once per content version: every page shows them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete
from sqlalchemy.exc import SQLAlchemyError

from blog.articles.links import article_path
from blog.cache import remembered
from blog.database import write_transaction
from blog.errors import InvalidInput
from blog.extensions import db
from blog.inputs import is_row_id
from blog.models import Article, Category, MenuItem, MenuTarget, Tag
from blog.models.navigation import LABEL_MAX, MENUS, URL_MAX

# The site's own pages a menu may link, with their default labels (lazy:
# in the site's language when shown; str() them for a memo).
SITE_PAGES = {
    MenuTarget.HOME: ("articles.index", _l("Newest articles")),
    MenuTarget.ARCHIVE: ("articles.archive_index", _l("Archive")),
    MenuTarget.SEARCH: ("articles.search", _l("Search")),
    MenuTarget.SUBSCRIBE: ("feeds.subscribe", _l("Subscribe")),
}
DEFAULT_FOOTER = (MenuTarget.HOME, MenuTarget.ARCHIVE, MenuTarget.SEARCH)


class NavigationLink(NamedTuple):
    name: str
    href: str


def navigation_menu(menu: str) -> list[NavigationLink]:
    """A menu's links, asked for only by templates that show it. An error
    page must render even when the database is down."""
    try:
        return remembered("navigation", menus_links).get(menu, [])
    except SQLAlchemyError:
        db.session.rollback()
        return []


def menus_links() -> dict[str, list[NavigationLink]]:
    """Every menu's links, from one query (and one for the categories while
    the owner has arranged no header)."""
    items: dict[str, list[MenuItem]] = {menu: [] for menu in MENUS}
    for item in db.session.scalars(MenuItem.select_menus()):
        items.setdefault(item.menu, []).append(item)
    return {menu: menu_links(menu, arranged) for menu, arranged in items.items()}


def menu_links(menu: str, items: list[MenuItem]) -> list[NavigationLink]:
    if not items:
        return default_links(menu)
    links = (link_of(item) for item in items)
    return [link for link in links if link is not None]


def default_links(menu: str) -> list[NavigationLink]:
    if menu == "header":
        return categories_in_use()
    return [site_page_link(target) for target in DEFAULT_FOOTER]


def categories_in_use() -> list[NavigationLink]:
    return [
        NavigationLink(
            category.name, url_for("articles.by_category", slug=category.slug)
        )
        for category in db.session.scalars(Article.select_categories_in_use())
    ]


def link_of(item: MenuItem) -> NavigationLink | None:
    """The item's link; None for a page that is not public (a draft, or
    unpublished since), which readers could not open."""
    label = item.label
    match item.target:
        case MenuTarget.PAGE if item.article is not None:
            if not item.article.is_published():
                return None
            return NavigationLink(
                label or item.article.title, article_path(item.article)
            )
        case MenuTarget.CATEGORY if item.category is not None:
            href = url_for("articles.by_category", slug=item.category.slug)
            return NavigationLink(label or item.category.name, href)
        case MenuTarget.TAG if item.tag is not None:
            href = url_for("articles.by_tag", slug=item.tag.slug)
            return NavigationLink(label or item.tag.name, href)
        case MenuTarget.URL:
            return NavigationLink(label or item.url, item.url)
        case target if target in SITE_PAGES:
            link = site_page_link(target)
            return NavigationLink(label, link.href) if label else link
    return None


def site_page_link(target: MenuTarget) -> NavigationLink:
    endpoint, label = SITE_PAGES[target]
    return NavigationLink(str(label), url_for(endpoint))


@dataclass(frozen=True)
class MenuEntry:
    """One item as the studio sends it: the target as "page:12",
    "category:3", "tag:5", "home", "archive", "search", "subscribe" or "url"."""

    label: str
    target: str
    url: str = ""


MENU_MAX = 12
SAFE_URL = re.compile(
    r"^(https?://[^\s]+|/[^\s/][^\s]*|/|mailto:[^\s]+)$", re.IGNORECASE
)


def save_menu(*, menu: str, entries: list[MenuEntry]) -> None:
    """Replace the menu's items with these, in this order. InvalidInput,
    naming the item and nothing stored, for one that cannot be a link."""
    if menu not in MENUS:
        raise InvalidInput(_("There is no such menu."))
    if len(entries) > MENU_MAX:
        raise InvalidInput(_("A menu holds at most %(limit)s links.", limit=MENU_MAX))
    items = [menu_item(menu, number, entry) for number, entry in enumerate(entries, 1)]
    with write_transaction():
        db.session.execute(delete(MenuItem).where(MenuItem.menu == menu))
        db.session.add_all(items)


def menu_item(menu: str, number: int, entry: MenuEntry) -> MenuItem:
    label = " ".join(entry.label.split())
    if len(label) > LABEL_MAX:
        raise InvalidInput(
            _(
                "Link %(number)s: a label has at most %(limit)s characters.",
                number=number,
                limit=LABEL_MAX,
            )
        )
    kind, _colon, row_id = entry.target.partition(":")
    try:
        target = MenuTarget(kind)
    except ValueError:
        raise InvalidInput(
            _("Link %(number)s: choose what it links to.", number=number)
        ) from None
    item = MenuItem(menu=menu, position=number, label=label, target=target, url="")
    if target is MenuTarget.URL:
        item.url = entry.url.strip()
        if not SAFE_URL.match(item.url) or len(item.url) > URL_MAX:
            raise InvalidInput(
                _(
                    "Link %(number)s: give an address starting with https://, "
                    "http://, mailto: or / (a page of this site).",
                    number=number,
                )
            )
        if not label:
            raise InvalidInput(
                _("Link %(number)s: an address needs a label.", number=number)
            )
    elif target in (MenuTarget.PAGE, MenuTarget.CATEGORY, MenuTarget.TAG):
        attach_row(item, number, row_id)
    return item


def attach_row(item: MenuItem, number: int, row_id: str) -> None:
    """Link the item to the page, category or tag with this id."""
    known = is_row_id_text(row_id)
    if item.target is MenuTarget.PAGE:
        item.article = db.session.get(Article, int(row_id)) if known else None
        found = item.article is not None and item.article.is_page
    elif item.target is MenuTarget.CATEGORY:
        item.category = db.session.get(Category, int(row_id)) if known else None
        found = item.category is not None
    else:
        item.tag = db.session.get(Tag, int(row_id)) if known else None
        found = item.tag is not None
    if not found:
        raise InvalidInput(gone_message(item.target, number))


def gone_message(target: MenuTarget, number: int) -> str:
    """Why an item's page, category or tag cannot be linked any more."""
    if target is MenuTarget.PAGE:
        return _("Link %(number)s: that page no longer exists.", number=number)
    if target is MenuTarget.CATEGORY:
        return _("Link %(number)s: that category no longer exists.", number=number)
    return _("Link %(number)s: that tag no longer exists.", number=number)


def is_row_id_text(text: str) -> bool:
    return text.isdigit() and is_row_id(int(text))
