"""Security headers, a per-request CSP nonce for the few inline scripts (Folium's map), and
no-store on everything answered to a logged-in user."""

from __future__ import annotations

import secrets
from urllib.parse import urlsplit

from flask import Flask, current_app, g, request
from flask.wrappers import Response
from flask_login import AnonymousUserMixin

#: the one page other sites may frame (village websites embed the map)
EMBEDDABLE_ENDPOINT = "map.embed"


def csp_nonce() -> str:
    """One random nonce per request, shared by every script tag of the page."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def tile_origin(tile_url: str) -> str:
    """The scheme and host of the tile server, or empty for tiles served by ourselves."""
    parts = urlsplit(tile_url)
    return f"{parts.scheme}://{parts.netloc}" if parts.netloc else ""


def content_security_policy(nonce: str, tile_url: str, embeddable: bool) -> str:
    """Only our own scripts and styles, images from us and the tile server.

    No inline styles anywhere: templates use classes (theme colours are SVG fills), and the
    maps set styles from our scripts (CSSOM), which the policy does not restrict. Folium's
    <style> header is never sent: pages take only its map element and script.
    """
    images = " ".join(filter(None, ["'self'", "data:", tile_origin(tile_url)]))
    directives = [
        "default-src 'self'",
        f"script-src 'self' 'nonce-{nonce}'",
        "style-src 'self'",
        f"img-src {images}",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors " + ("*" if embeddable else "'self'"),
    ]
    return "; ".join(directives)


def add_security_headers(response: Response) -> Response:
    """Headers on every response."""
    embeddable = request.endpoint == EMBEDDABLE_ENDPOINT
    response.headers["Content-Security-Policy"] = content_security_policy(
        csp_nonce(), current_app.config["TILE_URL"], embeddable
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
    response.headers["Permissions-Policy"] = "geolocation=(self), camera=(), microphone=()"
    if not embeddable:
        response.headers["X-Frame-Options"] = "SAMEORIGIN"
    if current_app.config.get("SESSION_COOKIE_SECURE"):
        response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    return response


def keep_personal_pages_out_of_caches(response: Response) -> Response:
    """Nothing answered to a logged-in user is stored by a browser or proxy: such pages show
    their name and often their data (/mijn, /gesprekken, downloads, dashboard exports).

    The user is the one Flask-Login loaded for this request, judged by its class: reading its
    attributes could query the database after the view's commit. Static files and responses a
    view declared `public` (the same for everyone) keep their caching.
    """
    user = g.get("_login_user")
    if user is None or isinstance(user, AnonymousUserMixin) or request.endpoint == "static":
        return response
    if not response.cache_control.public:
        response.headers["Cache-Control"] = "no-store"
    return response


def register(app: Flask) -> None:
    """Install the nonce helper and the headers."""
    app.jinja_env.globals["csp_nonce"] = csp_nonce
    app.after_request(add_security_headers)
    app.after_request(keep_personal_pages_out_of_caches)
