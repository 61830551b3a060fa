"""What readers see is declared on the models, and every change to it moves
the content version that cached pages and memos are keyed by.

The first test is the guard against forgetting: it changes every column of
every private model (one that is not `PublicContent`) and fails when an
anonymous page or feed changed but the version did not, i.e. when a field
readers see is not marked `info=PUBLIC`. The public pages are found from the
URL map, so a new public page is covered without being listed here.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import inspect, select
from sqlalchemy.orm import ColumnProperty, Mapper

from blog.cache.rules import cacheable_endpoints
from blog.cache.version import shown_fields
from blog.extensions import db
from blog.models import Base, SiteState, User, utcnow
from blog.models.public import is_public_model
from tests.factories import make_tag, make_user
from tests.public_pages import add_small_site, public_urls


@pytest.fixture
def site(app_factory) -> Flask:
    """The small site on an app without a cache, so every request renders
    afresh whatever the version says."""
    return add_small_site(
        app_factory(CACHE_TYPE="NullCache", CACHE_NO_NULL_WARNING=True)
    )


def render_public_pages(app: Flask, urls: list[str]) -> dict[str, bytes]:
    client = app.test_client()
    return {url: client.get(url).data for url in urls}


def content_version(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(SiteState.content_version))


def changed_value(value: Any, column: Any) -> Any:
    """A different value of the column's type, within its length."""
    # A TypeDecorator (UTCDateTime) answers for the type it stores as.
    python_type = getattr(column.type, "impl", column.type).python_type
    if isinstance(value, enum.Enum):
        return next(member for member in type(value) if member is not value)
    if python_type is bool:
        return not value
    if python_type is int:
        return (value or 0) + 1
    if python_type is datetime:
        return (value or utcnow()) - timedelta(days=3)
    if isinstance(value, dict):  # a JSON column
        return {**(value or {}), "changed": True}
    if isinstance(value, list):  # a JSON column
        return [*value, 1]
    if python_type is str:
        length = getattr(column.type, "length", None) or 10_000
        text = f"{value or ''}z"
        return text if len(text) <= length else text[:-2] + "z"
    raise AssertionError(f"teach changed_value() about {column} ({python_type})")


def changeable_columns(mapper: Mapper[Any]) -> Iterator[ColumnProperty[Any]]:
    """Columns of the mapper that hold data (not keys: rows and links)."""
    for attribute in mapper.column_attrs:
        column = attribute.columns[0]
        if column.primary_key or column.foreign_keys:
            continue
        yield attribute


def private_models() -> list[Mapper[Any]]:
    return [
        mapper
        for mapper in Base.registry.mappers
        if not is_public_model(mapper.class_) and mapper.class_ is not SiteState
    ]


def unmarked_public_fields(app: Flask) -> list[str]:
    """Each column of a private model whose change showed on a public page
    without moving the content version."""
    client = app.test_client()
    urls = [url for url in public_urls(app) if client.get(url).status_code == 200]
    pages, unmarked = render_public_pages(app, urls), []
    for mapper in private_models():
        for attribute in changeable_columns(mapper):
            version = content_version(app)
            with app.app_context():
                row = db.session.scalars(select(mapper.class_).limit(1)).first()
                assert row is not None, f"the site has no {mapper.class_.__name__}"
                old = getattr(row, attribute.key)
                setattr(row, attribute.key, changed_value(old, attribute.columns[0]))
                db.session.commit()
            before, pages = pages, render_public_pages(app, urls)
            shown = [url for url in urls if pages[url] != before[url]]
            if shown and content_version(app) == version:
                unmarked.append(f"{mapper.class_.__name__}.{attribute.key} {shown}")
    return unmarked


def test_every_field_readers_see_moves_the_content_version(site) -> None:
    assert unmarked_public_fields(site) == []


def test_the_check_finds_a_public_field_left_unmarked(site, monkeypatch) -> None:
    column = inspect(User).column_attrs["display_name"].columns[0]
    monkeypatch.setattr(column, "info", {})
    shown_fields.cache_clear()
    try:
        found = unmarked_public_fields(site)
    finally:
        shown_fields.cache_clear()
    assert [entry.split()[0] for entry in found] == ["User.display_name"]


def test_every_public_page_is_checked(site) -> None:
    client = site.test_client()
    answered = {
        site.url_map.bind("blog.test").match(url.split("?")[0])[0]
        for url in public_urls(site)
        if client.get(url).status_code == 200
    }
    assert answered == cacheable_endpoints(site)


PUBLIC_MODELS = sorted(
    (
        mapper.class_
        for mapper in Base.registry.mappers
        if is_public_model(mapper.class_)
    ),
    key=lambda model: model.__name__,
)


@pytest.mark.parametrize("model", PUBLIC_MODELS, ids=lambda model: model.__name__)
def test_any_change_to_a_public_model_moves_the_version(site, model) -> None:
    for attribute in changeable_columns(inspect(model)):
        version = content_version(site)
        with site.app_context():
            row = db.session.scalars(select(model).limit(1)).one()
            old = getattr(row, attribute.key)
            setattr(row, attribute.key, changed_value(old, attribute.columns[0]))
            db.session.commit()
        assert content_version(site) > version, f"{model.__name__}.{attribute.key}"


def test_adding_and_deleting_public_rows_moves_the_version(site) -> None:
    version = content_version(site)
    with site.app_context():
        make_tag("new")
    assert content_version(site) > version
    version = content_version(site)
    with site.app_context():
        db.session.delete(
            db.session.scalars(select(User).where(User.slug == "rex")).one()
        )
        db.session.commit()
    assert content_version(site) > version


def test_a_new_account_or_a_login_leaves_the_version(site, client) -> None:
    version = content_version(site)
    with site.app_context():
        user = make_user()
        user.last_login_at = utcnow()
        db.session.commit()
    assert content_version(site) == version
