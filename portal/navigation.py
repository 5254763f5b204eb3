"""The main menu: what a visitor sees depends on their role."""

from __future__ import annotations

from flask import Flask, current_app
from flask_babel import gettext as _
from flask_login import current_user

from .jobs.notify import unread_count


def nav_items() -> list[tuple[str, str]]:
    """(endpoint, label) pairs for the header, only for features this app has."""
    items = [
        ("map.index", _("Kaart")),
        ("listings.index", _("Initiatieven")),
        ("organisations.index", _("Organisaties")),
        ("wishes.index", _("Flessenpost")),
    ]
    if current_user.is_authenticated:
        items.append(("me.index", _("Mijn Naoberkaart")))
        if current_user.is_officer:
            items.append(("dashboard.index", _("Dashboard")))
    return [(endpoint, label) for endpoint, label in items if has_endpoint(endpoint)]


def has_endpoint(endpoint: str) -> bool:
    """Whether this app serves the endpoint (templates link only to what exists)."""
    return endpoint in current_app.view_functions


def register(app: Flask) -> None:
    """Make the menu available to every template."""
    app.jinja_env.globals["nav_items"] = nav_items
    app.jinja_env.globals["has_endpoint"] = has_endpoint
    app.jinja_env.globals["unread_notifications"] = unread_count
