"""The blog in the site's language: every string readers, commenters and
authors see goes through Flask-Babel's gettext, and dates and numbers are
written the language's way (blog/locale_data.py, from Babel's CLDR data).

The language is the site's (the studio's settings, or BLOG_LANGUAGE): one
blog speaks one language, so a page is the same for every reader and the
page cache and memos stay shared. Catalogues live in blog/translations/
(`make messages` extracts the strings and updates them, `make translations`
compiles them); the compiled .mo files are committed, so a plain install
needs no build step, and a test checks they match the .po files.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Flask, g
from flask_babel import Babel, get_translations

from blog import locale_data
from blog.locale_data import DateStyle
from blog.site_settings import current_site

__all__ = [
    "DateStyle",
    "format_count",
    "format_decimal",
    "localtime",
    "month_and_year",
    "month_name",
]


def init_app(app: Flask) -> None:
    babel = Babel()
    babel.init_app(app, locale_selector=site_language)
    # Flask-Babel's own callables find the catalogue through four context
    # lookups at every string (36 a logged-in article page); these, once a
    # request.
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda string: translations().ugettext(string),
        ngettext=lambda one, many, n: translations().ungettext(one, many, n),
        pgettext=lambda context, string: translations().upgettext(context, string),
        npgettext=lambda context, one, many, n: translations().unpgettext(
            context, one, many, n
        ),
        newstyle=True,
    )
    # {% trans %} blocks collapse their whitespace, as the extractor does.
    app.jinja_env.policies["ext.i18n.trimmed"] = True
    # Flask-Babel's number filters would load the language's whole CLDR data
    # into every worker (blog/locale_data.py): these write from the table.
    app.jinja_env.filters["numberformat"] = format_count
    app.jinja_env.filters["decimalformat"] = format_decimal


def translations() -> Any:
    """This request's (or command's) catalogue, looked up once."""
    found = g.get("translations")
    if found is None:
        found = g.translations = get_translations()
    return found


def site_language() -> str:
    return current_site().language


def date_locale() -> str:
    """The CLDR locale the site's dates are written in (en_GB for en)."""
    return locale_data.date_locale(current_site().language)


def localtime(moment: datetime | None, style: DateStyle = "date") -> str:
    """A UTC time in the site's time zone, written the site's language's way."""
    if moment is None:
        return ""
    local = moment.astimezone(current_site().zone)
    return locale_data.format_moment(local, style, current_site().language)


def month_name(month: int) -> str:
    """A month's name as it stands alone in the site's language ("décembre")."""
    return locale_data.month_name(month, current_site().language)


def month_and_year(year: int, month: int) -> str:
    """A month of a year as the site's language writes it ("December 2026",
    "décembre 2026")."""
    return locale_data.format_month(year, month, current_site().language)


def format_count(number: int) -> str:
    """A whole number with the site's language's digit groups."""
    return locale_data.format_count(number, current_site().language)


def format_decimal(number: float, pattern: str = "#,##0.###") -> str:
    """A number as the CLDR pattern asks, in the site's language."""
    return locale_data.format_decimal(number, pattern, current_site().language)
