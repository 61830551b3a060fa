"""Every feed's validators (ETag and Last-Modified) from one cheap query
(queries.py), answered before anything is rendered.

The query returns a row for the scope (none when the category, tag, author
or article is unknown: a 404), joined to the feed's newest items with only
the columns that decide how they look (ids, slugs, times, names). Hashing
those rows gives the ETag, so a publish, an edit, a slug change, a comment
shown or hidden, or a scheduled article whose time has come changes it: the
query compares published_at with the time it runs, so no cron is needed.

Last-Modified is the newest change: of the items shown, the later of their
update and publication times (comments: creation and edit times); and, so
that it never goes backwards when an article leaves a feed (unpublished,
rescheduled), the newest update among the scope's articles that are not
public now, capped at now. The article services stamp updated_at on every
status change, so an unpublish moves Last-Modified forward. The price:
saving a draft also moves its scope's validators, costing subscribers one
download; never a wrong 304.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Row

from blog.extensions import db
from blog.feeds.queries import (
    ArticleScope,
    CommentScope,
    select_article_validators,
    select_comment_validators,
)
from blog.models import utcnow

# The Last-Modified of a feed that has never had anything in it.
NEVER = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class FeedValidators:
    etag: str
    last_modified: datetime
    # The category or tag name, author name or article title; "" for the site.
    scope_name: str
    item_ids: tuple[int, ...]


def article_feed_validators(scope: ArticleScope, salt: str) -> FeedValidators | None:
    """The validators of an article feed, or None when its scope is unknown.
    salt names the representation (format, site address, settings)."""
    now = utcnow()
    rows = db.session.execute(select_article_validators(scope, now)).all()
    if not rows:
        return None
    shown = [row for row in rows if row.item_id is not None]
    changes = [
        max(row.updated_at, row.published_at, row.author_profile_change or NEVER)
        for row in shown
    ]
    # Unpublished or scheduled articles' changes, and the author's profile
    # (their feed's description and image).
    hidden = (rows[0].draft_change, rows[0].scheduled_change, rows[0].profile_change)
    changes += [min(change, now) for change in hidden if change is not None]
    return validators_of(rows, shown, changes, salt)


def comment_feed_validators(scope: CommentScope, salt: str) -> FeedValidators | None:
    """The validators of a comment feed, or None when its article is unknown
    or not public."""
    now = utcnow()
    rows = db.session.execute(select_comment_validators(scope, now)).all()
    if not rows:
        return None
    shown = [row for row in rows if row.item_id is not None]
    changes = [max(row.created_at, row.edited_at or row.created_at) for row in shown]
    if rows[0].withdrawn_change is not None:
        changes.append(min(rows[0].withdrawn_change, now))
    return validators_of(rows, shown, changes, salt)


def validators_of(
    rows: Sequence[Row[*tuple[Any, ...]]],
    shown: Sequence[Row[*tuple[Any, ...]]],
    changes: list[datetime],
    salt: str,
) -> FeedValidators:
    last_modified = max(changes, default=NEVER).replace(microsecond=0)
    material = repr((salt, last_modified, [tuple(row) for row in rows]))
    return FeedValidators(
        etag=hashlib.sha256(material.encode()).hexdigest()[:32],
        last_modified=last_modified,
        scope_name=rows[0].scope_name or "",
        item_ids=tuple(row.item_id for row in shown),
    )
