"""A short-lived cache of query *results* (ids, counts, JSON), shared by gunicorn workers.

With REDIS_URL set the values live in Redis, so every worker profits from what one computed;
without it they live in this process (the portal then runs as one process anyway). Whole pages
for anonymous visitors live in the same store, under the same generation (portal/caching/pages.py).

Freshness: every key contains a *generation* number. Any committed write to listings,
organisations or themes bumps it (a SQLAlchemy session hook, below), so whoever just saved
something sees it on their next request; the other entries simply stop being asked for and
expire after CACHE_SECONDS. A Redis outage never breaks a page: the value is computed as if
there were no cache, Redis is left alone for a few seconds, and the first worker to reach it
again after a write it could not announce bumps the generation then.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import redis
from flask import Flask, current_app, g, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)

EXTENSION = "result_cache"
PREFIX = "naoberkaart:cache:"
GENERATION_KEY = PREFIX + "generation"
#: Tables whose rows the cached results are made of: a write to any of them bumps the generation.
WATCHED_TABLES = frozenset(
    {"listing", "listing_theme", "organisation", "organisation_theme", "theme"}
)
_DIRTY = "naoberkaart_cache_dirty"
_GENERATION = "naoberkaart_cache_generation"
REDIS_TIMEOUT = 0.25  # seconds: on loopback Redis answers in well under a millisecond
RETRY_AFTER = 5.0  # seconds without trying Redis after it failed
MEMORY_ENTRIES = 4096


def _one(_value: Any) -> int:
    return 1


class MemoryStore:
    """In-process storage with expiry and a bounded size (least recently used entries go first).

    `budget` bounds the summed `weight` of the values: by default each counts 1, so it is the
    number of entries; the page cache weighs pages by their compressed size instead.
    """

    def __init__(self, budget: int = MEMORY_ENTRIES, weight: Callable[[Any], int] = _one) -> None:
        self._values: OrderedDict[str, tuple[float, Any]] = OrderedDict()
        self._generation = 0
        self._budget = budget
        self._weight = weight
        self._used = 0
        self._lock = threading.Lock()

    def generation(self) -> int:
        return self._generation

    def bump(self) -> None:
        with self._lock:
            self._generation += 1  # older entries stay until they expire: see page_cache (stale)

    def get(self, key: str) -> Any:
        with self._lock:
            found = self._values.get(key)
            if found is None or found[0] <= time.monotonic():
                return None
            self._values.move_to_end(key)
            return found[1]

    def generation_and(self, key: str) -> tuple[int, Any]:
        """The generation and the value under `key`, read together."""
        return self._generation, self.get(key)

    def set(self, key: str, value: Any, seconds: float) -> None:
        """Keep `value`, dropping the least recently used; one heavier than the budget is not kept."""
        weight = self._weight(value)
        if weight > self._budget:
            return
        with self._lock:
            self._drop(key)
            self._values[key] = (time.monotonic() + seconds, value)
            self._used += weight
            while self._used > self._budget:
                self._drop(next(iter(self._values)))

    def _drop(self, key: str) -> None:
        found = self._values.pop(key, None)
        if found is not None:
            self._used -= self._weight(found[1])


class RedisStore:
    """Storage in Redis, shared by every worker and server that uses the same database."""

    def __init__(self, client: redis.Redis) -> None:
        self._client = client

    @classmethod
    def from_url(cls, url: str) -> RedisStore:
        return cls(
            redis.Redis.from_url(
                url, socket_timeout=REDIS_TIMEOUT, socket_connect_timeout=REDIS_TIMEOUT
            )
        )

    def generation(self) -> int:
        return int(self._client.get(GENERATION_KEY) or 0)

    def bump(self) -> None:
        self._client.incr(GENERATION_KEY)

    def get(self, key: str) -> str | None:
        value = self._client.get(key)
        return value.decode() if value is not None else None

    def generation_and(self, key: str) -> tuple[int, bytes | None]:
        """The generation and the raw value under `key`, in one round trip."""
        generation, value = self._client.mget(GENERATION_KEY, key)
        return int(generation or 0), value

    def set(self, key: str, value: str | bytes, seconds: int) -> None:
        self._client.set(key, value, ex=seconds)


class ResultCache:
    """get_or_compute(namespace, key, compute): a JSON-serialisable result, cached briefly."""

    def __init__(self, store: MemoryStore | RedisStore, seconds: int) -> None:
        self.store = store
        self.seconds = seconds
        self.local = store if isinstance(store, MemoryStore) else MemoryStore(256)
        self._down_until = 0.0
        self._bump_pending = False
        self.own_bumps = 0  # writes made by this process: its kept pages are stale at once

    @property
    def enabled(self) -> bool:
        return self.seconds > 0

    def get_or_compute(
        self, namespace: str, key: Any, compute: Callable[[], Any], local: bool = False
    ) -> Any:
        """The cached value for `key` (any JSON-able value), else `compute()` stored for later.

        `local`: keep the value in this process only (small, often-read values such as the
        themes), still keyed by the shared generation, so a write anywhere makes it stale.
        """
        if not self.enabled:
            return compute()
        store = self.local if local else self.store
        full_key = self.guarded(lambda: self._key(namespace, key))
        cached = self.guarded(lambda: store.get(full_key)) if full_key else None
        if cached is not None:
            return json.loads(cached)
        value = compute()
        if full_key:
            encoded = json.dumps(value, separators=(",", ":"))
            self.guarded(lambda: store.set(full_key, encoded, self.seconds))
        return value

    def bump(self) -> None:
        """Make every cached result stale (after a write); retried once the store is back."""
        self._bump_pending = True
        self.own_bumps += 1
        if has_app_context():
            g.pop(_GENERATION, None)
        self.guarded(lambda: None)

    def generation(self) -> int:
        """The shared generation, read once per request (app context)."""
        if not has_app_context():
            return self.store.generation()
        if _GENERATION not in g:
            setattr(g, _GENERATION, self.store.generation())
        return getattr(g, _GENERATION)

    def _key(self, namespace: str, key: Any) -> str:
        digest = hashlib.sha1(  # noqa: S324  (a cache key, not a security measure)
            json.dumps(key, sort_keys=True, default=str).encode()
        ).hexdigest()
        return f"{PREFIX}{namespace}:{self.generation()}:{digest}"

    def guarded(self, operation: Callable[[], Any]) -> Any:
        """Run a store operation; None when the store is (recently) unreachable."""
        if time.monotonic() < self._down_until:
            return None
        try:
            if self._bump_pending:
                self.store.bump()
                self._bump_pending = False
            return operation()
        except redis.RedisError as error:
            if not self._down_until:
                log.warning("cache unreachable, serving uncached results: %s", error)
            self._down_until = time.monotonic() + RETRY_AFTER
            return None


def make_cache(redis_url: str, seconds: int) -> ResultCache:
    """Redis when a URL is configured, memory otherwise."""
    store = RedisStore.from_url(redis_url) if redis_url else MemoryStore()
    return ResultCache(store, seconds)


def init_app(app: Flask) -> None:
    """Bind a result cache to this app (CACHE_SECONDS=0 turns caching off)."""
    url = app.config.get("CACHE_REDIS_URL", "")
    app.extensions[EXTENSION] = make_cache(url, int(app.config.get("CACHE_SECONDS", 45)))


def result_cache() -> ResultCache | None:
    """The current app's cache (None outside an app, e.g. in a bare script)."""
    return current_app.extensions.get(EXTENSION) if has_app_context() else None


def cached(namespace: str, key: Any, compute: Callable[[], Any], local: bool = False) -> Any:
    """`compute()` through the current app's cache (straight through without one)."""
    cache = result_cache()
    return cache.get_or_compute(namespace, key, compute, local) if cache else compute()


def bump() -> None:
    """Make the current app's cached results stale (done automatically on commits)."""
    cache = result_cache()
    if cache is not None:
        cache.bump()


# -- the hook: committed writes to the watched tables bump the generation ------------------


def _watched(instance: object) -> bool:
    return getattr(instance, "__tablename__", None) in WATCHED_TABLES


@event.listens_for(Session, "after_flush")
def _note_flushed_writes(session: Session, _flush_context) -> None:
    changed = itertools.chain(session.new, session.dirty, session.deleted)
    if any(_watched(instance) for instance in changed):
        session.info[_DIRTY] = True


@event.listens_for(Session, "do_orm_execute")
def _note_bulk_writes(state) -> None:
    """UPDATE/DELETE/INSERT statements run through the session (bulk writes, link tables)."""
    if state.is_update or state.is_delete or state.is_insert:
        table = getattr(state.statement, "table", None)
        if getattr(table, "name", None) in WATCHED_TABLES:
            state.session.info[_DIRTY] = True


@event.listens_for(Session, "after_commit")
def _bump_after_commit(session: Session) -> None:
    if session.info.pop(_DIRTY, False):
        bump()


@event.listens_for(Session, "after_rollback")
def _forget_after_rollback(session: Session) -> None:
    session.info.pop(_DIRTY, None)
