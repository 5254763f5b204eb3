"""Factory helpers that take a session and return saved (flushed) objects."""

from __future__ import annotations

from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from itertools import count
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.domain.catalogue import listings
from portal.domain.catalogue.listings import ListingInput
from portal.domain.identity.passwords import hash_password
from portal.domain.places import geography
from portal.domain.places.gazetteer import default_gazetteer
from portal.domain.places.geography import Location
from portal.models import (
    Listing,
    ListingKind,
    ListingStatus,
    Membership,
    Organisation,
    OrganisationKind,
    Role,
    Theme,
    User,
    VolunteerProfile,
)
from portal.models.base import utcnow

DEFAULT_PASSWORD = "correct horse battery"
_sequence = count(1)
_password_hash = hash_password(DEFAULT_PASSWORD)


def make_user(session: Session, role: Role = Role.RESIDENT, **kwargs) -> User:
    number = next(_sequence)
    values = {
        "email": f"user{number}@example.org",
        "display_name": f"Gebruiker {number}",
        "password_hash": _password_hash,
        "role": role,
    }
    values.update(kwargs)
    user = User(**values)
    session.add(user)
    session.flush()
    return user


def newest_mail(outbox: Path) -> EmailMessage:
    """The last mail written to the development outbox, parsed (after the worker's round)."""
    from portal.domain.mailing.outbox import deliver_due
    from portal.extensions import db
    from portal.jobs.mailer import mail_settings

    deliver_due(db.session, mail_settings(), utcnow())
    newest = max(outbox.glob("*.eml"), key=lambda path: path.name)
    return BytesParser(policy=policy.default).parsebytes(newest.read_bytes())


def make_theme(session: Session, slug: str = "naoberzorg", colour: str = "#01689b") -> Theme:
    """The theme with this slug, created when missing."""
    theme = session.scalar(select(Theme).where(Theme.slug == slug))
    if theme is None:
        theme = Theme(
            slug=slug, label_nl=slug.capitalize(), label_en=slug.capitalize(), colour=colour
        )
        session.add(theme)
        session.flush()
    return theme


def location(place: str = "Roggel") -> Location:
    """A real location from the gazetteer."""
    return geography.from_entry(default_gazetteer().lookup(place).best)


def make_listing(
    session: Session,
    owner: User | None = None,
    kind: ListingKind = ListingKind.NEED,
    place: str = "Roggel",
    themes: tuple[str, ...] = ("naoberzorg",),
    status: ListingStatus = ListingStatus.PUBLISHED,
    point: tuple[float, float] | None = None,
    **kwargs,
) -> Listing:
    """A listing in a real place (or at `point`), published unless told otherwise."""
    for slug in themes:
        make_theme(session, slug)
    owner = owner or make_user(session)
    where = geography.from_point(*point) if point else location(place)
    values = {
        "kind": kind,
        "title": f"{kind.value} in {place}",
        "description": "",
        "location": where,
    }
    values.update(kwargs)
    listing = listings.create_listing(session, owner, ListingInput(theme_slugs=themes, **values))
    if status is ListingStatus.PUBLISHED:
        listings.publish(listing, utcnow(), expiry_months=6)
    else:
        listing.status = status
    session.flush()
    return listing


def make_organisation(
    session: Session,
    kind: OrganisationKind = OrganisationKind.KULTURHUS,
    place: str = "Olst",
    themes: tuple[str, ...] = ("dagbesteding",),
    members: tuple[User, ...] = (),
    **kwargs,
) -> Organisation:
    """An organisation with a public address at the centre of a real place."""
    where = location(place)
    values = {"kind": kind, "name": f"{kind.value} {place}"}
    values.update(kwargs)
    organisation = Organisation(**values)
    organisation.themes = [make_theme(session, slug) for slug in themes]
    organisation.lat, organisation.lon = where.lat, where.lon
    organisation.public_lat, organisation.public_lon = where.lat, where.lon
    organisation.place_key, organisation.place_name = where.place_key, where.place_name
    organisation.municipality = where.municipality
    organisation.memberships = [Membership(user=user, manager=True) for user in members]
    session.add(organisation)
    session.flush()
    return organisation


def make_volunteer(
    session: Session,
    user: User | None = None,
    place: str = "Roggel",
    themes: tuple[str, ...] = ("naoberzorg",),
    point: tuple[float, float] | None = None,
    **kwargs,
) -> VolunteerProfile:
    """A resident's volunteer profile in a real place (or at `point`)."""
    user = user or make_user(session)
    where = geography.from_point(*point) if point else location(place)
    values = {"display_name": user.display_name.split()[0], "travel_radius_km": 5.0}
    values.update(kwargs)
    profile = VolunteerProfile(user=user, **values)
    profile.themes = [make_theme(session, slug) for slug in themes]
    profile.lat, profile.lon = where.lat, where.lon
    profile.public_lat, profile.public_lon = geography.public_point(where, exact_is_public=False)
    profile.place_key, profile.place_name = where.place_key, where.place_name
    profile.municipality = where.municipality
    session.add(profile)
    session.flush()
    return profile
