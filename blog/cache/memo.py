"""Memos: what every reader is shown alike, computed once per content version.

The page cache holds whole pages for anonymous readers only. A logged-in
reader's page is rendered for them, but most of it is the same for everyone
(the site navigation, an article's own part of its page, a discussion they
take no part in): `remembered()` keeps those parts.

Rules (each enforced by a test):

- The key is the memo's name, the content version, and a fingerprint of the
  code, translations and templates that produce memos and of the theme's
  files (blog/themes.py), computed at start-up: a deploy that changes a
  template, a module, a translation or the theme never reads an old memo
  from a shared cache (Redis).
  Nothing is bumped by hand.
- The version is the one this transaction pinned before its first read
  (blog/cache/version.py), not one read when the memo is asked for: content
  a view loaded earlier is never older than the key it is stored under.
- A memo expires, like a cached page, when a scheduled article's time comes.
- Values must pickle (Redis): strings and plain tuples, never ORM objects.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from flask import Flask, current_app
from jinja2 import Environment

from blog.cache.store import cache_get, cache_set
from blog.cache.version import content_expiry, is_past, pinned_version
from blog.extensions import cache, db

T = TypeVar("T")
PACKAGE = Path(__file__).resolve().parent.parent  # blog/
FINGERPRINT = "blog.memo_fingerprint"  # app.extensions key
THEME_FILES = "blog.theme_files"  # app.extensions key: the theme's digest, if any


def init_app(app: Flask) -> None:
    theme_files = app.extensions.get(THEME_FILES, "")
    app.extensions[FINGERPRINT] = code_fingerprint(app.jinja_env, theme_files)


def code_fingerprint(environment: Environment, theme_files: str = "") -> str:
    """A hash of every template the app can load, of the package's code and
    of the theme's files (their stylesheets' digests are in the pages)."""
    digest = hashlib.sha256(python_sources_digest().encode())
    if theme_files:
        digest.update(theme_files.encode())
    loader = environment.loader
    for name in sorted(loader.list_templates()) if loader else ():
        source, _filename, _uptodate = loader.get_source(environment, name)  # type: ignore[union-attr]
        digest.update(name.encode() + b"\0" + source.encode() + b"\0")
    return digest.hexdigest()[:16]


@functools.cache
def python_sources_digest() -> str:
    """The package's Python code and compiled translations (a page's words)
    as this process loaded them, hashed once."""
    digest = hashlib.sha256()
    sources = [*PACKAGE.rglob("*.py"), *PACKAGE.glob("translations/*/LC_MESSAGES/*.mo")]
    for path in sorted(sources):
        digest.update(str(path.relative_to(PACKAGE)).encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


@dataclass(frozen=True)
class Remembered:
    value: Any
    expires_at: datetime | None  # when the next scheduled article appears

    def is_expired(self) -> bool:
        return is_past(self.expires_at)


def memo_key(name: str, version: int) -> str:
    return f"memo:{current_app.extensions[FINGERPRINT]}:{version}:{name}"


def remembered(name: str, compute: Callable[[], T]) -> T:
    """compute()'s value, computed once per content version and shared by
    every worker (and every host, with Redis)."""
    session = db.session()
    version = pinned_version(session)
    if version is None:  # no state row: nothing can be invalidated
        return compute()
    backend = cache.cache
    key = memo_key(name, version)
    entry: Remembered | None = cache_get(backend, key)
    if entry is None or entry.is_expired():
        # Read before computing, for the same reason as the version.
        expires_at = content_expiry(session)
        entry = Remembered(compute(), expires_at)
        cache_set(backend, key, entry)
    value: T = entry.value
    return value
