"""Whole public pages for anonymous visitors, served before Flask runs.

Why: with the query results cached (portal/caching/results.py), most of a public page's cost is the Flask
stack itself: session and login, Babel, templates, headers, compression; about 2 to 5 ms of CPU
per page against 0.2 ms for a stored page. Most visitors of the map, the list and a listing are
anonymous and see exactly what every other anonymous visitor sees, so their pages are stored
whole (gzip-compressed) and sent again without entering Flask.

What is shared, and with whom:
- A view opts in with `@shared_page`: its page depends only on the URL, the language and the
  data, never on who asks.
- Only a GET without a session or remember-me cookie is answered from, or stored into, the cache.
  Everyone who is logged in, has a message waiting (flash) or a form token gets Flask as before.
- A response is stored only when it is a 200 that sets no cookie: a page that touched the
  session (a form token, a flash message) sets one and is never shared.
- The key is scheme, host, path, query string and language; freshness is the result cache's
  generation (every committed write to listings, organisations or themes makes every stored
  page stale) and PAGE_CACHE_SECONDS for what depends on the clock (a listing's age). A stale
  page is still sent when Flask answers 503 (the database is down), until it expires.

The Content-Security-Policy of a shared page allows its inline scripts by their SHA-256 hashes
instead of the per-response nonce: a nonce sent to many visitors would no longer be a secret.
Only scripts that carried the page's nonce when Flask rendered it get a hash, so a script
injected through content (which never knows the nonce) stays blocked, as it is with the nonce.

A store that cannot be reached is skipped: the request goes to Flask as if there were no cache.

With Redis, each worker also keeps the pages it sent most recently (KEPT_BYTES of them,
compressed, each for at most KEPT_SECONDS) and reads the shared generation at most once every
GENERATION_CHECK_SECONDS, and at once after a write of its own. A page asked often is then sent
without a round trip to Redis, which was most of the cost of a stored page
(bench/results/load.md); in exchange, an anonymous visitor may get a page up to
GENERATION_CHECK_SECONDS behind a write saved through another worker.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from werkzeug.exceptions import HTTPException
from werkzeug.http import parse_accept_header, parse_cookie

from ..i18n import language_from_cookie
from .results import PREFIX, MemoryStore, RedisStore, ResultCache

if TYPE_CHECKING:
    from flask import Flask

PAGE_PREFIX = PREFIX + "page:"
SHAREABLE_TYPES = ("text/html", "application/json")
#: Headers that belong to one response, not to the page: never stored.
PER_RESPONSE_HEADERS = frozenset(
    {"content-length", "content-encoding", "date", "server", "set-cookie", "retry-after"}
)
NONCE_SOURCE = re.compile(r"'nonce-([A-Za-z0-9_\-+/=]+)'")
GZIP_LEVEL = 6  # compressed once per stored page, so the smaller result is worth the time
KEPT_BYTES = 16 * 1024 * 1024  # per worker: about 4,000 listing pages or 200 national maps
KEPT_SECONDS = 30
GENERATION_CHECK_SECONDS = 1.0


def shared_page(view: Callable) -> Callable:
    """Mark a view whose page is the same for every anonymous visitor (place it under the route)."""
    view.shared_page = True  # type: ignore[attr-defined]
    return view


@dataclass(frozen=True)
class StoredPage:
    """A page as sent to anonymous visitors: status, headers, gzip-compressed body."""

    status: str
    headers: tuple[tuple[str, str], ...]
    gzipped: bytes

    def encode(self, generation: int) -> bytes:
        head = json.dumps([generation, self.status, self.headers], separators=(",", ":"))
        return head.encode() + b"\n" + self.gzipped

    @classmethod
    def decode(cls, blob: bytes) -> tuple[int, StoredPage]:
        """The generation the page in `blob` was made under, and the page."""
        head, _, gzipped = blob.partition(b"\n")
        generation, status, headers = json.loads(head)
        return generation, cls(status, tuple((name, value) for name, value in headers), gzipped)


def shareable(status: str, headers: list[tuple[str, str]], body: bytes) -> StoredPage | None:
    """The page to store for this response, or None when it must not be shared."""
    names = {name.lower(): value for name, value in headers}
    content_type = names.get("content-type", "")
    if not status.startswith("200") or "set-cookie" in names:
        return None
    if not content_type.startswith(SHAREABLE_TYPES) or names.get("content-encoding"):
        return None
    kept = [(name, value) for name, value in headers if name.lower() not in PER_RESPONSE_HEADERS]
    policy = names.get("content-security-policy")
    if policy:
        policy, body = _hashes_for_nonce(policy, body)
        kept = [(n, policy if n.lower() == "content-security-policy" else v) for n, v in kept]
    kept = _vary_on_encoding(kept)
    return StoredPage(status, tuple(kept), gzip.compress(body, GZIP_LEVEL, mtime=0))


def _hashes_for_nonce(policy: str, body: bytes) -> tuple[str, bytes]:
    """Swap the policy's nonce for the hashes of the inline scripts that carried it."""
    found = NONCE_SOURCE.search(policy)
    if not found:
        return policy, body
    nonce = found.group(1)
    attribute = f' nonce="{nonce}"'.encode()
    nonced_script = re.compile(
        rb"<script\b[^>]*" + re.escape(attribute) + rb"[^>]*>(.*?)</script\s*>", re.S | re.I
    )
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(script).digest()).decode() + "'"
        for script in nonced_script.findall(body)
        if script  # an external script (src=…) is allowed by 'self'
    )
    policy = re.sub(r" +", " ", policy.replace(found.group(0), hashes)).replace(" ;", ";")
    return policy.strip(), body.replace(attribute, b"")


def _vary_on_encoding(headers: list[tuple[str, str]]) -> list[tuple[str, str]]:
    vary = [value for name, value in headers if name.lower() == "vary"]
    others = [(name, value) for name, value in headers if name.lower() != "vary"]
    return [*others, ("Vary", ", ".join([*vary, "Accept-Encoding"]))]


def accepts_gzip(environ: dict) -> bool:
    return parse_accept_header(environ.get("HTTP_ACCEPT_ENCODING")).quality("gzip") > 0


class PageCache:
    """WSGI middleware around a Flask app's `wsgi_app`: see the module docstring."""

    def __init__(
        self,
        app: Flask,
        inner: Callable,
        results: ResultCache,
        seconds: int,
        generation_check: float = GENERATION_CHECK_SECONDS,
    ) -> None:
        self.app = app
        self.inner = inner
        self.results = results
        self.seconds = seconds
        self.generation_check = generation_check
        self.cookie_names = (
            app.config.get("SESSION_COOKIE_NAME", "session"),
            app.config.get("REMEMBER_COOKIE_NAME", "remember_token"),
        )
        self._shared_endpoints: frozenset[str] | None = None
        shared_store = isinstance(results.store, RedisStore)
        self.kept = MemoryStore(KEPT_BYTES, weight=_kept_size) if shared_store else None
        self._generation_seen: tuple[int, float, int] | None = None  # value, when, own writes

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        language = self._anonymous_language(environ)
        if language is None:
            return self.inner(environ, start_response)
        key = page_key(environ, language)
        kept = self._kept_page(key)  # only shared pages are kept: no need to match the route
        if kept is not None:
            return self._send(kept, "hit", environ, start_response)
        if not self._is_shared(environ):
            return self.inner(environ, start_response)
        found = self.results.guarded(lambda: self.results.store.generation_and(key))
        if found is None:  # the store is unreachable: as if there were no cache
            return self.inner(environ, start_response)
        generation, blob = found
        self._generation_seen = (generation, time.monotonic(), self.results.own_bumps)
        stored_generation, page = StoredPage.decode(blob) if blob else (None, None)
        if page is not None and stored_generation == generation:
            self._keep(key, generation, page)
            return self._send(page, "hit", environ, start_response)
        return self._render_and_store(key, generation, page, environ, start_response)

    def _kept_page(self, key: str) -> StoredPage | None:
        """This worker's copy of the page, while the generation it was read under is current."""
        if self.kept is None or self._generation_seen is None:
            return None
        generation, when, own_bumps = self._generation_seen
        recent = time.monotonic() - when < self.generation_check
        if not recent or own_bumps != self.results.own_bumps:
            return None
        kept = self.kept.get(key)
        return kept[1] if kept is not None and kept[0] == generation else None

    def _keep(self, key: str, generation: int, page: StoredPage) -> None:
        if self.kept is not None:
            self.kept.set(key, (generation, page), min(KEPT_SECONDS, self.seconds))

    def _anonymous_language(self, environ: dict) -> str | None:
        """The visitor's language for a GET without session cookies, else None (not shared)."""
        if environ.get("REQUEST_METHOD") != "GET":
            return None
        cookies = parse_cookie(environ.get("HTTP_COOKIE", ""))
        if any(name in cookies for name in self.cookie_names):
            return None
        return language_from_cookie(cookies, self.app.config)

    def _is_shared(self, environ: dict) -> bool:
        if self._shared_endpoints is None:
            self._shared_endpoints = frozenset(
                endpoint
                for endpoint, view in self.app.view_functions.items()
                if getattr(view, "shared_page", False)
            )
        try:
            endpoint, _ = self.app.url_map.bind_to_environ(environ).match()
        except HTTPException:
            return False
        return endpoint in self._shared_endpoints

    def _render_and_store(
        self,
        key: str,
        generation: int,
        stale: StoredPage | None,
        environ: dict,
        start_response: Callable,
    ) -> Iterable[bytes]:
        """Flask renders the page uncompressed; it is stored when it may be shared.

        When Flask cannot answer (503: the database is down) and an older version of the page is
        still stored, that one is sent instead ("stale-if-error"): visitors keep the map and the
        list during an outage, a little behind, rather than an error page.
        """
        captured: list = []
        chunks: list[bytes] = []

        def capture(status: str, headers: list, exc_info=None) -> Callable:
            captured[:] = [status, headers]
            return chunks.append

        uncompressed = {**environ}
        uncompressed.pop("HTTP_ACCEPT_ENCODING", None)
        result = self.inner(uncompressed, capture)
        try:
            chunks.extend(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        status, headers = captured
        if stale is not None and status.startswith("503"):
            return self._send(stale, "stale", environ, start_response)
        body = b"".join(chunks)
        page = shareable(status, headers, body)
        if page is None:
            start_response(status, headers)
            return [body]
        blob = page.encode(generation)
        self.results.guarded(lambda: self.results.store.set(key, blob, self.seconds))
        self._keep(key, generation, page)
        return self._send(page, "stored", environ, start_response)

    @staticmethod
    def _send(
        page: StoredPage, state: str, environ: dict, start_response: Callable
    ) -> Iterable[bytes]:
        headers = [*page.headers, ("X-Page-Cache", state)]
        if accepts_gzip(environ):
            body = page.gzipped
            headers.append(("Content-Encoding", "gzip"))
        else:
            body = gzip.decompress(page.gzipped)
        headers.append(("Content-Length", str(len(body))))
        start_response(page.status, headers)
        return [body]


def _kept_size(kept: tuple[int, StoredPage]) -> int:
    return len(kept[1].gzipped)


def page_key(environ: dict, language: str) -> str:
    """Scheme, host, path, query and language: everything a shared page may depend on."""
    url = "{}://{}{}{}?{}|{}".format(
        environ.get("wsgi.url_scheme", "http"),
        environ.get("HTTP_HOST") or environ.get("SERVER_NAME", ""),
        environ.get("SCRIPT_NAME", ""),
        environ.get("PATH_INFO", ""),
        environ.get("QUERY_STRING", ""),
        language,
    )
    digest = hashlib.sha1(url.encode("utf-8", "surrogateescape")).hexdigest()  # noqa: S324
    return PAGE_PREFIX + digest


def init_app(app: Flask, results: ResultCache) -> None:
    """Serve shared pages from the store (PAGE_CACHE_SECONDS=0, or no result cache: off)."""
    seconds = int(app.config.get("PAGE_CACHE_SECONDS", 0))
    if seconds > 0 and results.enabled:
        app.wsgi_app = PageCache(app, app.wsgi_app, results, seconds)  # type: ignore[method-assign]
