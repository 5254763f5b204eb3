"""How much a request may send: MAX_CONTENT_LENGTH (a few hundred KB) everywhere, more only for
a view that takes an upload, and only from someone logged in.

Why: without a limit an anonymous 1 GB POST to /inloggen was read and spooled to disk before the
CSRF check refused it. Werkzeug refuses a body over the limit with 413 before reading it.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, current_app, request
from flask_login import current_user


def larger_body(limit: int) -> Callable:
    """Mark a view that takes an upload of up to `limit` bytes (place it under the route)."""

    def mark(view: Callable) -> Callable:
        view.max_body_bytes = limit  # type: ignore[attr-defined]
        return view

    return mark


def apply_view_limit() -> None:
    """Raise the limit for a marked view when a user is logged in; runs before anything reads
    the body (the CSRF check does)."""
    view = current_app.view_functions.get(request.endpoint or "")
    limit = getattr(view, "max_body_bytes", None)
    if limit is not None and current_user.is_authenticated:
        request.max_content_length = limit


def init_app(app: Flask) -> None:
    """Install before the CSRF check, which reads the form."""
    app.before_request(apply_view_limit)
