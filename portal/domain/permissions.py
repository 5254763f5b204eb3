"""Who may do what with listings and organisations (one place, used by views and tests)."""

from __future__ import annotations

from ..models import Listing, ListingStatus, Organisation, Role, User


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
