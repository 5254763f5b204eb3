"""Behind a reverse proxy: trust its X-Forwarded-* headers, and only as many hops as configured.

Why: behind nginx every request comes from 127.0.0.1. Without this, rate limits (per client
address) would be one budget for the whole municipality. TRUSTED_PROXIES=0 (the default) trusts
nothing, which is right when clients connect directly. Links that leave the portal never use
the forwarded host (portal/links.py), and the proxy must set X-Forwarded-* itself
(docs/operations.md): a client's own X-Forwarded-Host would otherwise pass through.
"""

from __future__ import annotations

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix


def init_app(app: Flask) -> None:
    """Wrap the WSGI app in ProxyFix when TRUSTED_PROXIES hops are in front of it."""
    hops = int(app.config.get("TRUSTED_PROXIES", 0))
    if hops > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
