"""How responses travel: compressed when the client allows it, static files cached by browsers.

Compression uses Flask-Compress (zstd, Brotli or gzip, whichever the browser prefers); turn it off
with COMPRESS_REGISTER=False when a reverse proxy compresses instead. Static URLs built with
`url_for("static", …)` carry a fingerprint of the file (`?v=…`), so browsers may keep such a file
for a year and still fetch the new one the moment a deploy changes it; unversioned requests (from
CSS `url(…)` or scripts) get the shorter SEND_FILE_MAX_AGE_DEFAULT.
"""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache

from flask import Flask, Response, current_app, request
from flask_compress import Compress
from werkzeug.security import safe_join

#: A year: the longest lifetime browsers honour; safe because the URL changes with the content.
VERSIONED_MAX_AGE = 365 * 24 * 3600


def init_app(app: Flask) -> None:
    """Compress responses and fingerprint static URLs for this app."""
    compress = Compress()
    compress.init_app(app)
    app.extensions["compress"] = compress
    # after_request hooks run in reverse order: this one runs before Flask-Compress's.
    app.after_request(_buffer_static_file)
    app.url_defaults(_fingerprint_static_urls(app))
    app.after_request(_cache_versioned_static)


def _buffer_static_file(response: Response) -> Response:
    """Read a static file into memory so it is compressed whole, and its file closed.

    Flask-Compress would otherwise compress the file stream chunk by chunk and replace the
    stream without closing it (a leaked file handle per request). Static files are small.
    """
    compressible = current_app.extensions["compress"].compress_mimetypes_set
    if (
        request.endpoint == "static"
        and response.direct_passthrough
        and response.status_code == 200
        and response.mimetype in compressible
    ):
        response.direct_passthrough = False
        response.make_sequence()
    return response


def _fingerprint_static_urls(app: Flask):
    """A url_defaults hook that adds `v=<hash>` to static URLs for files that exist."""

    def add_version(endpoint: str, values: dict) -> None:
        if endpoint != "static" or "v" in values or not app.static_folder:
            return
        lookup = static_version if app.debug else _deployed_version
        version = lookup(app.static_folder, values.get("filename", ""))
        if version:
            values["v"] = version

    return add_version


def static_version(folder: str, filename: str) -> str | None:
    """A short hash of the file's content (None when there is no such file)."""
    path = safe_join(folder, filename)
    if path is None:
        return None
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return _content_hash(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=1024)
def _deployed_version(folder: str, filename: str) -> str | None:
    """Outside debug mode static files change only with a deploy (a restart): stat them once."""
    return static_version(folder, filename)


@lru_cache(maxsize=1024)
def _content_hash(path: str, mtime_ns: int, size: int) -> str:
    """Hashed once per file version (the mtime and size are part of the cache key)."""
    with open(path, "rb") as file:
        return hashlib.sha256(file.read()).hexdigest()[:12]


def _cache_versioned_static(response: Response) -> Response:
    """A fingerprinted static file never changes under its URL: cache it for a year.

    Only when the fingerprint is the current one: an old page asking for `?v=<old>` after a deploy
    gets the new file with the ordinary lifetime, not pinned for a year under the wrong name.
    """
    if _is_current_version(request.endpoint, response.status_code):
        response.cache_control.public = True
        response.cache_control.max_age = VERSIONED_MAX_AGE
        response.cache_control.immutable = True
        response.cache_control.no_cache = None
    return response


def _is_current_version(endpoint: str | None, status: int) -> bool:
    version = request.args.get("v")
    if endpoint != "static" or not version or status != 200 or request.view_args is None:
        return False
    folder = current_app.static_folder or ""
    return version == static_version(folder, request.view_args.get("filename", ""))
