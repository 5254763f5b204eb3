"""Following new listings by e-mail without an account: double opt-in, one-click unsubscribe."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from ...models import Subscription
from ..identity.signing import fingerprint, make_token, read_token
from ..places.geography import Location

CONFIRM = "subscription-confirm"
UNSUBSCRIBE = "subscription-unsubscribe"
CONFIRM_MAX_AGE = 7 * 24 * 3600
UNSUBSCRIBE_MAX_AGE = 10 * 365 * 24 * 3600


def subscribe(
    session: Session, email: str, location: Location, radius_km: float, theme_slugs: tuple[str, ...]
) -> Subscription:
    """A subscription waiting for its confirmation click."""
    subscription = Subscription(
        email=email.strip().lower(), place_key=location.place_key, place_name=location.place_name,
        lat=location.lat, lon=location.lon, radius_km=radius_km, theme_slugs=list(theme_slugs),
    )  # fmt: skip
    session.add(subscription)
    session.flush()
    return subscription


def _token(subscription: Subscription, purpose: str, secret: str) -> str:
    return make_token(
        secret,
        purpose,
        {"id": subscription.id, "f": fingerprint(subscription.id, subscription.email)},
    )


def confirm_token(subscription: Subscription, secret: str) -> str:
    return _token(subscription, CONFIRM, secret)


def unsubscribe_token(subscription: Subscription, secret: str) -> str:
    return _token(subscription, UNSUBSCRIBE, secret)


def read(session: Session, token: str, purpose: str, secret: str) -> Subscription | None:
    """The subscription a link is for, or None when forged, expired or already removed."""
    max_age = CONFIRM_MAX_AGE if purpose == CONFIRM else UNSUBSCRIBE_MAX_AGE
    payload = read_token(secret, purpose, token, max_age)
    if not payload:
        return None
    subscription = session.get(Subscription, payload.get("id"))
    if subscription is None or payload.get("f") != fingerprint(subscription.id, subscription.email):
        return None
    return subscription


def confirm(subscription: Subscription, now: datetime) -> None:
    subscription.confirmed_at = subscription.confirmed_at or now
