"""Settings: defaults, their load order, and the one place they are normalised."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import Flask

from blog import config_mail, ratelimit
from blog.colors import DEFAULT_ACCENT, AccentColourError, accent_from
from blog.config_mail import MailAndQueueSettings, mail_setting_problems


class DefaultConfig(MailAndQueueSettings):
    """Every setting the blog reads, with its default. Override in
    instance/config.py or with a BLOG_-prefixed environment variable."""

    # Name shown in the header, page titles and feeds.
    SITE_NAME = "Blog"
    # A line under the name on the home page, and the footer's description.
    SITE_TAGLINE = "Articles, notes and conversations"
    # A sentence or two: home page, footer, search engines and link previews.
    SITE_DESCRIPTION = (
        "New writing, published here first and followed by feed;"
        " every article is open for comments."
    )
    # The colour of links, buttons and the focus ring (#rrggbb). It must have
    # a contrast of 4.5:1 with the page; dark mode uses a lighter step of it.
    ACCENT_COLOR = DEFAULT_ACCENT
    # The public address of every absolute link (mail, feeds, canonical), never
    # a request's Host header. Set it in production (https://blog.example.org).
    SITE_URL = "http://127.0.0.1:5000"
    # IANA time zone in which pages show times and authors schedule articles.
    TIMEZONE = "UTC"
    # The blog's language (words, dates, <html lang>, feeds): en or fr.
    LANGUAGE = "en"
    # Templates and static files that replace the built-in ones (docs/THEMES.md).
    THEME_FOLDER = "theme"
    # SQLAlchemy URL; empty = a SQLite file blog.sqlite in the instance folder.
    DATABASE_URL = ""
    # Seconds a write waits for a lock before the user gets a 503 with their
    # text kept (SQLite's busy timeout, PostgreSQL's lock_timeout). Under load
    # a comment holds SQLite's lock for about a millisecond.
    SQLITE_BUSY_TIMEOUT = 4
    # Seconds to wait for PostgreSQL to accept a connection.
    DATABASE_CONNECT_TIMEOUT = 3
    # SQLite's page cache per connection, and how much of the file is read
    # through mmap, in MiB. Measured in-process on the bench data set (20 MB
    # file, 2026-11-25, medians of 300 requests, pages not cached): with
    # 1/0, 2/0, 8/0, 2/64 and 8/64 a logged-in article took 3.5-3.8 ms, a
    # 200-comment article 9.0-11.2 ms, an uncached search 20-24 ms; the
    # run-to-run noise was larger than any difference. Under gunicorn a 1 MiB
    # cache left each worker 1 MiB smaller after the read cases than 2 MiB
    # (SQLite's default), and an mmap window adds the file pages it touches to
    # every worker's resident memory: 1 and 0.
    SQLITE_CACHE_MIB = 1
    SQLITE_MMAP_MIB = 0
    # Request threads in each web worker process (gunicorn.conf.py reads the
    # same BLOG_THREADS); a server database's connection pool is sized to it.
    THREADS = 1
    # Redis URL for caches and rate limits; empty = in-process.
    REDIS_URL = ""
    # Without Redis, what each worker process may hold of cached pages, in
    # MiB. The bench's pages and feeds take about 1 MiB; a worker is ~75 MiB.
    CACHE_MAX_MIB = 8
    # Whether anyone may create a reader account.
    REGISTRATION_OPEN = True
    # Comment moderation: "first" (a user's first comment waits), "all" or "none".
    COMMENT_MODERATION = "first"
    # How often one user may comment (Flask-Limiter syntax); lift it for load tests.
    COMMENT_RATE_LIMIT = "5/minute;50/day"
    # Failed logins one account may take from addresses that never logged in
    # to it, together. Above what one address may fail in any hour (50 an
    # hour, so at most 100 across two of its windows): only guessing spread
    # over many addresses meets it (blog/auth/routes.py).
    RATELIMIT_LOGIN_ACCOUNT_CEILING = "150/hour"
    # A WebSub hub to ping when feeds change; empty = none.
    WEBSUB_HUB = ""
    # Articles per listing page.
    ARTICLES_PER_PAGE = 10
    # Accounts and articles per page in the studio.
    USERS_PER_PAGE = 50
    STUDIO_ARTICLES_PER_PAGE = 25
    # Comments per page of the studio's moderation queue.
    MODERATION_COMMENTS_PER_PAGE = 50
    # Images per page of the studio's uploads.
    UPLOADS_PER_PAGE = 25
    # Largest image upload, in bytes.
    UPLOAD_MAX_BYTES = 5 * 1024 * 1024
    # Largest decoded image, in bytes (width × height × bytes a pixel), checked
    # from the header before decoding: a 24-megapixel photo takes 72 MB.
    UPLOAD_MAX_DECODED_BYTES = 128 * 1024 * 1024
    # Address-space ceiling of the short-lived process that decodes an upload
    # (blog/articles/image_process.py); the web worker itself never decodes.
    UPLOAD_MEMORY_LIMIT = 512 * 1024 * 1024
    # Largest request body accepted, in bytes: an upload plus its form fields.
    MAX_CONTENT_LENGTH = 5 * 1024 * 1024 + 64 * 1024
    # How many proxies in front set X-Forwarded-For/-Proto (0 = none, trust nothing).
    PROXY_COUNT = 0
    # Serve cookies with the Secure flag (set when the site is behind HTTPS).
    HTTPS = False
    # One log line per request (method, path, status, duration, request id).
    REQUEST_LOG = True

    # Library settings that follow from the blog's rules.
    SQLALCHEMY_TRACK_MODIFICATIONS = False
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_DURATION = 60 * 60 * 24 * 30  # thirty days
    # A form left open all afternoon still posts; a token never outlives its
    # session either (logging out clears the secret it is made from).
    WTF_CSRF_TIME_LIMIT = 12 * 60 * 60
    JSON_SORT_KEYS = False


BOOLEAN_SETTINGS = (
    "REGISTRATION_OPEN",
    "HTTPS",
    "REQUEST_LOG",
    "TESTING",
    *config_mail.BOOLEAN_MAIL_SETTINGS,
)
INTEGER_SETTINGS = (
    "ARTICLES_PER_PAGE",
    "USERS_PER_PAGE",
    "STUDIO_ARTICLES_PER_PAGE",
    "MODERATION_COMMENTS_PER_PAGE",
    "UPLOADS_PER_PAGE",
    "MAX_CONTENT_LENGTH",
    "UPLOAD_MAX_BYTES",
    "UPLOAD_MAX_DECODED_BYTES",
    "UPLOAD_MEMORY_LIMIT",
    "SQLITE_BUSY_TIMEOUT",
    "DATABASE_CONNECT_TIMEOUT",
    "SQLITE_CACHE_MIB",
    "CACHE_MAX_MIB",
    "SQLITE_MMAP_MIB",
    "THREADS",
    "PROXY_COUNT",
    *config_mail.INTEGER_MAIL_SETTINGS,
)
STRING_SETTINGS = (
    "LANGUAGE",
    "SITE_NAME",
    "SITE_TAGLINE",
    "SITE_DESCRIPTION",
    "ACCENT_COLOR",
    "SITE_URL",
    "DATABASE_URL",
    "REDIS_URL",
    "SECRET_KEY",
    "COMMENT_RATE_LIMIT",
    "WEBSUB_HUB",
    "THEME_FOLDER",
    *config_mail.STRING_MAIL_SETTINGS,
)
MODERATION_POLICIES = ("first", "all", "none")
# Languages blog/translations/ translates completely, in their own words.
LANGUAGES = {"en": "English", "fr": "Français"}
SECRET_KEY_FILE = "secret_key"  # noqa: S105 - a file name, not a secret


class ConfigError(RuntimeError):
    """A setting has a value the blog cannot run with."""


def load_config(app: Flask, test_config: dict[str, Any] | None) -> None:
    """Load settings in their documented order, then normalise them."""
    app.config.from_object(DefaultConfig)
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("BLOG")
    if test_config is not None:
        app.config.from_mapping(test_config)
    normalise_config(app)


def normalise_config(app: Flask) -> None:
    """Coerce types that from_prefixed_env parsed as JSON, check values, derive
    the SQLAlchemy and cookie settings."""
    config = app.config
    for key in BOOLEAN_SETTINGS:
        config[key] = to_bool(config.get(key, False))
    for key in INTEGER_SETTINGS:
        config[key] = int(config[key])
    for key in STRING_SETTINGS:
        if config.get(key) is not None:
            config[key] = str(config[key])
    config["SITE_URL"] = config["SITE_URL"].rstrip("/")
    if not config["SITE_URL"].startswith(("http://", "https://")):
        raise ConfigError("BLOG_SITE_URL must be an http:// or https:// address")
    choices = {"COMMENT_MODERATION": MODERATION_POLICIES, "LANGUAGE": LANGUAGES}
    for key, allowed in choices.items():
        if config[key] not in allowed:
            raise ConfigError(f"BLOG_{key} must be one of {', '.join(allowed)}")
    if problems := mail_setting_problems(config):
        raise ConfigError(problems[0])
    try:
        ZoneInfo(config["TIMEZONE"])
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ConfigError(f"BLOG_TIMEZONE {config['TIMEZONE']!r} is unknown") from error
    try:
        config["ACCENT"] = accent_from(config["ACCENT_COLOR"] or DEFAULT_ACCENT)
    except AccentColourError as error:
        raise ConfigError(f"BLOG_ACCENT_COLOR: {error}") from error
    config["SESSION_COOKIE_SECURE"] = config["HTTPS"]
    config["REMEMBER_COOKIE_SECURE"] = config["HTTPS"]
    configure_database(app)
    ratelimit.configure_storage(config, app.instance_path)
    configure_cache(config)
    if not config.get("SECRET_KEY"):
        config["SECRET_KEY"] = read_or_create_secret_key(Path(app.instance_path))


def to_bool(value: object) -> bool:
    """A boolean the way an operator writes one in an environment variable."""
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true", "yes", "on"}
    return bool(value)


def configure_database(app: Flask) -> None:
    """Derive SQLALCHEMY_DATABASE_URI and engine options from DATABASE_URL."""
    config = app.config
    url = config["DATABASE_URL"] or config.get("SQLALCHEMY_DATABASE_URI") or ""
    if not url:
        url = "sqlite:///" + str(Path(app.instance_path) / "blog.sqlite")
    config["SQLALCHEMY_DATABASE_URI"] = with_psycopg_driver(url)
    options = dict(config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    connect_args = options["connect_args"] = dict(options.get("connect_args") or {})
    if url.startswith("sqlite"):
        # sqlite3's own busy handler waits this long before "database is locked".
        connect_args.setdefault("timeout", config["SQLITE_BUSY_TIMEOUT"])
    else:
        connect_args.setdefault("connect_timeout", config["DATABASE_CONNECT_TIMEOUT"])
        options.setdefault("pool_pre_ping", True)
        # Each request thread holds one connection; an embedded queue
        # consumer's threads may hold the overflow. Per worker process, so
        # workers x (THREADS + 2) stays far below PostgreSQL's 100.
        options.setdefault("pool_size", config["THREADS"])
        options.setdefault("max_overflow", config["QUEUE_THREADS"])
    config["SQLALCHEMY_ENGINE_OPTIONS"] = options


def configure_cache(config: dict[str, Any]) -> None:
    """Flask-Caching: Redis shared by every host when there is one, else a
    per-process dictionary."""
    if config["REDIS_URL"]:
        config.setdefault("CACHE_TYPE", "RedisCache")
        config.setdefault("CACHE_REDIS_URL", config["REDIS_URL"])
    else:
        config.setdefault("CACHE_TYPE", "blog.cache.backend.BoundedCache")
        config.setdefault("CACHE_THRESHOLD", 500)
    config.setdefault("CACHE_KEY_PREFIX", "blog:")
    config.setdefault("CACHE_DEFAULT_TIMEOUT", 3600)


def with_psycopg_driver(url: str) -> str:
    """Point plain PostgreSQL URLs at psycopg 3, the driver we install;
    SQLAlchemy would otherwise look for psycopg2."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def read_or_create_secret_key(instance_path: Path) -> str:
    """Return the instance's secret key, creating it once with mode 0600."""
    instance_path.mkdir(parents=True, exist_ok=True)
    key_path = instance_path / SECRET_KEY_FILE
    if not key_path.exists():
        # Write a private temporary file, then link it into place: the link fails
        # if another worker won the race, so every process agrees on one full key.
        temporary = instance_path / f".{SECRET_KEY_FILE}.{os.getpid()}"
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as key_file:
            key_file.write(secrets.token_hex(32))
        try:
            os.link(temporary, key_path)
        except FileExistsError:
            pass
        finally:
            temporary.unlink()
    try:
        key = key_path.read_text().strip()
    except OSError as error:
        raise ConfigError(f"cannot read the secret key file {key_path}") from error
    if not key:
        raise ConfigError(f"the secret key file {key_path} is empty; delete it")
    return key
