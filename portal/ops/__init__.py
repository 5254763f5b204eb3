"""Running the portal in production: serving details, the mail worker, backups, benchmark data.

Nothing here is a feature users see; it is what keeps the portal fast, recoverable and quiet
for the operators of a municipality that runs it for years.
"""

from __future__ import annotations

from flask import Flask

from . import cli, compression, proxy


def init_app(app: Flask) -> None:
    """Proxy headers, compression and static caching, and the operations commands."""
    proxy.init_app(app)
    compression.init_app(app)
    cli.register(app)
