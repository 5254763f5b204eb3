"""What goes into the periodic mails: new needs for volunteers, new listings for subscribers.

Each volunteer gets a need once (DigestEntry); each subscriber gets what was published since
their last mail. Request-free; the caller sends and commits.
"""

from __future__ import annotations

import math
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...models import DigestEntry, Listing, ListingStatus, Subscription, Theme, VolunteerProfile
from .. import matching
from ..matching import Candidate
from ..places.gazetteer import haversine_km

KM_PER_DEGREE = 111.2


def active_volunteers(session: Session) -> list[VolunteerProfile]:
    return list(session.scalars(select(VolunteerProfile).where(VolunteerProfile.paused.is_(False))))


def new_needs_for(
    session: Session, profile: VolunteerProfile, now: datetime, limit: int = 10
) -> list[Candidate]:
    """Needs the volunteer can help with and was not sent before; records them as sent."""
    sent = set(
        session.scalars(
            select(DigestEntry.listing_id).where(DigestEntry.volunteer_profile_id == profile.id)
        )
    )
    candidates = matching.find_candidates(
        session, profile, now, limit=limit, sides=(matching.LISTING,)
    )
    fresh = [candidate for candidate in candidates if candidate.id not in sent]
    for candidate in fresh:
        session.add(
            DigestEntry(volunteer_profile_id=profile.id, listing_id=candidate.id, sent_at=now)
        )
    session.flush()
    return fresh


def confirmed_subscriptions(session: Session) -> list[Subscription]:
    return list(session.scalars(select(Subscription).where(Subscription.confirmed_at.is_not(None))))


def new_listings_for(session: Session, subscription: Subscription, now: datetime) -> list[Listing]:
    """Listings published since the last mail, within the radius and on the chosen themes."""
    since = subscription.last_sent_at or subscription.confirmed_at
    dlat = subscription.radius_km / KM_PER_DEGREE
    dlon = dlat / math.cos(math.radians(subscription.lat))
    statement = select(Listing).where(
        Listing.status == ListingStatus.PUBLISHED,
        Listing.hidden.is_(False),
        Listing.published_at > since,
        Listing.public_lat.between(subscription.lat - dlat, subscription.lat + dlat),
        Listing.public_lon.between(subscription.lon - dlon, subscription.lon + dlon),
    )
    if subscription.theme_slugs:
        statement = statement.where(Listing.themes.any(Theme.slug.in_(subscription.theme_slugs)))
    found = [
        listing
        for listing in session.scalars(statement.order_by(Listing.published_at))
        if haversine_km(subscription.lat, subscription.lon, listing.public_lat, listing.public_lon)
        <= subscription.radius_km
    ]
    subscription.last_sent_at = now
    return found
