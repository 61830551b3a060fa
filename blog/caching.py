"""The in-process cache (no Redis): Flask-Caching's SimpleCache, bounded by
bytes as well as by entries.

SimpleCache counts entries only, and a page is 10 to 130 KB: 500 of the
largest would hold 65 MB in every worker, and anyone can make new page-cache
keys by adding a query string. This keeps the stored (pickled) values under
CACHE_MAX_MIB per process, dropping the entries closest to expiry first (the
oldest: every entry has the same timeout), as SimpleCache does when over its
count. A value larger than a quarter of the budget is not kept at all: it
would empty the cache for itself.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_caching.backends import SimpleCache


class BoundedSimpleCache(SimpleCache):
    def __init__(self, max_bytes: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.max_bytes = max_bytes

    @classmethod
    def factory(
        cls, app: Flask, config: dict[str, Any], args: list[Any], kwargs: dict[str, Any]
    ) -> BoundedSimpleCache:
        kwargs.update(
            threshold=config["CACHE_THRESHOLD"],
            max_bytes=config["CACHE_MAX_MIB"] * 1024 * 1024,
        )
        return cls(*args, **kwargs)

    def stored_bytes(self) -> int:
        with self._lock:
            return sum(len(value) for _expires, value in self._cache.values())

    def set(self, key: str, value: Any, timeout: Any = None) -> bool | None:
        dumped = self.serializer.dumps(value)
        if len(dumped) > self.max_bytes // 4:
            return False
        with self._lock:
            self._prune()
            self._cache[key] = (self._normalize_timeout(timeout), dumped)
            # Again with the new entry in: the budget holds after the store
            # (the oldest go first, not this one).
            self._prune()
        return True

    def _over_threshold(self) -> bool:
        # Asked before each store (a page rendered, not a page served): summing
        # a few hundred lengths costs microseconds there.
        return super()._over_threshold() or self.stored_bytes() > self.max_bytes
