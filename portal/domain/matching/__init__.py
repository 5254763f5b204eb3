"""Who can help whom: ranked candidates of the complementary side, nearby and on the same theme.

Request-free. ``find_candidates(session, subject)`` takes a need, offer or resource listing, a
volunteer profile or an organisation and returns frozen `Candidate`s, each with its score parts
and a short Dutch explanation ("biedt spullen aan · 2,1 km · zelfde thema: naoberzorg").

Sides: a need meets offers/resources, volunteers and organisations; an offer or resource meets
needs ("Wie zoekt dit?") and organisations; a volunteer meets needs ("Hier kun je helpen"); an
organisation meets needs and offers ("Partners in de buurt").

Eligibility: the helping side must reach the need. An offer's working area (a radius around its
point, chosen villages, or its whole municipality) must contain the need's place; a volunteer's
travel radius must fit the distance; organisations work within `ORGANISATION_REACH_KM`.
Distances are great-circle (haversine). Full activities, paused profiles,
volunteers at their maximum of open matches and unpublished or hidden listings never appear,
and at least one theme must be shared — or, between listings, a material kind (space, money,
materials) that one asks for and the other offers: a need for materials is shown the builder's
free materials whatever their themes.

Privacy (the rule every reader of places follows): anything one person can observe that depends
on another resident's location — reach, distances shown or used for ordering, partners nearby,
gaps, digests — is computed from public points only. A resident's public point is the centre of
their village or district; an organisation's address, and a listing at it, is public and exact.
Exact points are never read here, so moving one's own listing and watching who appears, or how
far away, recovers at best a village centre (``tests/web/test_location_inference.py``). Between
two residents of one village the distance is 0: the explanation says "zelfde dorp".

Score: weighted parts in [0, 1] that add up to the score (`WEIGHTS`): distance
1 / (1 + km / 5), shared themes / the subject's themes, asks (the share of what the need asks
for — volunteers, help, space, money, materials — that the other side brings; unknown 0.5,
weighted as much as the themes), time (shared day parts 0.75 to 1, none
in common 0, unknown 0.5), freshness (confirmed within a month 1, fading to 0 after a year),
load (volunteers 1 - open / maximum, others 1 / (1 + open)) and verified (1 or 0).

Cost: each side is one query on the (public_lat, public_lon) index within a circle that starts small (1.25 km)
and widens only while too few candidates turn up, so the rows read grow with the density
nearby, not with the database. The SQL keeps the nearest ``limit * POOL_FACTOR`` eligible rows
(the cheap first score) with their shared themes and open matches; Python checks those exactly,
then scores them and explains the best. Statements are built once with bound parameters, so a
query costs its execution, not its construction.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...models import Listing, ListingKind, Match, MatchStatus, Organisation, VolunteerProfile
from ...models.base import utcnow
from ..places.gazetteer import haversine_km
from .explaining import explanation
from .scoring import Scored, explain, rank_candidate, score
from .sql import search
from .subjects import plain_subject, plans
from .values import (
    LISTING,
    MAX_CANDIDATES,
    MUNICIPALITY_SPAN_KM,
    ORGANISATION,
    ORGANISATION_REACH_KM,
    SIDES,
    VOLUNTEER,
    WEIGHTS,
    Candidate,
    Found,
    Plan,
    Reach,
    Reason,
    Subject,
)

__all__ = [
    "LISTING",
    "MAX_CANDIDATES",
    "MUNICIPALITY_SPAN_KM",
    "ORGANISATION",
    "ORGANISATION_REACH_KM",
    "SIDES",
    "VOLUNTEER",
    "WEIGHTS",
    "Candidate",
    "Reach",
    "Reason",
    "explanation",
    "find_candidates",
    "has_candidate",
    "persist_suggestions",
    "suggests",
]

# --- the public API ------------------------------------------------------------------------


def find_candidates(
    session: Session,
    subject: Listing | VolunteerProfile | Organisation,
    now: datetime | None = None,
    limit: int = 10,
    sides: Collection[str] = SIDES,
) -> list[Candidate]:
    """Up to `limit` candidates per side, best first; `sides` leaves out e.g. volunteers.

    Public pages must pass ``sides=(LISTING, ORGANISATION)``: volunteer profiles are for the
    owner of the need only.
    """
    plain = plain_subject(subject)
    if plain is None or not plain.themes:
        return []
    moment = now or utcnow()
    found: list[Candidate] = []
    # Sides that start alike (listings, volunteers: both live where people live) start the
    # next search near where the previous one settled.
    settled: dict[float, float | None] = {}
    for plan in plans(plain):
        if plan.side.name in sides:
            candidates, settled[plan.side.start_km] = _side_candidates(
                session, plan, plain, moment, limit, settled.get(plan.side.start_km)
            )
            found.extend(candidates)
    return sorted(found, key=rank_candidate)


def has_candidate(
    session: Session,
    subject: Listing | VolunteerProfile | Organisation,
    now: datetime | None = None,
) -> bool:
    """Whether any side has a candidate; stops at the first side that has one (for gaps)."""
    plain = plain_subject(subject)
    if plain is None or not plain.themes:
        return False
    moment = now or utcnow()
    return any(_side_candidates(session, plan, plain, moment, 1, None)[0] for plan in plans(plain))


def suggests(
    session: Session,
    subject: Listing | VolunteerProfile | Organisation,
    kind: str,
    candidate_id: int,
    now: datetime | None = None,
) -> bool:
    """Whether the longest list of candidates anyone can ask for holds this one now."""
    candidates = find_candidates(session, subject, now, limit=MAX_CANDIDATES, sides=(kind,))
    return any(candidate.kind == kind and candidate.id == candidate_id for candidate in candidates)


def persist_suggestions(
    session: Session, subject_listing: Listing, candidates: Iterable[Candidate]
) -> int:
    """Store candidates of a need as `suggested` matches; returns how many were written.

    An existing suggestion for the same pair is updated in place; a match that was already
    contacted, accepted or declined is left exactly as it is. Flushes, never commits.
    """
    if subject_listing.kind is not ListingKind.NEED:
        raise ValueError("suggestions are stored for needs only")
    existing = {
        _match_key(match): match
        for match in session.scalars(select(Match).where(Match.listing_id == subject_listing.id))
    }
    written = 0
    for candidate in candidates:
        match = existing.get((candidate.kind, candidate.id))
        if match is None:
            match = Match(listing_id=subject_listing.id)
            setattr(match, _MATCH_COLUMN[candidate.kind], candidate.id)
            session.add(match)
        elif match.status is not MatchStatus.SUGGESTED:
            continue
        _fill_match(match, candidate)
        written += 1
    session.flush()
    return written


_MATCH_COLUMN = {
    LISTING: "candidate_listing_id",
    VOLUNTEER: "volunteer_profile_id",
    ORGANISATION: "organisation_id",
}


def _match_key(match: Match) -> tuple[str, int | None]:
    if match.volunteer_profile_id is not None:
        return VOLUNTEER, match.volunteer_profile_id
    if match.organisation_id is not None:
        return ORGANISATION, match.organisation_id
    return LISTING, match.candidate_listing_id


def _fill_match(match: Match, candidate: Candidate) -> None:
    match.status = MatchStatus.SUGGESTED
    match.score = candidate.score
    match.distance_km = candidate.distance_km
    match.shared_themes = list(candidate.shared_themes)
    match.score_parts = dict(candidate.score_parts)
    match.explanation = candidate.explanation


def _side_candidates(
    session: Session,
    plan: Plan,
    subject: Subject,
    now: datetime,
    limit: int,
    hint_km: float | None,
) -> tuple[list[Candidate], float | None]:
    """Search, check exactly, score and keep the best `limit` of one side; also returns the
    radius the search settled on."""
    rows, radius = search(session, plan, subject, limit, hint_km, now)
    found = [item for item in map(plan.side.found, rows) if _reaches(plan, subject, item)]
    scored = sorted((score(subject, item, now) for item in found), key=Scored.rank)
    return [explain(plan.side.name, subject, item) for item in scored[:limit]], radius


def _reaches(plan: Plan, subject: Subject, found: Found) -> bool:
    """The haversine test behind the SQL estimate: whose area must hold whom."""
    distance = haversine_km(subject.lat, subject.lon, found.lat, found.lon)
    if plan.reach is not None:
        return plan.reach.covers(distance, found.place_key, found.municipality)
    return found.reach.covers(distance, subject.place_key, subject.municipality)
