"""Freshness: reminder mails with signed one-click links (still current · edit · stop).

A link is bound to the listing, the action and the listing's state when the mail was sent, so it
works once (using it changes that state), only for its own listing, and expires.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from ...models import Listing
from ..identity.signing import fingerprint, make_token, read_token
from . import listings

PURPOSE = "listing-freshness"
ACTIONS = ("confirm", "edit", "stop")


def _state(listing: Listing) -> str:
    return fingerprint(listing.id, listing.status.value, listing.confirmed_at.isoformat())


def freshness_token(listing: Listing, action: str, secret: str) -> str:
    """A signed link token for one action on one listing."""
    if action not in ACTIONS:
        raise ValueError(action)
    return make_token(secret, PURPOSE, {"id": listing.id, "a": action, "s": _state(listing)})


@dataclass(frozen=True)
class FreshnessRequest:
    listing: Listing
    action: str


def read_freshness_token(
    session: Session, token: str, secret: str, max_age: int
) -> FreshnessRequest | None:
    """The listing and action, unless the token is forged, expired or already used."""
    payload = read_token(secret, PURPOSE, token, max_age)
    if not payload or payload.get("a") not in ACTIONS:
        return None
    listing = session.get(Listing, payload.get("id"))
    if listing is None or payload.get("s") != _state(listing):
        return None
    return FreshnessRequest(listing, payload["a"])


def carry_out(request: FreshnessRequest, now: datetime, expiry_months: int) -> None:
    """Confirm (renew) or stop (close) the listing; `edit` changes nothing by itself."""
    if request.action == "confirm":
        listings.renew(request.listing, now, expiry_months)
    elif request.action == "stop":
        listings.close(request.listing, now)
