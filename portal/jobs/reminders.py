"""The freshness round for cron: remind owners of listings going stale, expire overdue ones."""

from __future__ import annotations

from datetime import datetime

from flask import current_app
from flask_babel import lazy_gettext as _l

from ..domain.catalogue import freshness, listings
from ..extensions import db
from ..links import external_url
from ..models import Listing
from .mailer import mail_user


def remind(listing: Listing) -> None:
    """Mail the owner three signed one-click links."""
    secret = current_app.config["SECRET_KEY"]
    links = {
        action: external_url(
            "listings.freshness_link", token=freshness.freshness_token(listing, action, secret)
        )
        for action in freshness.ACTIONS
    }
    mail_user(
        listing.owner,
        _l("Staat uw bericht nog goed op Naoberkaart?"),
        "mail/freshness_reminder.txt",
        listing=listing,
        links=links,
    )


def run_freshness_round(now: datetime) -> tuple[int, int]:
    """Send the due reminders and expire what is overdue; returns (reminded, expired)."""
    config = current_app.config
    due = listings.due_for_reminder(db.session, now, config["LISTING_STALE_DAYS"])
    reminded = 0
    for listing in due:
        if listing.owner is not None and listing.owner.active:
            remind(listing)
            reminded += 1
        listing.reminded_at = now
    expired = listings.expire_due(db.session, now)
    db.session.commit()
    return reminded, expired
