"""The result cache: keys by generation, expiry, and pages that keep working when Redis is down."""

from __future__ import annotations

import redis

from portal.caching import results as cache
from portal.caching.results import MemoryStore, RedisStore, ResultCache


class FakeRedis:
    """Just the commands RedisStore uses; `down` makes every one fail like a lost connection."""

    def __init__(self) -> None:
        self.values: dict[str, bytes] = {}
        self.down = False
        self.calls = 0

    def _check(self) -> None:
        self.calls += 1
        if self.down:
            raise redis.ConnectionError("Connection refused")

    def get(self, key: str):
        self._check()
        return self.values.get(key)

    def set(self, key: str, value: str, ex: int) -> None:
        self._check()
        self.values[key] = value.encode()

    def incr(self, key: str) -> int:
        self._check()
        number = int(self.values.get(key, b"0")) + 1
        self.values[key] = str(number).encode()
        return number


class Counter:
    """A compute function that says how often it ran."""

    def __init__(self, value) -> None:
        self.value = value
        self.runs = 0

    def __call__(self):
        self.runs += 1
        return self.value


def test_a_result_is_computed_once_per_key_and_generation():
    results = ResultCache(MemoryStore(), seconds=30)
    compute = Counter({"ids": [3, 1, 2], "total": 3})
    assert results.get_or_compute("page", {"q": "fiets"}, compute) == {"ids": [3, 1, 2], "total": 3}
    assert results.get_or_compute("page", {"q": "fiets"}, compute) == {"ids": [3, 1, 2], "total": 3}
    assert compute.runs == 1
    results.get_or_compute("page", {"q": "klus"}, compute)
    assert compute.runs == 2
    results.bump()
    results.get_or_compute("page", {"q": "fiets"}, compute)
    assert compute.runs == 3


def test_keys_do_not_depend_on_argument_order():
    results = ResultCache(MemoryStore(), seconds=30)
    compute = Counter(1)
    results.get_or_compute("n", {"a": 1, "b": [1, 2]}, compute)
    results.get_or_compute("n", {"b": [1, 2], "a": 1}, compute)
    assert compute.runs == 1


def test_memory_entries_expire_and_stay_bounded(monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(cache.time, "monotonic", lambda: clock[0])
    store = MemoryStore(2)
    store.set("a", "1", seconds=10)
    assert store.get("a") == "1"
    clock[0] += 11
    assert store.get("a") is None
    for key in "bcd":
        store.set(key, key, seconds=10)
    assert store.get("b") is None
    assert store.get("d") == "d"


def test_zero_seconds_turns_the_cache_off():
    results = ResultCache(MemoryStore(), seconds=0)
    compute = Counter(7)
    assert results.get_or_compute("n", 1, compute) == 7
    assert results.get_or_compute("n", 1, compute) == 7
    assert compute.runs == 2


def test_redis_shares_results_between_workers():
    client = FakeRedis()
    one, two = ResultCache(RedisStore(client), 30), ResultCache(RedisStore(client), 30)
    compute = Counter([1, 2])
    one.get_or_compute("ids", "x", compute)
    assert two.get_or_compute("ids", "x", compute) == [1, 2]
    assert compute.runs == 1
    two.bump()  # a write in one worker makes the other's entries stale too
    one.get_or_compute("ids", "x", compute)
    assert compute.runs == 2


def test_redis_down_serves_uncached_then_recovers_with_a_bump(caplog):
    client = FakeRedis()
    results = ResultCache(RedisStore(client), 30)
    compute = Counter("body")
    results.get_or_compute("map", 1, compute)
    client.down = True
    assert results.get_or_compute("map", 1, Counter("fresh")) == "fresh"
    assert "cache unreachable" in caplog.text
    calls = client.calls
    results.bump()  # a write while Redis is down: remembered
    assert results.get_or_compute("map", 1, Counter("again")) == "again"
    assert client.calls == calls  # not retried on every request while it is down
    client.down = False
    results._down_until = 0.0  # the retry pause is over
    assert results.get_or_compute("map", 1, Counter("after")) == "after"  # old entry is stale
    assert int(client.values[cache.GENERATION_KEY]) == 1


def test_an_unreachable_redis_url_still_serves(app):
    results = cache.make_cache("redis://127.0.0.1:1/0", 30)
    assert results.get_or_compute("n", 1, Counter(5)) == 5
    results.bump()
    assert results.get_or_compute("n", 1, Counter(6)) == 6


def test_local_values_follow_the_shared_generation():
    client = FakeRedis()
    one, two = ResultCache(RedisStore(client), 30), ResultCache(RedisStore(client), 30)
    compute = Counter(["dagbesteding"])
    one.get_or_compute("themes", "all", compute, local=True)
    one.get_or_compute("themes", "all", compute, local=True)
    assert compute.runs == 1
    assert not any(b"themes" in key.encode() for key in client.values)  # not in Redis
    two.bump()  # a theme edited in another worker
    one.get_or_compute("themes", "all", compute, local=True)
    assert compute.runs == 2


def test_memory_budget_by_weight_drops_the_least_recently_used_first():
    store = MemoryStore(300, weight=len)
    for key in ("a", "b", "c"):
        store.set(key, "x" * 100, 30)
    assert store.get("a") is not None  # "a" is now the most recently used
    store.set("d", "x" * 100, 30)
    assert store.get("b") is None and all(store.get(k) for k in ("a", "c", "d"))
    store.set("huge", "x" * 301, 30)  # heavier than the whole budget: not kept, nothing dropped
    assert store.get("huge") is None and all(store.get(k) for k in ("a", "c", "d"))


def test_a_memory_entry_past_its_time_is_not_returned():
    store = MemoryStore()
    store.set("a", "1", 30)
    store.set("b", "1", 0)
    assert store.get("b") is None and store.get("a") == "1"
