"""Who may do what with listings and organisations (one place, used by views and tests)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...models import (
    Listing,
    ListingStatus,
    Membership,
    Organisation,
    OrganisationKind,
    Role,
    User,
    Wish,
)


def is_member(user: User | None, organisation: Organisation | None) -> bool:
    """Whether the user acts for this organisation."""
    if user is None or organisation is None or not user.is_authenticated:
        return False
    return any(membership.user_id == user.id for membership in organisation.memberships)


def is_manager(user: User | None, organisation: Organisation) -> bool:
    """Whether the user may edit the organisation and add members."""
    return any(
        m.user_id == getattr(user, "id", None) and m.manager for m in organisation.memberships
    )


def can_edit_listing(user: User | None, listing: Listing) -> bool:
    """The owner, a member of the owning organisation, or an admin."""
    if user is None or not user.is_authenticated:
        return False
    if user.role is Role.ADMIN or listing.owner_id == user.id:
        return True
    return is_member(user, listing.organisation)


def can_edit_organisation(user: User | None, organisation: Organisation) -> bool:
    """A managing member or an admin."""
    if user is None or not user.is_authenticated:
        return False
    return user.role is Role.ADMIN or is_manager(user, organisation)


def can_moderate(user: User | None) -> bool:
    """Officers and admins hide, verify and moderate."""
    return user is not None and user.is_authenticated and user.is_officer


def can_view_listing(user: User | None, listing: Listing) -> bool:
    """Published, visible listings are public; anything else only for editors and moderators."""
    if listing.status is ListingStatus.PUBLISHED and not listing.hidden:
        return True
    return can_edit_listing(user, listing) or can_moderate(user)


def is_trusted(user: User | None, listing: Listing) -> bool:
    """Officers, admins and members of a verified organisation that owns the listing."""
    if user is None or not user.is_authenticated:
        return False
    if user.is_officer:
        return True
    organisation = listing.organisation
    return bool(organisation and organisation.verified and is_member(user, organisation))


def edit_needs_review(user: User | None, listing: Listing) -> bool:
    """An untrusted edit to a listing that has been public waits for review; the old version stays.

    "Has been public" rather than "is published": otherwise closing, editing and publishing
    again would put unreviewed text on the map.
    """
    return listing.published_at is not None and not is_trusted(user, listing)


def wish_places(session: Session, user: User | None) -> frozenset[str] | None:
    """The villages whose flessenpost the user may moderate; None means all (officers, admins).

    A member of a verified village council moderates the wishes of the council's own village.
    """
    if user is None or not user.is_authenticated:
        return frozenset()
    if user.is_officer:
        return None
    keys = session.scalars(
        select(Organisation.place_key)
        .join(Membership, Membership.organisation_id == Organisation.id)
        .where(
            Membership.user_id == user.id,
            Organisation.kind == OrganisationKind.VILLAGE_COUNCIL,
            Organisation.verified.is_(True),
            Organisation.place_key.is_not(None),
        )
    )
    return frozenset(keys)


def can_moderate_wish(session: Session, user: User | None, wish: Wish) -> bool:
    """Officers and admins for every wish; a verified council's members for their village."""
    places = wish_places(session, user)
    return places is None or wish.place_key in places
