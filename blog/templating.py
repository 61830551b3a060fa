"""Jinja filters and globals. No queries: templates only present prepared data."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Flask, current_app

from blog.models import Role
from blog.rendering import word_count

WORDS_PER_MINUTE = 220


def init_app(app: Flask) -> None:
    app.jinja_env.filters["localtime"] = localtime
    app.jinja_env.filters["isodate"] = isodate
    app.jinja_env.filters["reading_minutes"] = reading_minutes
    app.jinja_env.globals["Role"] = Role
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True


def site_zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["TIMEZONE"])


def localtime(moment: datetime | None, pattern: str = "%-d %B %Y") -> str:
    """A UTC time shown in the site's time zone."""
    if moment is None:
        return ""
    return moment.astimezone(site_zone()).strftime(pattern)


def isodate(moment: datetime | None) -> str:
    """RFC 3339 in the site's time zone, for <time datetime> and metadata."""
    if moment is None:
        return ""
    return moment.astimezone(site_zone()).isoformat(timespec="seconds")


def reading_minutes(markdown: str) -> int:
    return max(1, round(word_count(markdown) / WORDS_PER_MINUTE))
