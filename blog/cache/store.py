"""Reading and writing the cache so that an unreachable cache (Redis down)
costs a rendering, never a failed page."""

from __future__ import annotations

import logging
import pickle
from typing import Any

from flask import Flask
from flask_caching.backends.base import BaseCache

from blog.extensions import cache

log = logging.getLogger(__name__)


def backend_of(app: Flask) -> BaseCache:
    """The app's cache backend (Flask-Caching's public `cache.cache` needs
    an app context; the middleware runs outside one)."""
    backend: BaseCache = app.extensions["cache"][cache]
    return backend


def cache_get(backend: BaseCache, key: str) -> Any:
    """What the cache holds under key, or None."""
    try:
        return backend.get(key)
    except Exception:  # the backends raise their own connection errors
        log.warning("cache unreachable; reading %s", key, exc_info=True)
        return None


def cache_set(backend: BaseCache, key: str, value: Any) -> None:
    """Store the value; a value that cannot be stored (it does not pickle)
    is a mistake in our code and raises, rather than costing every request
    a rendering unnoticed."""
    try:
        backend.set(key, value)
    except (pickle.PicklingError, TypeError, AttributeError):
        raise
    except Exception:
        log.warning("cache unreachable; not storing %s", key, exc_info=True)
