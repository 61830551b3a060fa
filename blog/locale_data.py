"""How each language of the blog writes dates and numbers: month and weekday
names, date patterns and the digit-group separator, taken from Babel's CLDR
data into blog/translations/locale.json by `make translations`
(write_table()), and formatted here from that file.

Written by hand because Babel keeps a language's whole CLDR data in memory
once it formats one date with it: 5 MB in every web worker for en_GB (its
root, en and en_001 parents), 6 % of a worker's 80 MB budget, to write a day,
a month and a year. The file holds the handful of fields the blog's five
styles use; a test formats dates with both and compares, and checks the file
is what Babel gives today.
"""

from __future__ import annotations

import functools
import json
import re
import sys
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from blog.config import LANGUAGES

TABLE = Path(__file__).with_name("translations") / "locale.json"
# The locale dates are written in, where it is not the language itself: the
# blog has always written English dates day first, 24-hour ("4 December
# 2026, 14:05"), which is CLDR's en_GB; its "en" is American.
DATE_LOCALES = {"en": "en_GB"}
# How a template asks for a time: a date, a date and time, a time, the short
# forms for tables, and the long form that names the weekday.
DateStyle = Literal["date", "datetime", "time", "short", "full"]
# The CLDR date format each style's date part uses.
DateFormat = Literal["full", "long", "medium"]
DATE_FORMATS: dict[str, DateFormat] = {
    "date": "long",
    "datetime": "long",
    "short": "medium",
    "full": "full",
}
# The pattern fields the styles use, and how each is written.
FIELDS = {"d", "y", "MMMM", "MMM", "LLLL", "EEEE", "HH", "mm"}
FIELD = re.compile(r"%\((\w+)\)s")


def date_locale(language: str) -> str:
    return DATE_LOCALES.get(language, language)


@functools.cache
def table(language: str) -> dict[str, Any]:
    """The language's entry of locale.json, read once."""
    languages: dict[str, dict[str, Any]] = json.loads(TABLE.read_text("utf-8"))
    return languages[language]


def format_moment(local: datetime, style: DateStyle, language: str) -> str:
    """A time already in the site's zone, written the language's way."""
    words = table(language)
    if style == "time":
        return fill(words["time"], local, words)
    date_part = fill(words["dates"][DATE_FORMATS[style]], local, words)
    if style == "date":
        return date_part
    time_part = fill(words["time"], local, words)
    return words["join"].replace("{0}", time_part).replace("{1}", date_part)


def format_month(year: int, month: int, language: str) -> str:
    """ "December 2026", "décembre 2026"."""
    words = table(language)
    return fill(words["month_year"], datetime(year, month, 1), words)


def month_name(month: int, language: str) -> str:
    """A month's name as it stands alone ("décembre")."""
    return str(table(language)["months_alone"][month - 1])


def format_count(number: int, language: str) -> str:
    """A whole number with the language's digit groups ("5,000", "5 000")."""
    return f"{number:,}".replace(",", table(language)["group"])


def format_decimal(number: float, pattern: str, language: str) -> str:
    """A number as a CLDR pattern of the forms "0.0" or "#,##0.00" asks:
    that many decimals, digit groups when it has a comma."""
    decimals = len(pattern.partition(".")[2])
    grouping = "," if "," in pattern else ""
    written = f"{number:{grouping}.{decimals}f}"
    words = table(language)
    swapped = {",": words["group"], ".": words["decimal"]}
    return "".join(swapped.get(character, character) for character in written)


def fill(pattern: str, moment: datetime, words: dict[str, Any]) -> str:
    values = {
        "d": str(moment.day),
        "y": str(moment.year),
        "MMMM": words["months"][moment.month - 1],
        "MMM": words["months_abbr"][moment.month - 1],
        "LLLL": words["months_alone"][moment.month - 1],
        "EEEE": words["weekdays"][moment.weekday()],
        "HH": f"{moment.hour:02d}",
        "mm": f"{moment.minute:02d}",
    }
    return pattern % values


def build_table() -> dict[str, dict[str, Any]]:
    """locale.json's content, from Babel's data (at build time only)."""
    from babel import Locale  # noqa: PLC0415 # never in a web worker
    from babel.dates import get_date_format, get_datetime_format, parse_pattern

    languages = {}
    for language in LANGUAGES:
        locale = Locale.parse(date_locale(language))
        entry = {
            "dates": {
                name: get_date_format(name, locale=locale).format
                for name in sorted(set(DATE_FORMATS.values()))
            },
            "time": parse_pattern("HH:mm").format,
            "join": str(get_datetime_format("medium", locale=locale)).replace("'", ""),
            "month_year": locale.datetime_skeletons["yMMMM"].format,
            "months": [locale.months["format"]["wide"][n] for n in range(1, 13)],
            "months_abbr": [
                locale.months["format"]["abbreviated"][n] for n in range(1, 13)
            ],
            "months_alone": [
                locale.months["stand-alone"]["wide"][n] for n in range(1, 13)
            ],
            "weekdays": [locale.days["format"]["wide"][n] for n in range(7)],
            "group": locale.number_symbols["latn"]["group"],
            "decimal": locale.number_symbols["latn"]["decimal"],
        }
        for pattern in [*entry["dates"].values(), entry["time"], entry["month_year"]]:
            unknown = set(FIELD.findall(pattern)) - FIELDS
            if unknown:
                raise ValueError(f"{language}: cannot write {unknown} of {pattern!r}")
        languages[language] = entry
    return languages


def table_text() -> str:
    text = json.dumps(build_table(), ensure_ascii=False, indent=1, sort_keys=True)
    return text + "\n"


def write_table() -> None:
    """`make translations`: locale.json from Babel's data."""
    TABLE.write_text(table_text(), encoding="utf-8")
    sys.stdout.write(f"wrote {TABLE}\n")
