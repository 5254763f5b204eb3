"""The resident's rights (AVG): see everything we hold, and leave with it gone."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from ...models import (
    ApiToken,
    Conversation,
    Listing,
    ListingStatus,
    Match,
    Membership,
    MembershipInvitation,
    Message,
    Role,
    User,
    VolunteerProfile,
)
from ...models.audit import AuditEntry
from ...models.moderation import ListingRevision, OrganisationRevision, Report, RevisionStatus
from ..catalogue import listings

DELETED_NAME = "verwijderde gebruiker"
PERSONAL_ROLES = (Role.RESIDENT, Role.ORGANISATION)


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _listing_json(listing: Listing) -> dict[str, Any]:
    consent = listing.consent
    return {
        "id": listing.id,
        "kind": listing.kind.value,
        "status": listing.status.value,
        "title": listing.title,
        "description": listing.description,
        "themes": [theme.slug for theme in listing.themes],
        "place": listing.place_name,
        "municipality": listing.municipality,
        "exact_point": [listing.lat, listing.lon],
        "public_point": [listing.public_lat, listing.public_lon],
        "created_at": _iso(listing.created_at),
        "consent": None if consent is None else {
            "resident_reference": consent.resident_reference, "given_by": consent.given_by,
            "given_on": consent.given_on.isoformat(), "purpose": consent.purpose,
        },
    }  # fmt: skip


def _volunteer_json(profile: VolunteerProfile | None) -> dict[str, Any] | None:
    if profile is None:
        return None
    return {
        "display_name": profile.display_name,
        "themes": [theme.slug for theme in profile.themes],
        "skills": profile.skills,
        "availability": profile.availability,
        "travel_radius_km": profile.travel_radius_km,
        "place": profile.place_name,
        "exact_point": [profile.lat, profile.lon],
        "paused": profile.paused,
    }


def export_user_data(session: Session, user: User) -> dict[str, Any]:
    """Everything the portal holds about this person, as plain JSON-ready data."""
    owned = session.scalars(select(Listing).where(Listing.owner_id == user.id)).all()
    profile = session.scalar(select(VolunteerProfile).where(VolunteerProfile.user_id == user.id))
    memberships = session.scalars(select(Membership).where(Membership.user_id == user.id)).all()
    sent = session.scalars(select(Message).where(Message.sender_id == user.id)).all()
    tokens = session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)).all()
    reports = session.scalars(select(Report).where(Report.reporter_id == user.id)).all()
    edits = session.scalars(
        select(ListingRevision).where(ListingRevision.author_id == user.id)
    ).all()
    return {
        "account": {
            "email": user.email, "display_name": user.display_name, "phone": user.phone,
            "role": user.role.value, "language": user.locale, "created_at": _iso(user.created_at),
            "privacy_consent_at": _iso(user.privacy_consent_at), "last_login_at": _iso(user.last_login_at),
        },
        "listings": [_listing_json(listing) for listing in owned],
        "volunteer_profile": _volunteer_json(profile),
        "organisations": [
            {"name": m.organisation.name, "manager": m.manager} for m in memberships
        ],
        "api_tokens": [
            {"name": t.name, "created_at": _iso(t.created_at), "last_used_at": _iso(t.last_used_at)}
            for t in tokens
        ],
        "messages_sent": [
            {"conversation": m.conversation_id, "body": m.body, "sent_at": _iso(m.created_at)}
            for m in sent
        ],
        "reports_made": [
            {"listing": r.listing_id, "reason": r.reason, "status": r.status.value,
             "made_at": _iso(r.created_at)}
            for r in reports
        ],
        "edits_for_review": [
            {"listing": e.listing_id, "fields": e.data, "status": e.status.value,
             "reason": e.reason, "sent_at": _iso(e.created_at)}
            for e in edits
        ],
    }  # fmt: skip


def delete_account(session: Session, user: User, now: datetime) -> None:
    """Remove the person: listings close and lose their name, messages stay for the other side
    as from a "verwijderde gebruiker", the volunteer profile and memberships go."""
    for listing in session.scalars(select(Listing).where(Listing.owner_id == user.id)):
        if listing.status is ListingStatus.PUBLISHED:
            listings.close(listing, now)
        listing.owner_id = None
    profile_ids = select(VolunteerProfile.id).where(VolunteerProfile.user_id == user.id)
    session.execute(delete(Match).where(Match.volunteer_profile_id.in_(profile_ids)))
    session.execute(delete(VolunteerProfile).where(VolunteerProfile.user_id == user.id))
    session.execute(delete(Membership).where(Membership.user_id == user.id))
    session.execute(update(Message).where(Message.sender_id == user.id).values(sender_id=None))
    for revisions in (ListingRevision, OrganisationRevision):
        session.execute(  # an edit nobody stands behind any more is not applied
            delete(revisions).where(
                revisions.author_id == user.id, revisions.status == RevisionStatus.PENDING
            )
        )
    session.execute(  # invitations are kept by address: the address goes with the person
        delete(MembershipInvitation).where(MembershipInvitation.email == user.email)
    )
    for column in (Conversation.initiator_id, Conversation.recipient_id):
        session.execute(update(Conversation).where(column == user.id).values({column.key: None}))
    session.execute(update(AuditEntry).where(AuditEntry.actor_id == user.id).values(actor_id=None))
    session.flush()
    session.delete(user)
    session.flush()


def inactive_accounts(session: Session, now: datetime, after_days: int) -> list[User]:
    """Accounts nobody used for `after_days` (by last login, else by creation)."""
    cutoff = now - timedelta(days=after_days)
    last_seen = or_(
        User.last_login_at < cutoff, User.last_login_at.is_(None) & (User.created_at < cutoff)
    )
    return list(session.scalars(select(User).where(last_seen, User.role.in_(PERSONAL_ROLES))))


def expired_listings_to_remove(session: Session, now: datetime, after_days: int) -> list[Listing]:
    """Listings expired or closed long ago: no reason to keep them."""
    cutoff = now - timedelta(days=after_days)
    ended = Listing.status.in_([ListingStatus.EXPIRED, ListingStatus.CLOSED])
    return list(session.scalars(select(Listing).where(ended, Listing.updated_at < cutoff)))
