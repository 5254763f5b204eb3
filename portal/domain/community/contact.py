"""The contact that follows a match: a conversation, accepted or declined, and its outcome.

Personal contact details are shared only after the other side accepts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from ...models import (
    Conversation,
    Listing,
    ListingStatus,
    Match,
    MatchStatus,
    Message,
    Organisation,
    User,
    VolunteerProfile,
)
from ..catalogue import listings
from ..errors import FieldError
from ..identity.signing import fingerprint, make_token, read_token
from ..matching import LISTING, ORGANISATION, VOLUNTEER, suggests
from ..text import N_

OUTCOME_PURPOSE = "match-outcome"
OUTCOME_AFTER = timedelta(days=14)
CONTACTS_PER_DAY = 15


@dataclass(frozen=True)
class CandidateRef:
    """Which candidate the owner of a listing wants to contact."""

    kind: str  # LISTING | VOLUNTEER | ORGANISATION
    id: int


def contact_person(session: Session, candidate: CandidateRef) -> User | None:
    """Who answers for a candidate: the volunteer, the listing's owner, an organisation manager."""
    if candidate.kind == VOLUNTEER:
        profile = session.get(VolunteerProfile, candidate.id)
        return profile.user if profile and not profile.paused else None
    if candidate.kind == LISTING:
        listing = session.get(Listing, candidate.id)
        return listing.owner if listing else None
    if candidate.kind == ORGANISATION:
        organisation = session.get(Organisation, candidate.id)
        managers = [m.user for m in organisation.memberships if m.manager] if organisation else []
        return managers[0] if managers else None
    return None


def _check_body(body: str) -> str:
    text = (body or "").strip()
    if len(text) < 5:
        raise FieldError("body", N_("Schrijf een kort bericht, bijvoorbeeld wanneer u kunt."))
    return text


def start(
    session: Session,
    initiator: User,
    listing: Listing,
    body: str,
    now: datetime,
    candidate: CandidateRef | None = None,
    per_day: int = CONTACTS_PER_DAY,
) -> Conversation:
    """Open a conversation about a listing (with a candidate, or with the listing's contact).

    A candidate must be one the matching suggests for the published listing at this moment,
    and nobody opens more than `per_day` conversations a day: contact is for the people the
    portal put forward, not a way to reach (or learn the names of) everyone.
    """
    text = _check_body(body)
    _check_daily_contacts(session, initiator, now, per_day)
    if candidate is not None:
        _check_suggested(session, listing, candidate, now)
    recipient = contact_person(session, candidate) if candidate else listing.owner
    if recipient is None or recipient.id == initiator.id:
        raise FieldError("body", N_("Met deze persoon kunt u via de website geen contact opnemen."))
    match = _contact_match(session, initiator, listing, candidate, now)
    conversation = Conversation(
        listing=listing, match_id=match.id if match else None, initiator=initiator, recipient=recipient,
        status=MatchStatus.CONTACTED,
    )  # fmt: skip
    conversation.messages.append(Message(sender=initiator, body=text, created_at=now))
    session.add(conversation)
    session.flush()
    return conversation


def _check_daily_contacts(session: Session, initiator: User, now: datetime, per_day: int) -> None:
    opened = session.scalar(
        select(func.count()).where(
            Conversation.initiator_id == initiator.id,
            Conversation.created_at > now - timedelta(days=1),
        )
    )
    if opened >= per_day:
        raise FieldError(
            "body",
            N_("U heeft vandaag al veel gesprekken geopend. Probeer het morgen opnieuw."),
        )


def _check_suggested(
    session: Session, listing: Listing, candidate: CandidateRef, now: datetime
) -> None:
    published = listing.status is ListingStatus.PUBLISHED and not listing.hidden
    if not (published and suggests(session, listing, candidate.kind, candidate.id, now)):
        raise FieldError(
            "body",
            N_(
                "Deze persoon of organisatie staat niet (meer) bij de suggesties voor uw "
                "oproep. Kies iemand uit de lijst hieronder."
            ),
        )


def _contact_match(
    session: Session,
    initiator: User,
    listing: Listing,
    candidate: CandidateRef | None,
    now: datetime,
) -> Match | None:
    """The match this contact is about, created if the pair was not suggested yet."""
    if candidate is None:
        profile = session.scalar(
            select(VolunteerProfile).where(VolunteerProfile.user_id == initiator.id)
        )
        if profile is None:
            return None
        candidate = CandidateRef(VOLUNTEER, profile.id)
    column = {LISTING: Match.candidate_listing_id, VOLUNTEER: Match.volunteer_profile_id,
              ORGANISATION: Match.organisation_id}[candidate.kind]  # fmt: skip
    match = session.scalar(
        select(Match).where(Match.listing_id == listing.id, column == candidate.id)
    )
    if match is None:
        match = Match(listing_id=listing.id, score=0.0, distance_km=0.0, explanation="")
        setattr(match, column.key, candidate.id)
        session.add(match)
    match.status = MatchStatus.CONTACTED
    match.contacted_at = now
    session.flush()
    return match


def is_participant(conversation: Conversation, user: User | None) -> bool:
    ids = {conversation.initiator_id, conversation.recipient_id} - {None}
    return user is not None and getattr(user, "id", None) in ids


def reply(
    session: Session, conversation: Conversation, sender: User, body: str, now: datetime
) -> Message:
    """Add a message from one of the two participants."""
    message = Message(sender=sender, body=_check_body(body), created_at=now)
    conversation.messages.append(message)
    session.flush()
    return message


def answer(
    session: Session, conversation: Conversation, user: User, accept: bool, now: datetime
) -> None:
    """The recipient accepts (contact details are shared from now on) or declines."""
    if user.id != conversation.recipient_id:
        raise PermissionError("only the recipient answers a contact request")
    status = MatchStatus.ACCEPTED if accept else MatchStatus.DECLINED
    conversation.status = status
    conversation.accepted_at = now if accept else None
    if conversation.match_id:
        session.get(Match, conversation.match_id).status = status
    session.flush()


def shares_contact_details(conversation: Conversation, viewer: User | None) -> bool:
    """Details of the other side only after acceptance, and only for the two participants."""
    return conversation.status is MatchStatus.ACCEPTED and is_participant(conversation, viewer)


def other_side(conversation: Conversation, viewer: User) -> User | None:
    return (
        conversation.recipient if viewer.id == conversation.initiator_id else conversation.initiator
    )


def conversations_of(session: Session, user: User) -> list[Conversation]:
    """The user's conversations, newest first."""
    mine = or_(Conversation.initiator_id == user.id, Conversation.recipient_id == user.id)
    return list(session.scalars(select(Conversation).where(mine).order_by(Conversation.id.desc())))


def mark_fulfilled(listing: Listing, now: datetime) -> None:
    """The need found its help: off the map, counted as answered."""
    listings.close(listing, now, fulfilled=True)


# --- outcome: two weeks after contact, one question to both sides ---------------------------


def due_outcome_questions(session: Session, now: datetime) -> list[Conversation]:
    """Conversations contacted over two weeks ago whose match was not asked yet."""
    cutoff = now - OUTCOME_AFTER
    statement = (
        select(Conversation)
        .join(Match, Match.id == Conversation.match_id)
        .where(Match.contacted_at < cutoff, Match.outcome_asked_at.is_(None))
    )
    return list(session.scalars(statement))


def outcome_token(match: Match, user: User, secret: str) -> str:
    return make_token(
        secret, OUTCOME_PURPOSE, {"m": match.id, "u": user.id, "f": fingerprint(match.id, user.id)}
    )


def read_outcome_token(session: Session, token: str, secret: str, max_age: int) -> Match | None:
    payload = read_token(secret, OUTCOME_PURPOSE, token, max_age)
    if not payload or payload.get("f") != fingerprint(payload.get("m"), payload.get("u")):
        return None
    return session.get(Match, payload["m"])


def record_outcome(match: Match, helped: bool) -> None:
    """Did this lead to help? The officer's dashboard counts matches made from this."""
    match.helped = helped
    if helped:
        match.status = MatchStatus.ACCEPTED
