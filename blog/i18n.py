"""The blog in the site's language: every string readers, commenters and
authors see goes through Flask-Babel's gettext, and dates through Babel's
formats for the language.

The language is the site's (the studio's settings, or BLOG_LANGUAGE): one
blog speaks one language, so a page is the same for every reader and the
page cache and memos stay shared. Catalogues live in blog/translations/
(`make messages` extracts the strings and updates them, `make translations`
compiles them); the compiled .mo files are committed, so a plain install
needs no build step, and a test checks they match the .po files.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from babel.dates import (
    format_date,
    format_skeleton,
    format_time,
    get_datetime_format,
    get_month_names,
)
from flask import Flask
from flask_babel import Babel

from blog.site_settings import current_site

# The locale dates are formatted in, where it is not the language itself:
# the blog has always written English dates day first, 24-hour ("4 December
# 2026, 14:05"), which is Babel's en_GB; its "en" is American.
DATE_LOCALES = {"en": "en_GB"}

# How a template asks for a time: a date, a date and time, a time, the short
# forms for tables, and the long form that names the weekday.
DateStyle = Literal["date", "datetime", "time", "short", "full"]


def init_app(app: Flask) -> None:
    babel = Babel()
    babel.init_app(app, locale_selector=site_language)
    # {% trans %} blocks collapse their whitespace, as the extractor does.
    app.jinja_env.policies["ext.i18n.trimmed"] = True


def site_language() -> str:
    return current_site().language


def date_locale() -> str:
    language = current_site().language
    return DATE_LOCALES.get(language, language)


def localtime(moment: datetime | None, style: DateStyle = "date") -> str:
    """A UTC time in the site's time zone, formatted for its language."""
    if moment is None:
        return ""
    local = moment.astimezone(current_site().zone)
    locale = date_locale()
    if style == "date":
        return format_date(local, "long", locale=locale)
    if style == "time":
        return format_time(local, "HH:mm", locale=locale)
    date_format = {"datetime": "long", "short": "medium", "full": "full"}[style]
    # The locale's own way of joining a date and a time ("{1}, {0}",
    # "{1} 'à' {0}"), with the time to the minute.
    pattern = str(get_datetime_format("medium", locale=locale)).replace("'", "")
    return pattern.replace("{0}", format_time(local, "HH:mm", locale=locale)).replace(
        "{1}", format_date(local, date_format, locale=locale)
    )


def month_name(month: int) -> str:
    """A month's name as it stands alone in the site's language ("décembre")."""
    names = get_month_names("wide", context="stand-alone", locale=date_locale())
    return str(names[month])


def month_and_year(year: int, month: int) -> str:
    """A month of a year as the site's language writes it ("December 2026",
    "décembre 2026")."""
    return format_skeleton("yMMMM", date(year, month, 1), locale=date_locale())
