"""The header and footer menus, for admins: pages, categories, tags, the
site's own pages or any address, in the order the owner gives them."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from werkzeug.wrappers import Response

from blog.articles.navigation import (
    DEFAULT_FOOTER,
    SITE_PAGES,
    MenuEntry,
    save_menu,
)
from blog.errors import BlogError, InvalidInput
from blog.extensions import db
from blog.models import Article, Category, MenuItem, MenuTarget, Role, Tag
from blog.models.navigation import MENUS
from blog.permissions import require_role
from blog.studio.blueprint import bp
from blog.studio.forms import MenuForm

BLANK_ROWS = 3  # rows to add links in, under the current ones
MENU_NAMES = {"header": _l("Header menu"), "footer": _l("Footer menu")}


@bp.get("/navigation")
@login_required
@require_role(Role.ADMIN)
def navigation() -> str:
    forms = {menu: filled_form(menu) for menu in MENUS}
    return render_template("studio/navigation.html", forms=forms, names=MENU_NAMES)


@bp.post("/navigation/<menu>")
@login_required
@require_role(Role.ADMIN)
def save_navigation(menu: str) -> Response | tuple[str, int]:
    if menu not in MENUS:
        abort(404)
    form = MenuForm(prefix=menu)
    with_choices(form)
    try:
        # A form without its rows is not the studio's: nothing to save.
        if not form.validate_on_submit() or not form.items.entries:
            raise_first_error(form)
        save_menu(menu=menu, entries=entries_of(form))
    except BlogError as error:
        forms = {name: filled_form(name) for name in MENUS} | {menu: form}
        page = render_template(
            "studio/navigation.html",
            forms=forms,
            names=MENU_NAMES,
            error=(menu, error.message),
        )
        return page, error.status_code
    flash(_("%(menu)s saved. Readers see it now.", menu=MENU_NAMES[menu]))
    return redirect(url_for("studio.navigation", _anchor=f"menu-{menu}"), code=303)


def raise_first_error(form: MenuForm) -> None:
    for number, row in enumerate(form.items, 1):
        for field in row.form:
            if field.errors:
                raise InvalidInput(
                    _(
                        "Link %(number)d, %(field)s: %(error)s",
                        number=number,
                        field=field.label.text,
                        error=field.errors[0],
                    )
                )
    raise InvalidInput(_("The form expired or was not complete: send it again."))


def entries_of(form: MenuForm) -> list[MenuEntry]:
    """The rows to keep, in the order of their positions (rows without one
    keep their place after those that have one)."""
    rows = [
        (row.form.position.data or 100 + index, index, row.form)
        for index, row in enumerate(form.items)
        if row.form.target.data and not row.form.remove.data
    ]
    return [
        MenuEntry(row.label.data or "", row.target.data, row.url.data or "")
        for _position, _index, row in sorted(rows, key=lambda entry: entry[:2])
    ]


def filled_form(menu: str) -> MenuForm:
    """The menu as readers see it now, then blank rows to add links."""
    items = list(db.session.scalars(MenuItem.select_menu(menu)))
    rows = [row_of(item) for item in items] or default_rows(menu)
    rows += [{"target": ""} for _ in range(BLANK_ROWS)]
    for number, row in enumerate(rows, 1):
        row.setdefault("position", number)
    form = MenuForm(prefix=menu, formdata=None, data={"items": rows})
    with_choices(form)
    return form


def row_of(item: MenuItem) -> dict[str, object]:
    target = item.target.value
    row_id = item.article_id or item.category_id or item.tag_id
    if row_id is not None:
        target = f"{target}:{row_id}"
    return {"label": item.label, "target": target, "url": item.url}


def default_rows(menu: str) -> list[dict[str, object]]:
    """What the menu shows before the owner arranges it, as rows to edit."""
    if menu == "footer":
        return [{"target": target.value} for target in DEFAULT_FOOTER]
    categories = db.session.scalars(Article.select_categories_in_use())
    return [{"target": f"category:{category.id}"} for category in categories]


def with_choices(form: MenuForm) -> None:
    choices = target_choices()
    for row in form.items:
        row.form.target.choices = choices


def target_choices() -> dict[str, str | dict[str, str]]:
    pages = db.session.scalars(Article.select_pages())
    categories = db.session.scalars(Category.select_all())
    tags = db.session.scalars(Tag.select_all())
    return {
        "": _("— nothing (leave empty) —"),
        _("Pages"): {f"page:{page.id}": page.title for page in pages},
        _("Categories"): {f"category:{c.id}": c.name for c in categories},
        _("Tags"): {f"tag:{tag.id}": tag.name for tag in tags},
        _("The site"): {
            target.value: str(label) for target, (_e, label) in SITE_PAGES.items()
        },
        _("Elsewhere"): {MenuTarget.URL.value: _("The address below")},
    }
