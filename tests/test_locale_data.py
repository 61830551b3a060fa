"""Dates and numbers are written each language's way: what the blog writes
from its small table (blog/locale_data.py) is what Babel writes from the
whole CLDR data, and the table is what Babel gives today."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from babel.dates import (
    format_date,
    format_skeleton,
    format_time,
    get_datetime_format,
    get_month_names,
)
from babel.numbers import format_decimal

from blog import locale_data
from blog.config import LANGUAGES

# Every month, every weekday, midnight and a minute before it, a leap day.
MOMENTS = [
    datetime(2026, 1, 1, 0, 0, tzinfo=UTC)
    + timedelta(days=31 * n, hours=n, minutes=7 * n)
    for n in range(14)
] + [datetime(2028, 2, 29, 23, 59, tzinfo=UTC)]
BABEL_FORMATS = {"date": "long", "datetime": "long", "short": "medium", "full": "full"}


def babel_writes(moment: datetime, style: str, locale: str) -> str:
    """What the blog wrote with Babel itself before the table."""
    time = format_time(moment, "HH:mm", locale=locale)
    if style == "time":
        return time
    date = format_date(moment, BABEL_FORMATS[style], locale=locale)
    if style == "date":
        return date
    join = str(get_datetime_format("medium", locale=locale)).replace("'", "")
    return join.replace("{0}", time).replace("{1}", date)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("style", ["date", "datetime", "time", "short", "full"])
def test_the_blog_writes_dates_as_babel_does(language, style) -> None:
    locale = locale_data.date_locale(language)
    for moment in MOMENTS:
        assert locale_data.format_moment(moment, style, language) == babel_writes(
            moment, style, locale
        )


@pytest.mark.parametrize("language", LANGUAGES)
def test_months_and_numbers_are_written_as_babel_does(language) -> None:
    locale = locale_data.date_locale(language)
    standalone = get_month_names("wide", context="stand-alone", locale=locale)
    for month in range(1, 13):
        assert locale_data.month_name(month, language) == standalone[month]
        assert locale_data.format_month(2026, month, language) == format_skeleton(
            "yMMMM", datetime(2026, month, 1), locale=locale
        )
    for number in (0, 7, 999, 5000, 1234567):
        assert locale_data.format_count(number, language) == format_decimal(
            number, locale=locale
        )
    for number in (0.04, 1.25, 12.5, 1023.96, 98765.4321):
        for pattern in ("0.0", "#,##0.00"):
            assert locale_data.format_decimal(
                number, pattern, language
            ) == format_decimal(number, pattern, locale=locale), (number, pattern)


def test_the_table_is_what_babel_gives_today() -> None:
    assert locale_data.TABLE.read_text("utf-8") == locale_data.table_text(), (
        "run `make translations`"
    )


def test_french_dates_read_as_french() -> None:
    moment = datetime(2026, 8, 14, 9, 5, tzinfo=UTC)
    assert (
        locale_data.format_moment(moment, "full", "fr")
        == "vendredi 14 août 2026, 09:05"
    )
    assert locale_data.format_moment(moment, "date", "en") == "14 August 2026"
