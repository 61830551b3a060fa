"""Caching: the content version, the anonymous-page middleware, memos, the
bounded backend. docs/ARCHITECTURE.md tells how they fit together."""

from blog.cache.memo import remembered
from blog.cache.rules import exempt_blueprint, not_cached, public_feed, public_page
from blog.cache.setup import init_app

__all__ = [
    "exempt_blueprint",
    "init_app",
    "not_cached",
    "public_feed",
    "public_page",
    "remembered",
]
