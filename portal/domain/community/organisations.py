"""Organisations: profile, members and the officer's verified mark."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from ...models import Membership, Organisation, OrganisationKind, User
from ..catalogue.themes import themes_by_slug
from ..errors import FieldError
from ..identity.accounts import find_user
from ..places.geography import Location
from ..text import N_


@dataclass(frozen=True)
class OrganisationInput:
    """The profile form's values."""

    name: str
    kind: OrganisationKind
    description: str
    address: str
    location: Location
    theme_slugs: tuple[str, ...]
    website: str = ""
    contact_email: str = ""
    contact_phone: str = ""
    accessibility: dict[str, bool] | None = None


def save_profile(
    session: Session, organisation: Organisation | None, data: OrganisationInput, editor: User
) -> Organisation:
    """Create (with the editor as managing member) or update an organisation. Flushes."""
    if organisation is None:
        organisation = Organisation(kind=data.kind, name=data.name)
        organisation.memberships.append(Membership(user=editor, manager=True))
        session.add(organisation)
    for name in (
        "name",
        "kind",
        "description",
        "address",
        "website",
        "contact_email",
        "contact_phone",
    ):
        setattr(organisation, name, getattr(data, name))
    for name, value in (data.accessibility or {}).items():
        setattr(organisation, name, value)
    organisation.themes = themes_by_slug(session, data.theme_slugs)
    _place(organisation, data.location)
    session.flush()
    return organisation


def _place(organisation: Organisation, location: Location) -> None:
    """An organisation's address is public, so its exact point is shown."""
    organisation.lat = organisation.public_lat = location.lat
    organisation.lon = organisation.public_lon = location.lon
    organisation.place_key = location.place_key
    organisation.place_name = location.place_name
    organisation.municipality = location.municipality


def add_member(session: Session, organisation: Organisation, email: str, manager: bool) -> User:
    """Add an existing account as a member; a Dutch error at the e-mail field otherwise."""
    user = find_user(session, email)
    if user is None:
        raise FieldError(
            "email",
            N_(
                "Er is nog geen account met dit e-mailadres. Vraag de persoon eerst een account te maken."
            ),
        )
    if any(membership.user_id == user.id for membership in organisation.memberships):
        raise FieldError("email", N_("Deze persoon is al lid."))
    organisation.memberships.append(Membership(user=user, manager=manager))
    session.flush()
    return user


def set_verified(organisation: Organisation, officer: User, verified: bool, now: datetime) -> None:
    """An officer vouches for (or withdraws trust in) an organisation."""
    organisation.verified = verified
    organisation.verified_at = now if verified else None
    organisation.verified_by_id = officer.id if verified else None
