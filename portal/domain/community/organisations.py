"""Organisations: profile, members and the officer's verified mark."""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...models import Membership, MembershipInvitation, Organisation, OrganisationKind, User
from ..catalogue.themes import themes_by_slug
from ..identity.accounts import find_user, normalise_email
from ..places.geography import Location

#: What visitors trust a verified organisation by: a change to these waits for an officer.
TRUSTED_FIELDS = ("name", "kind", "website", "contact_email", "contact_phone")


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


def plain_value(value: object) -> object:
    """An enum as its stored value, anything else as it is."""
    return value.value if isinstance(value, enum.Enum) else value


def trusted_changes(organisation: Organisation, data: OrganisationInput) -> dict[str, object]:
    """The trusted fields this input would change, with their new values (as JSON values)."""
    return {
        name: plain_value(getattr(data, name))
        for name in TRUSTED_FIELDS
        if plain_value(getattr(data, name)) != plain_value(getattr(organisation, name))
    }


def without_trusted_changes(
    organisation: Organisation, data: OrganisationInput
) -> OrganisationInput:
    """The input with the trusted fields as they are now (the rest may go live at once)."""
    return replace(data, **{name: getattr(organisation, name) for name in TRUSTED_FIELDS})


def apply_trusted_changes(organisation: Organisation, values: dict[str, object]) -> None:
    """Set approved trusted fields (values as stored by `trusted_changes`)."""
    for name, value in values.items():
        if name in TRUSTED_FIELDS:
            setattr(organisation, name, OrganisationKind(value) if name == "kind" else value)


def _place(organisation: Organisation, location: Location) -> None:
    """An organisation's address is public, so its exact point is shown."""
    organisation.lat = organisation.public_lat = location.lat
    organisation.lon = organisation.public_lon = location.lon
    organisation.place_key = location.place_key
    organisation.place_name = location.place_name
    organisation.municipality = location.municipality


def invite_member(
    session: Session,
    organisation: Organisation,
    email: str,
    manager: bool,
    inviter: User,
    now: datetime,
) -> User | None:
    """Invite an address to become a member (again: a newer invitation replaces the older).

    Returns the account that may accept it, for the caller to tell, or None: the caller then
    mails the address an invitation to register, so the inviting manager learns nothing about
    whether the address has an account, and nobody becomes a member without accepting. Flushes.
    """
    address = normalise_email(email)
    invitation = session.scalar(
        select(MembershipInvitation).where(
            MembershipInvitation.organisation_id == organisation.id,
            MembershipInvitation.email == address,
        )
    )
    if invitation is None:
        invitation = MembershipInvitation(organisation=organisation, email=address)
        session.add(invitation)
    invitation.manager, invitation.invited_by_id, invitation.created_at = manager, inviter.id, now
    session.flush()
    invitee = find_user(session, address)
    return invitee if invitee is not None and invitee.active and invitee.email_confirmed else None


def invitations_for(session: Session, user: User) -> list[MembershipInvitation]:
    """The invitations waiting for this user's address, oldest first."""
    statement = select(MembershipInvitation).where(
        MembershipInvitation.email == normalise_email(user.email)
    )
    return list(session.scalars(statement.order_by(MembershipInvitation.id)))


def invitation_for(session: Session, user: User, invitation_id: int) -> MembershipInvitation | None:
    """One of this user's invitations, or None (someone else's is as good as missing)."""
    invitation = session.get(MembershipInvitation, invitation_id)
    if invitation is None or invitation.email != normalise_email(user.email):
        return None
    return invitation


def accept_invitation(session: Session, invitation: MembershipInvitation, user: User) -> None:
    """The invitee says yes: from now on a member (a manager if so invited). Flushes."""
    organisation = invitation.organisation
    membership = next((m for m in organisation.memberships if m.user_id == user.id), None)
    if membership is None:
        organisation.memberships.append(Membership(user=user, manager=invitation.manager))
    else:
        membership.manager = membership.manager or invitation.manager
    session.delete(invitation)
    session.flush()


def decline_invitation(session: Session, invitation: MembershipInvitation) -> None:
    """The invitee says no; the manager is not told who declined. Flushes."""
    session.delete(invitation)
    session.flush()


def set_verified(organisation: Organisation, officer: User, verified: bool, now: datetime) -> None:
    """An officer vouches for (or withdraws trust in) an organisation."""
    organisation.verified = verified
    organisation.verified_at = now if verified else None
    organisation.verified_by_id = officer.id if verified else None
