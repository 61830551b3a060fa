"""The blog: create_app() is the only way to get an application."""

from __future__ import annotations

import logging
import os
from typing import Any

import click
from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from blog import (
    assets,
    cache,
    cli,
    errors,
    faults,
    i18n,
    inputs,
    requestlog,
    security,
    site_settings,
    templating,
    themes,
)
from blog.config import load_config
from blog.database import configure_engine
from blog.extensions import cache as flask_cache
from blog.extensions import csrf, db, limiter, login_manager
from blog.jobs import setup as jobs_setup
from blog.models.base import include_in_migrations, render_migration_item


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app: settings, extensions, blueprints, error pages, commands."""
    # BLOG_INSTANCE_PATH moves the instance folder (database, secret key,
    # uploads) out of the checkout, e.g. to /var/lib/blog.
    instance_path = os.environ.get("BLOG_INSTANCE_PATH")
    app = Flask(
        __name__,
        instance_path=os.path.abspath(instance_path) if instance_path else None,
        instance_relative_config=True,
    )
    load_config(app, test_config)
    site_settings.init_app(app, from_instance_file=test_config is None)
    configure_logging(app)

    db.init_app(app)
    with app.app_context():
        configure_engine(db.engine, app.config)
    init_migrations(app)
    csrf.init_app(app)
    limiter.init_app(app)
    flask_cache.init_app(app)
    init_login(app)
    trust_proxies(app)

    register_blueprints(app)
    assets.init_app(app)
    themes.init_app(app)  # before the cache: its files are in the fingerprint
    errors.init_app(app)
    faults.init_app(app)
    security.init_app(app)
    i18n.init_app(app)
    templating.init_app(app)
    cli.init_app(app)
    jobs_setup.init_app(app)
    # Last: the middleware reads the views' cache rules, and memo keys the
    # templates and filters.
    cache.init_app(app)
    requestlog.init_app(app)  # outermost: every response gets its id and line
    return app


def configure_logging(app: Flask) -> None:
    if not logging.getLogger().handlers:
        logging.basicConfig(
            level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
        )
    # Alembic announces each of its plugins and its dialect at INFO, on every
    # command; "Running upgrade …" lines stay.
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
    logging.getLogger("alembic.runtime.migration").addFilter(quiet_alembic_preamble)


def quiet_alembic_preamble(record: logging.LogRecord) -> bool:
    return not record.getMessage().startswith(("Context impl", "Will assume"))


def init_migrations(app: Flask) -> None:
    """The `flask db` commands, for the command line and tests only: Alembic
    and Mako cost each web worker 11 MB it never uses."""
    if click.get_current_context(silent=True) is None and not app.testing:
        return
    from flask_migrate import Migrate

    Migrate(
        app,
        db,
        directory=cli.MIGRATIONS_DIRECTORY,
        # Batch mode lets Alembic alter tables on SQLite, which lacks most ALTERs.
        render_as_batch=True,
        compare_type=True,
        render_item=render_migration_item,
        include_object=include_in_migrations,
    )


def trust_proxies(app: Flask) -> None:
    """Behind BLOG_PROXY_COUNT proxies, take the client address and scheme from
    their X-Forwarded-For/-Proto headers, so rate limits count real clients.
    X-Forwarded-Host is not trusted: links come from BLOG_SITE_URL."""
    count = app.config["PROXY_COUNT"]
    if count:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=count, x_proto=count
        )


def init_login(app: Flask) -> None:
    from blog.models import AnonymousReader

    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    # No flash: it would give an anonymous visitor a session cookie.
    login_manager.login_message = None
    login_manager.anonymous_user = AnonymousReader
    # Registers the @user_loader, rotates remember tokens, marks personal pages.
    from blog.auth import sessions

    sessions.init_app(app)


def register_blueprints(app: Flask) -> None:
    inputs.init_app(app)  # the int converter, before any rule uses it
    from blog.articles import bp as articles_bp
    from blog.auth import bp as auth_bp
    from blog.comments import bp as comments_bp
    from blog.feeds import bp as feeds_bp
    from blog.site import bp as site_bp
    from blog.studio import bp as studio_bp
    from blog.subscriptions import bp as subscriptions_bp

    blueprints = (
        articles_bp,
        auth_bp,
        comments_bp,
        feeds_bp,
        site_bp,
        studio_bp,
        subscriptions_bp,
    )
    for blueprint in blueprints:
        app.register_blueprint(blueprint)
