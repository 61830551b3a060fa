"""The values of a Markdown file's front matter, each checked and turned into
what an article holds; InvalidInput names the key that is wrong.

Each value's type is checked before anything turns it into text: YAML's
aliases let a few hundred bytes stand for a list nested nine deep, billions
of items that str() or repr() would spell out in full. Where one value is
expected only a scalar is taken; a list or a mapping is refused unread."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from blog.errors import InvalidInput
from blog.models import Article, ArticleKind, ArticleStatus, utcnow
from blog.site_settings import current_site

DATE_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d")
# YAML's scalars as PyYAML's safe loader makes them (a datetime is a date).
SCALARS = (str, int, float, bool, date)


def is_scalar(value: Any) -> bool:
    return isinstance(value, SCALARS)


def text_value(meta: dict[str, Any], key: str, *, required: bool = True) -> str:
    value = meta.get(key)
    if value is not None and not is_scalar(value):
        raise InvalidInput(f"the front matter's {key} must be text")
    if value is None or str(value).strip() == "":
        if required:
            raise InvalidInput(f"the front matter has no {key}")
        return ""
    return str(value).strip()


def tag_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [name.strip() for name in value.split(",")]
    if isinstance(value, list) and all(is_scalar(name) for name in value):
        return [str(name) for name in value]
    raise InvalidInput(
        "the front matter's tags must be a list of names or comma-separated"
    )


def kind_value(value: Any) -> ArticleKind:
    """`type: page` makes a standalone page; anything else is refused."""
    if value is None:
        return ArticleKind.ARTICLE
    if not is_scalar(value):
        raise InvalidInput("the front matter's type must be article or page")
    try:
        return ArticleKind(str(value).strip().lower())
    except ValueError as error:
        raise InvalidInput(
            f"the front matter's type {value!r} is not article or page"
        ) from error


def status_value(value: Any) -> ArticleStatus:
    if value is None:
        return ArticleStatus.PUBLISHED
    if not is_scalar(value):
        raise InvalidInput("the front matter's status must be draft or published")
    try:
        return ArticleStatus(str(value).strip().lower())
    except ValueError as error:
        raise InvalidInput(
            f"the front matter's status {value!r} is not draft or published"
        ) from error


def publication_time(value: Any, existing: Article | None) -> datetime:
    """The front matter's date in the site's time zone, as UTC; without one, an
    article keeps its time and a new one is published now."""
    if value is None:
        return existing.published_at if existing and existing.published_at else utcnow()
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime.combine(value, time())
    elif is_scalar(value):
        moment = parse_date_text(str(value))
    else:
        raise InvalidInput(
            "the front matter's date must be a date like 2026-10-02 09:30"
        )
    if moment.tzinfo is None:
        # Only then: the site's settings name their logo by URL, which a
        # command without SERVER_NAME cannot build once a logo is set.
        moment = moment.replace(tzinfo=current_site().zone)
    return moment


def parse_date_text(text: str) -> datetime:
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text.strip(), pattern)
        except ValueError:
            continue
    try:
        return datetime.fromisoformat(text.strip())
    except ValueError as error:
        raise InvalidInput(
            f"the front matter's date {text!r} is not a date like 2026-10-02 09:30"
        ) from error


def is_past(moment: datetime | None) -> bool:
    return moment is not None and moment <= utcnow()


def flag_value(meta: dict[str, Any], key: str, default: bool) -> bool:
    value = meta.get(key)
    if value is None:
        return default
    if not isinstance(value, bool):
        raise InvalidInput(f"the front matter's {key} must be true or false")
    return value


def time_value(meta: dict[str, Any], key: str) -> datetime | None:
    """An exported time (ISO 8601 with its offset); None when absent."""
    value = meta.get(key)
    if value is None:
        return None
    return publication_time(value, None)
