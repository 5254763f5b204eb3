"""`seed-demo`: a lived-in portal in real places, safe to run again (it only adds what is missing)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain.catalogue import listings
from ..domain.catalogue.listings import ConsentInput, ListingInput
from ..domain.catalogue.themes import seed_themes
from ..domain.community import organisations, volunteers, wishes
from ..domain.identity.accounts import find_user
from ..domain.identity.passwords import hash_password
from ..domain.places.geography import Location, resolve_offline
from ..models import (
    AccessRoute,
    AreaKind,
    Involvement,
    Listing,
    ListingKind,
    Organisation,
    OrganisationKind,
    Role,
    ScheduleKind,
    User,
    Wish,
)
from ..models.base import utcnow
from .seed_data import DEMO_PASSWORD, LISTINGS, ORGANISATIONS, USERS, VOLUNTEERS, WISHES

EXPIRY_MONTHS = 6


def place(name: str) -> Location:
    """A demo place, resolved as a form would (the demo names are unambiguous)."""
    location = resolve_offline(name).location
    if location is None:
        raise LookupError(f"demo place {name!r} is not in the gazetteer")
    return location


def seed_demo(session: Session, now: datetime | None = None) -> dict[str, int]:
    """Add every missing demo item; returns how many of each were added."""
    now = now or utcnow()
    return {
        "thema's": seed_themes(session),
        "accounts": _seed_users(session),
        "organisaties": _seed_organisations(session),
        "vraag en aanbod": _seed_listings(session, now),
        "vrijwilligers": _seed_volunteers(session),
        "wensen": _seed_wishes(session, now),
    }


def _seed_users(session: Session) -> int:
    password_hash = hash_password(DEMO_PASSWORD)
    missing = [row for row in USERS if find_user(session, row[0]) is None]
    for email, name, role in missing:
        session.add(
            User(email=email, display_name=name, role=Role(role), password_hash=password_hash,
                 privacy_consent_at=utcnow())
        )  # fmt: skip
    session.flush()
    return len(missing)


def _seed_organisations(session: Session) -> int:
    existing = set(session.scalars(select(Organisation.name)))
    added = 0
    for name, kind, where, address, manager, themes, verified, facts, description in ORGANISATIONS:
        if name in existing:
            continue
        data = organisations.OrganisationInput(
            name=name, kind=OrganisationKind(kind), description=description, address=address,
            location=place(where), theme_slugs=themes,
            contact_email=manager, accessibility={fact: True for fact in facts},
        )  # fmt: skip
        organisation = organisations.save_profile(session, None, data, find_user(session, manager))
        organisation.verified = verified
        added += 1
    session.flush()
    return added


def _seed_listings(session: Session, now: datetime) -> int:
    existing = set(session.scalars(select(Listing.title)))
    added = 0
    for email, organisation_name, kind, where, themes, title, description, extra in LISTINGS:
        if title in existing:
            continue
        owner = find_user(session, email)
        organisation = session.scalar(
            select(Organisation).where(Organisation.name == organisation_name)
        )
        data = _listing_input(kind, where, themes, title, description, extra, organisation, now)
        listing = listings.create_listing(session, owner, data)
        listing.spots_taken = extra.get("spots_taken", 0)
        listings.publish(listing, now, EXPIRY_MONTHS)
        added += 1
    return added


def _listing_input(
    kind, where, themes, title, description, extra, organisation, now
) -> ListingInput:
    """Turn a demo row into the same input the form produces."""
    location = _organisation_location(organisation, where) if organisation else place(where)
    values = dict(extra)
    values.pop("spots_taken", None)
    consent = values.pop("on_behalf", None)
    enums = {"area_kind": AreaKind, "schedule_kind": ScheduleKind, "involvement": Involvement,
             "access_route": AccessRoute}  # fmt: skip
    for name, enum_class in enums.items():
        if name in values:
            values[name] = enum_class(values[name])
    if "area_places" in values:
        values["area_places"] = tuple(place(name).place_key for name in values["area_places"])
    if values.get("schedule_kind") is ScheduleKind.ONCE:
        values["event_date"] = date.fromordinal(now.date().toordinal() + 12)
    for name in ("weekly_slots", "contributions", "reach"):
        if name in values:
            values[name] = tuple(values[name])
    return ListingInput(
        kind=ListingKind(kind), title=title, description=description, theme_slugs=themes,
        location=location, organisation_id=organisation.id if organisation else None,
        consent=ConsentInput(given_on=now.date(), **consent) if consent else None, **values,
    )  # fmt: skip


def _organisation_location(organisation: Organisation, where: str) -> Location:
    """Listings of an organisation sit at its (public) address."""
    village = place(where)
    return Location(
        organisation.lat, organisation.lon, village.place_key, village.place_name,
        village.municipality, "gazetteer",
    )  # fmt: skip


def _seed_volunteers(session: Session) -> int:
    added = 0
    for email, where, themes, skills, availability, radius in VOLUNTEERS:
        user = find_user(session, email)
        if volunteers.profile_of(session, user) is not None:
            continue
        data = volunteers.VolunteerInput(
            display_name=user.display_name, theme_slugs=themes, skills=skills,
            availability=availability, travel_radius_km=radius, max_open_matches=3, paused=False,
            location=place(where),
        )  # fmt: skip
        volunteers.save_profile(session, user, data)
        added += 1
    return added


def _seed_wishes(session: Session, now: datetime) -> int:
    existing = set(session.scalars(select(Wish.body)))
    moderator = find_user(session, USERS[1][0])
    added = 0
    for where, themes, text, approved in WISHES:
        if text in existing:
            continue
        wish = wishes.leave_wish(session, text, place(where), themes)
        if approved:
            wishes.moderate(wish, moderator, approve=True, now=now)
        added += 1
    return added
