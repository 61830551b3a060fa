"""Wiring the cache into an app: called once by create_app, after the
blueprints are registered (the middleware reads their cache rules)."""

from __future__ import annotations

from flask import Flask

from blog.cache import memo, middleware
from blog.cache.version import listen_for_content_changes, watch_site_version
from blog.extensions import db


def init_app(app: Flask) -> None:
    listen_for_content_changes()
    memo.init_app(app)
    with app.app_context():
        engine = db.engine
    site_version = watch_site_version(engine, app.config["SQLITE_BUSY_TIMEOUT"])
    if site_version is not None:
        middleware.init_app(app, site_version)
