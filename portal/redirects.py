"""Safe redirect targets: only paths on this site."""

from __future__ import annotations

import re

from flask import url_for

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def is_local_path(target: str | None) -> bool:
    """A path on this site: one leading slash, no scheme or host, no backslash, no control chars."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return False
    return "\\" not in target and not _CONTROL.search(target) and ":" not in target.split("?")[0]


def safe_next(target: str | None, default_endpoint: str = "main.home") -> str:
    """The target when it is local, otherwise the default page."""
    return target if is_local_path(target) else url_for(default_endpoint)
