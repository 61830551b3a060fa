"""The in-process cache (no Redis): least recently used entries go first, and
the store is bounded by bytes as well as by entries.

Flask-Caching's SimpleCache counts entries only, and a page is 10 to 130 KB:
500 of the largest would hold 65 MB in every worker, and anyone can make new
page-cache keys by adding a query string. This keeps the stored (pickled)
values under CACHE_MAX_MIB per process and the entries under CACHE_THRESHOLD,
dropping the least recently used first. A value larger than a quarter of the
budget is not kept at all: it would empty the cache for itself.

It is written against BaseCache's public interface (get, set, add, delete,
has, clear: all Flask-Caching's Cache calls) rather than as a SimpleCache
subclass, because bounding SimpleCache by bytes meant reaching into its
private dictionary, lock and pruning, which any cachelib release may change.
"""

from __future__ import annotations

import pickle
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from flask import Flask
from flask_caching.backends.base import BaseCache

Timeout = int | float | timedelta | None


@dataclass(frozen=True, slots=True)
class Entry:
    """One pickled value and the monotonic time it stops being served."""

    data: bytes
    expires_at: float | None  # None: kept until evicted (a timeout of 0)

    def is_live(self) -> bool:
        return self.expires_at is None or time.monotonic() < self.expires_at


class BoundedCache(BaseCache):
    """A thread-safe LRU cache holding at most `threshold` entries and
    `max_bytes` of pickled values."""

    def __init__(
        self,
        threshold: int = 500,
        max_bytes: int = 8 * 1024 * 1024,
        default_timeout: int = 300,
        ignore_delete_many_errors: bool = False,
    ) -> None:
        super().__init__(
            default_timeout=default_timeout,
            ignore_delete_many_errors=ignore_delete_many_errors,
        )
        self.threshold = threshold
        self.max_bytes = max_bytes
        # Oldest use first: a read or a store moves its key to the end.
        self._entries: OrderedDict[str, Entry] = OrderedDict()
        self._bytes = 0
        # Reentrant: add() and inc() call set() and get() while holding it.
        self._lock = threading.RLock()

    @classmethod
    def factory(
        cls, app: Flask, config: dict[str, Any], args: list[Any], kwargs: dict[str, Any]
    ) -> BoundedCache:
        """How Flask-Caching builds the backend named by CACHE_TYPE; kwargs
        already hold CACHE_DEFAULT_TIMEOUT."""
        kwargs.update(
            threshold=config["CACHE_THRESHOLD"],
            max_bytes=config["CACHE_MAX_MIB"] * 1024 * 1024,
        )
        return cls(*args, **kwargs)

    def stored_bytes(self) -> int:
        """The size of every pickled value held, expired or not."""
        with self._lock:
            return self._bytes

    def get(self, key: str) -> Any:
        with self._lock:
            entry = self._live_entry(key)
            if entry is None:
                return None
            self._entries.move_to_end(key)
        return pickle.loads(entry.data)  # nosec B301 # noqa: S301 - our own pickles

    def has(self, key: str) -> bool:
        with self._lock:
            return self._live_entry(key) is not None

    def set(self, key: str, value: Any, timeout: Timeout = None) -> bool:
        """Store the value, or refuse (False) one over a quarter of the
        budget; either way no older value stays under the key."""
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        expires_at = self._expiry(timeout)
        with self._lock:
            self._discard(key)
            if len(data) > self.max_bytes // 4:
                return False
            self._entries[key] = Entry(data, expires_at)
            self._bytes += len(data)
            # After the store, so the budget holds with the new entry in; it
            # is the most recently used, so the others go first.
            self._evict_over_bounds()
            return True

    def add(self, key: str, value: Any, timeout: Timeout = None) -> bool:
        with self._lock:
            if self._live_entry(key) is not None:
                return False
            return self.set(key, value, timeout)

    def delete(self, key: str) -> bool:
        with self._lock:
            return self._discard(key) is not None

    def clear(self) -> bool:
        with self._lock:
            self._entries.clear()
            self._bytes = 0
            return True

    def inc(self, key: str, delta: int = 1) -> int | None:
        # BaseCache reads then writes: hold the lock so no other thread's
        # increment is lost between the two.
        with self._lock:
            return super().inc(key, delta)

    def dec(self, key: str, delta: int = 1) -> int | None:
        with self._lock:
            return super().dec(key, delta)

    def _expiry(self, timeout: Timeout) -> float | None:
        """When a value stored now stops being served; None for never (a
        timeout of 0, as everywhere in Flask-Caching)."""
        if timeout is None:
            timeout = self.default_timeout
        seconds = timeout.total_seconds() if isinstance(timeout, timedelta) else timeout
        if seconds == 0:
            return None
        return time.monotonic() + seconds

    def _live_entry(self, key: str) -> Entry | None:
        """The key's entry if it has not expired; an expired one is dropped
        here, so it stops counting against the budget. Call with the lock."""
        entry = self._entries.get(key)
        if entry is not None and not entry.is_live():
            self._discard(key)
            return None
        return entry

    def _discard(self, key: str) -> Entry | None:
        """Remove the key's entry, live or not. Call with the lock held."""
        entry = self._entries.pop(key, None)
        if entry is not None:
            self._bytes -= len(entry.data)
        return entry

    def _evict_over_bounds(self) -> None:
        """Drop least recently used entries until both bounds hold. Call with
        the lock held."""
        while self._entries and (
            len(self._entries) > self.threshold or self._bytes > self.max_bytes
        ):
            _key, entry = self._entries.popitem(last=False)
            self._bytes -= len(entry.data)
