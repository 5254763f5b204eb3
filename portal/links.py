"""Links that leave the portal: mails, embed code, QR codes, exports and API links.

Every one of them starts with PUBLIC_BASE_URL, never with the Host (or X-Forwarded-Host) a
request came with: a password-reset mail asked for with `Host: attacker.example` must still
point at the portal. The same helper works in a request, in a cron command and in a template,
so no path needs a fake request to build a link.
"""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

from flask import Flask, current_app
from flask.globals import request_ctx
from werkzeug.routing import MapAdapter


def _public_adapter(app: Flask) -> MapAdapter:
    """The URL map bound to PUBLIC_BASE_URL's scheme, host and path."""
    base = urlsplit(app.config["PUBLIC_BASE_URL"])
    return app.url_map.bind(
        base.netloc, script_name=base.path or "/", url_scheme=base.scheme or "https"
    )


def external_url(endpoint: str, **values) -> str:
    """The full address of a page, as `url_for` would build it on the public host."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    app.inject_url_defaults(endpoint, values)
    return _public_adapter(app).build(endpoint, values, force_external=True)


def absolute(path: str) -> str:
    """A full address for a path of the portal (such as a notification's link)."""
    return urljoin(public_base(), path.lstrip("/"))


def public_base() -> str:
    """PUBLIC_BASE_URL with one trailing slash, for joining paths onto."""
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + "/"


def bind_refused_request() -> None:
    """Let the error page of a refused host build its links on the public address.

    Flask refuses a Host outside TRUSTED_HOSTS before it binds the URL map, so such a request
    has no URL adapter and `url_for` on its error page would fail.
    """
    context = request_ctx._get_current_object()  # type: ignore[attr-defined]
    if context.url_adapter is None:
        context.url_adapter = _public_adapter(current_app)


def register(app: Flask) -> None:
    """Templates build outside links with `external_url(...)` too."""
    app.jinja_env.globals["external_url"] = external_url
