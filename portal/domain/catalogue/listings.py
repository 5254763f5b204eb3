"""The life of a listing: create, edit, publish, renew, close, expire — and what is public."""

from __future__ import annotations

import enum
from dataclasses import dataclass, fields, is_dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ...models import (
    AccessRoute,
    AreaKind,
    Consent,
    Involvement,
    Listing,
    ListingKind,
    ListingStatus,
    Organisation,
    ScheduleKind,
    User,
)
from ..places.geography import Location, public_point
from .cards import ListingCard
from .search import search_document
from .themes import themes_by_slug

DAYS_PER_MONTH = 30


@dataclass(frozen=True)
class ConsentInput:
    """Consent for a need posted on a resident's behalf: who gave it, when, for what."""

    resident_reference: str
    given_by: str
    given_on: date
    purpose: str


@dataclass(frozen=True)
class ListingInput:
    """Everything the listing form collects, as plain values."""

    kind: ListingKind
    title: str
    description: str
    theme_slugs: tuple[str, ...]
    location: Location
    radius_km: float = 5.0
    area_kind: AreaKind = AreaKind.RADIUS
    area_places: tuple[str, ...] = ()
    schedule_kind: ScheduleKind = ScheduleKind.ONGOING
    event_date: date | None = None
    weekly_slots: tuple[str, ...] = ()
    contributions: tuple[str, ...] = ()
    hours_per_week: float | None = None
    involvement: Involvement | None = None
    access_route: AccessRoute | None = None
    reach: tuple[str, ...] = ()
    cost: str = ""
    age_min: int | None = None
    age_max: int | None = None
    capacity: int | None = None
    spots_taken: int = 0
    organisation_id: int | None = None
    consent: ConsentInput | None = None


def create_listing(session: Session, owner: User, data: ListingInput) -> Listing:
    """A new draft owned by `owner` (and their organisation, if named). Flushes, no commit."""
    listing = Listing(owner=owner, status=ListingStatus.DRAFT)
    session.add(listing)
    apply_input(session, listing, data, recorded_by=owner)
    session.flush()
    return listing


def apply_input(session: Session, listing: Listing, data: ListingInput, recorded_by: User) -> None:
    """Copy the form's values onto the listing, coarsening the public point as needed."""
    for name in (
        "kind", "title", "description", "radius_km", "area_kind", "schedule_kind", "event_date",
        "hours_per_week", "involvement", "access_route", "cost", "age_min", "age_max", "capacity",
        "spots_taken",
    ):  # fmt: skip
        setattr(listing, name, getattr(data, name))
    listing.area_places = list(data.area_places)
    listing.weekly_slots = list(data.weekly_slots)
    listing.contributions = list(data.contributions)
    listing.reach = list(data.reach)
    listing.themes = themes_by_slug(session, data.theme_slugs)
    listing.organisation = (
        session.get(Organisation, data.organisation_id) if data.organisation_id else None
    )
    place_listing(listing, data.location)
    _record_consent(listing, data.consent, recorded_by)
    listing.search_text = search_document(
        listing.title, listing.description, listing.place_name,
        listing.organisation.name if listing.organisation else None,
    )  # fmt: skip


_ENUMS: dict[str, type[enum.Enum]] = {
    "kind": ListingKind, "area_kind": AreaKind, "schedule_kind": ScheduleKind,
    "involvement": Involvement, "access_route": AccessRoute,
}  # fmt: skip
_TUPLES = ("theme_slugs", "area_places", "weekly_slots", "contributions", "reach")


def input_to_json(data: ListingInput) -> dict[str, Any]:
    """A ListingInput as JSON-ready values (enums by value, dates as ISO text)."""
    return _plain(data)


def _plain(value: Any) -> Any:
    if is_dataclass(value):
        return {field.name: _plain(getattr(value, field.name)) for field in fields(value)}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_plain(item) for item in value]
    return value


def input_from_json(values: dict[str, Any]) -> ListingInput:
    """The inverse of input_to_json (unknown keys are ignored)."""
    known = {field.name for field in fields(ListingInput)}
    data = {name: value for name, value in values.items() if name in known}
    for name, enum_class in _ENUMS.items():
        data[name] = enum_class(data[name]) if data.get(name) else None
    for name in _TUPLES:
        data[name] = tuple(data.get(name) or ())
    data["event_date"] = date.fromisoformat(data["event_date"]) if data.get("event_date") else None
    data["location"] = Location(**data["location"])
    consent = data.get("consent")
    data["consent"] = (
        ConsentInput(**{**consent, "given_on": date.fromisoformat(consent["given_on"])})
        if consent
        else None
    )
    return ListingInput(**data)


def input_of(listing: Listing) -> ListingInput:
    """The live listing as a ListingInput, to compare with an edit waiting for review."""
    consent = listing.consent
    return ListingInput(
        kind=listing.kind, title=listing.title, description=listing.description,
        theme_slugs=tuple(sorted(theme.slug for theme in listing.themes)),
        location=Location(
            listing.lat, listing.lon, listing.place_key or "", listing.place_name or "",
            listing.municipality or "", source="listing",
        ),
        radius_km=listing.radius_km, area_kind=listing.area_kind,
        area_places=tuple(listing.area_places), schedule_kind=listing.schedule_kind,
        event_date=listing.event_date, weekly_slots=tuple(listing.weekly_slots),
        contributions=tuple(listing.contributions), hours_per_week=listing.hours_per_week,
        involvement=listing.involvement, access_route=listing.access_route,
        reach=tuple(listing.reach), cost=listing.cost, age_min=listing.age_min,
        age_max=listing.age_max, capacity=listing.capacity, spots_taken=listing.spots_taken or 0,
        organisation_id=listing.organisation_id,
        consent=ConsentInput(consent.resident_reference, consent.given_by, consent.given_on,
                             consent.purpose) if consent else None,
    )  # fmt: skip


def place_listing(listing: Listing, location: Location) -> None:
    """Set the exact and the public point. Only an organisation's own address is shown exactly."""
    organisation = listing.organisation
    exact_public = bool(
        organisation and organisation.lat == location.lat and organisation.lon == location.lon
    )
    listing.lat, listing.lon = location.lat, location.lon
    listing.public_lat, listing.public_lon = public_point(location, exact_public)
    listing.exact_location_public = exact_public
    listing.place_key = location.place_key
    listing.place_name = location.place_name
    listing.municipality = location.municipality


def _record_consent(listing: Listing, consent: ConsentInput | None, recorded_by: User) -> None:
    listing.on_behalf = consent is not None
    if consent is None:
        listing.consent = None
        return
    listing.consent = Consent(
        resident_reference=consent.resident_reference,
        given_by=consent.given_by,
        given_on=consent.given_on,
        purpose=consent.purpose,
        recorded_by_id=recorded_by.id,
    )


def publish(listing: Listing, now: datetime, expiry_months: int) -> None:
    """Make a draft (or closed/expired listing) public until it expires."""
    listing.status = ListingStatus.PUBLISHED
    listing.published_at = listing.published_at or now
    renew(listing, now, expiry_months)


def renew(listing: Listing, now: datetime, expiry_months: int) -> None:
    """The owner confirms the listing is still current: the expiry moves forward."""
    listing.confirmed_at = now
    listing.expires_at = now + timedelta(days=DAYS_PER_MONTH * expiry_months)
    if listing.status is ListingStatus.EXPIRED:
        listing.status = ListingStatus.PUBLISHED


def close(listing: Listing, now: datetime, fulfilled: bool = False) -> None:
    """Take the listing off the map; `fulfilled` records that it found its match."""
    listing.status = ListingStatus.CLOSED
    listing.closed_at = now
    listing.fulfilled = fulfilled


def expire_due(session: Session, now: datetime) -> int:
    """Expire every published listing past its date; returns how many."""
    result = session.execute(
        update(Listing)
        .where(Listing.status == ListingStatus.PUBLISHED, Listing.expires_at < now)
        .values(status=ListingStatus.EXPIRED)
        .execution_options(synchronize_session="fetch")
    )
    return result.rowcount or 0


def is_stale(listing: Listing | ListingCard, now: datetime, stale_after_days: int) -> bool:
    """Not confirmed for a while: shown with a warning until it is renewed or expires."""
    return listing.confirmed_at is not None and now - listing.confirmed_at > timedelta(
        days=stale_after_days
    )


def due_for_reminder(session: Session, now: datetime, stale_after_days: int) -> list[Listing]:
    """Published listings that turn stale within a week and whose owner was not reminded."""
    threshold = now - timedelta(days=stale_after_days - 7)
    return list(
        session.scalars(
            select(Listing).where(
                Listing.status == ListingStatus.PUBLISHED,
                Listing.confirmed_at < threshold,
                Listing.reminded_at.is_(None) | (Listing.reminded_at < Listing.confirmed_at),
            )
        )
    )
