"""The declarative base every model shares, and the aware-UTC time type."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial

from sqlalchemy import DateTime, MetaData
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, registry
from sqlalchemy.types import TypeDecorator

# Named constraints let Alembic alter and drop them, on SQLite in batch mode too.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


# The clock every part of the blog reads; tests replace it to move time.
clock: Callable[[], datetime] = partial(datetime.now, UTC)


def utcnow() -> datetime:
    """The current time, aware, in UTC."""
    return clock()


class UTCDateTime(TypeDecorator[datetime]):
    """Stores times in UTC and always hands back aware datetimes.

    PostgreSQL keeps the zone in timestamptz; SQLite stores text without one, so
    values are converted to naive UTC on the way in and made aware on the way out.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: object, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, datetime) or value.tzinfo is None:
            raise ValueError(f"expected an aware datetime, got {value!r}")
        utc = value.astimezone(UTC)
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(
        self, value: datetime | None, dialect: Dialect
    ) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    # One registry carrying the naming convention and the time type. Set as a
    # registry rather than class attributes because Flask-SQLAlchemy subclasses
    # this base, and SQLAlchemy refuses a per-subclass type_annotation_map.
    registry = registry(
        metadata=MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime()},
    )


class TimestampMixin:
    """created_at / updated_at in UTC. Services set updated_at when the content
    changes, not on every row write: a new comment count is no edit."""

    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


def render_migration_item(type_: str, obj: object, _context: object) -> str | bool:
    """Alembic writes UTCDateTime columns as the plain DateTime(timezone=True)
    they are stored as, so migrations never import the app's code."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def include_in_migrations(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    """Alembic leaves the search table and index alone: they are built by hand
    in the migrations (see models/search.py)."""
    from blog.models.search import is_search_object

    return not is_search_object(name)
