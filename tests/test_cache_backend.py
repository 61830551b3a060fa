"""The in-process cache: a worker's memory stays bounded however many pages
readers ask for, and the pages it keeps are the ones being read."""

from __future__ import annotations

import pickle
import threading
import time
from datetime import timedelta

from blog.cache.backend import BoundedCache
from blog.extensions import cache


def page(size: int, marker: str = "x") -> str:
    """A cached value whose pickle is a little over `size` bytes."""
    return marker * size


def pickled_size(*values: object) -> int:
    """What the values take in the cache, which stores them pickled."""
    return sum(len(pickle.dumps(value, pickle.HIGHEST_PROTOCOL)) for value in values)


def test_an_app_without_redis_gets_a_bounded_cache_from_its_settings(
    app_factory,
) -> None:
    app = app_factory(CACHE_MAX_MIB=2, CACHE_THRESHOLD=40, CACHE_DEFAULT_TIMEOUT=60)
    backend = app.extensions["cache"][cache]

    assert isinstance(backend, BoundedCache)
    assert backend.max_bytes == 2 * 1024 * 1024
    assert backend.threshold == 40
    assert backend.default_timeout == 60


def test_the_byte_budget_holds_after_every_store() -> None:
    backend = BoundedCache(threshold=1000, max_bytes=10_000)

    for number in range(50):  # 50 KB offered to a 10 KB budget
        assert backend.set(f"page-{number}", page(1000))
        assert backend.stored_bytes() <= 10_000

    assert backend.has("page-49")
    assert not backend.has("page-0")


def test_the_entry_count_holds_as_well_as_the_bytes() -> None:
    backend = BoundedCache(threshold=3, max_bytes=10_000)

    for number in range(5):
        backend.set(f"tiny-{number}", number)

    assert [backend.has(f"tiny-{n}") for n in range(5)] == [False, False] + [True] * 3


def test_the_least_recently_read_page_is_dropped_first() -> None:
    backend = BoundedCache(threshold=3)
    for key in ("home", "about", "archive"):
        backend.set(key, key)

    assert backend.get("home") == "home"  # read: now the most recent
    backend.set("feed", "feed")

    assert not backend.has("about")
    assert [backend.get(key) for key in ("home", "archive", "feed")] == [
        "home",
        "archive",
        "feed",
    ]


def test_a_value_over_a_quarter_of_the_budget_is_refused_and_keeps_the_rest() -> None:
    backend = BoundedCache(max_bytes=4000)
    backend.set("small", page(500))
    backend.set("huge", "an older, small value")

    assert backend.set("huge", page(1001)) is False

    assert not backend.has("huge")  # not the older value either
    assert backend.get("small") == page(500)
    assert backend.stored_bytes() == pickled_size(page(500))


def test_an_entry_expires_after_its_timeout_and_zero_means_forever() -> None:
    backend = BoundedCache(default_timeout=0)
    backend.set("brief", "soon gone", timeout=timedelta(milliseconds=50))
    backend.set("lasting", "kept", timeout=0)
    backend.set("default", "kept too")

    time.sleep(0.1)

    assert backend.get("brief") is None
    assert not backend.has("brief")
    assert backend.get("lasting") == "kept"
    assert backend.get("default") == "kept too"
    # An expired entry no longer counts against the budget once seen.
    assert backend.stored_bytes() == pickled_size("kept", "kept too")


def test_add_keeps_a_live_value_but_replaces_an_expired_one() -> None:
    backend = BoundedCache()
    backend.set("live", "first")
    backend.set("stale", "first", timeout=timedelta(milliseconds=20))
    time.sleep(0.05)

    assert backend.add("live", "second") is False
    assert backend.add("stale", "second") is True
    assert backend.get_many("live", "stale") == ["first", "second"]


def test_delete_and_clear_give_the_bytes_back() -> None:
    backend = BoundedCache()
    backend.set_many({"a": page(100), "b": page(200)})

    assert backend.delete("a") is True
    assert backend.delete("a") is False
    assert backend.stored_bytes() == pickled_size(page(200))
    assert backend.clear()
    assert backend.stored_bytes() == 0
    assert not backend.has("b")


def test_many_threads_reading_and_writing_leave_the_cache_consistent() -> None:
    backend = BoundedCache(threshold=20, max_bytes=8000)
    keys = [f"page-{number}" for number in range(30)]
    failures: list[BaseException] = []

    def work(worker: int) -> None:
        try:
            for step in range(400):
                key = keys[(worker * 7 + step) % len(keys)]
                if step % 5 == 0:
                    backend.delete(key)
                elif step % 2:
                    backend.set(key, page(50 + worker * 40, marker=key[-1]))
                else:
                    backend.get(key)
                backend.inc("counter")
        except BaseException as error:  # noqa: BLE001 - reported below
            failures.append(error)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    assert backend.stored_bytes() <= 8000
    # The byte count matches what is really held.
    held = [backend.get(key) for key in [*keys, "counter"] if backend.has(key)]
    assert backend.stored_bytes() == pickled_size(*held)
