"""The clean-up round for cron: old listings go; inactive accounts are warned, then removed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l

from ..domain.identity import privacy
from ..domain.places import moves
from ..extensions import db
from ..models import User
from .mailer import mail_user


@dataclass(frozen=True)
class CleanupResult:
    listings_removed: int
    accounts_warned: int
    accounts_removed: int


def _warn(user: User, now: datetime) -> None:
    mail_user(
        user,
        _l("Uw account op Naoberkaart wordt binnenkort verwijderd"),
        "mail/inactive_account.txt",
        user=user,
        days=current_app.config["INACTIVE_GRACE_DAYS"],
    )
    user.inactivity_warned_at = now


def _grace_over(user: User, now: datetime) -> bool:
    warned = user.inactivity_warned_at
    return warned is not None and now - warned > timedelta(
        days=current_app.config["INACTIVE_GRACE_DAYS"]
    )


def run_cleanup(now: datetime) -> CleanupResult:
    """Apply the retention periods from the privacy statement."""
    config = current_app.config
    old = privacy.expired_listings_to_remove(db.session, now, config["RETENTION_LISTING_DAYS"])
    for listing in old:
        db.session.delete(listing)
    warned = removed = 0
    for user in privacy.inactive_accounts(db.session, now, config["INACTIVE_ACCOUNT_DAYS"]):
        if _grace_over(user, now):
            privacy.delete_account(db.session, user, now)
            removed += 1
        elif user.inactivity_warned_at is None:
            _warn(user, now)
            warned += 1
    moves.forget_old_moves(db.session, now)
    db.session.commit()
    return CleanupResult(len(old), warned, removed)
