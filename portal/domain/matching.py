"""Who can help whom: ranked candidates of the complementary side, nearby and on the same theme.

Request-free. ``find_candidates(session, subject)`` takes a need, offer or resource listing, a
volunteer profile or an organisation and returns frozen `Candidate`s, each with its score parts
and a short Dutch explanation ("2,1 km · zelfde thema: naoberzorg · beiden dinsdagochtend").

Sides: a need meets offers/resources, volunteers and organisations; an offer or resource meets
needs ("Wie zoekt dit?") and organisations; a volunteer meets needs ("Hier kun je helpen"); an
organisation meets needs and offers ("Partners in de buurt").

Eligibility: the helping side must reach the need. An offer's working area (a radius around its
point, chosen villages, or its whole municipality) must contain the need's place; a volunteer's
travel radius must fit the distance; organisations work within `ORGANISATION_REACH_KM`.
Distances are great-circle (haversine). Full activities, paused profiles,
volunteers at their maximum of open matches and unpublished or hidden listings never appear,
and at least one theme must be shared.

Score: weighted parts in [0, 1] that add up to the score (`WEIGHTS`): distance
1 / (1 + km / 5), shared themes / the subject's themes, time (shared day parts 0.75 to 1, none
in common 0, unknown 0.5), freshness (confirmed within a month 1, fading to 0 after a year),
load (volunteers 1 - open / maximum, others 1 / (1 + open)) and verified (1 or 0).

Cost: each side is one query on the (lat, lon) index within a circle that starts small (1.25 km)
and widens only while too few candidates turn up, so the rows read grow with the density
nearby, not with the database. The SQL keeps the nearest ``limit * POOL_FACTOR`` eligible rows
(the cheap first score) with their shared themes and open matches; Python checks those exactly,
then scores them and explains the best. Statements are built once with bound parameters, so a
query costs its execution, not its construction.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import (
    ColumnElement,
    Float,
    Integer,
    Row,
    Select,
    String,
    Subquery,
    Table,
    Text,
    and_,
    bindparam,
    cast,
    func,
    or_,
    select,
)
from sqlalchemy.orm import Session

from ..models import (
    AreaKind,
    Listing,
    ListingKind,
    ListingStatus,
    Match,
    MatchStatus,
    Organisation,
    ScheduleKind,
    VolunteerProfile,
)
from ..models.base import as_utc, utcnow
from ..models.listing import listing_theme
from ..models.organisation import organisation_theme
from ..models.volunteer import volunteer_profile_theme
from .gazetteer import haversine_km
from .schedule import clean, date_label, date_slots, overlap, slot_label

LISTING, VOLUNTEER, ORGANISATION = "listing", "volunteer", "organisation"
SIDES = (LISTING, VOLUNTEER, ORGANISATION)

KM_PER_DEGREE = 111.195
#: The widest working area the forms allow; no search goes further.
MAX_REACH_KM = 200.0
#: How far an organisation is taken to work (the same seen from either side).
ORGANISATION_REACH_KM = 25.0
#: No municipality is wider, so a search for "same municipality" may stop there.
MUNICIPALITY_SPAN_KM = 60.0
POOL_FACTOR = 2
#: The SQL distance is a flat-earth estimate; it may admit a little more, Python decides.
SQL_SLACK = 1.02

WEIGHTS = {
    "distance": 0.35,
    "themes": 0.25,
    "time": 0.15,
    "freshness": 0.10,
    "load": 0.10,
    "verified": 0.05,
}
#: At this distance the distance part is worth half of what it is next door.
HALF_DISTANCE_KM = 5.0
FRESH_DAYS = 30
STALE_DAYS = 365
NEUTRAL = 0.5
OPEN_STATUSES = (MatchStatus.CONTACTED, MatchStatus.ACCEPTED)
#: Bound to "not this one" when there is nothing to exclude (ids start at 1).
NOBODY = 0
#: A place key no JSON text contains (JSON escapes control characters).
NO_PLACE = "\x01"


@dataclass(frozen=True)
class Candidate:
    """One ranked candidate, safe to show to the subject's owner.

    `place_name` is the coarse village and `distance_km` runs from the subject to the
    candidate's public point, so a volunteer's home never shows through.
    """

    kind: str  # LISTING | VOLUNTEER | ORGANISATION
    id: int
    title: str
    place_name: str
    distance_km: float
    shared_themes: tuple[str, ...]
    score: float
    score_parts: dict[str, float]
    explanation: str
    listing_kind: str | None = None


@dataclass(frozen=True)
class Reach:
    """A working area: a radius around a point, a whole municipality, or chosen villages."""

    kind: AreaKind
    radius_km: float = 0.0
    municipality: str | None = None
    places: frozenset[str] = frozenset()

    @classmethod
    def around(cls, radius_km: float) -> Reach:
        return cls(AreaKind.RADIUS, radius_km=radius_km)

    def covers(self, distance_km: float, place_key: str | None, municipality: str | None) -> bool:
        """True when a point at this distance, in this place and municipality, lies inside."""
        if self.kind is AreaKind.MUNICIPALITY:
            return municipality is not None and municipality == self.municipality
        if self.kind is AreaKind.VILLAGES:
            return place_key in self.places
        return distance_km <= self.radius_km

    @property
    def search_km(self) -> float | None:
        """How far a spatial search must go; None for chosen villages (their index finds them)."""
        if self.kind is AreaKind.VILLAGES:
            return None
        return MUNICIPALITY_SPAN_KM if self.kind is AreaKind.MUNICIPALITY else self.radius_km


@dataclass(frozen=True)
class _Schedule:
    """When something happens or someone can: weekly slots, or the slots of one date."""

    slots: tuple[str, ...] = ()
    day: date | None = None


@dataclass(frozen=True)
class _Subject:
    """The subject in plain values."""

    kind: str  # a ListingKind value, VOLUNTEER or ORGANISATION
    lat: float
    lon: float
    place_key: str | None
    municipality: str | None
    themes: dict[int, tuple[str, str]]  # theme id -> (slug, Dutch label)
    schedule: _Schedule
    reach: Reach
    owner_id: int | None = None
    organisation_id: int | None = None
    listing_id: int | None = None


@dataclass(frozen=True)
class _Found:
    """A candidate row before scoring; `lat`/`lon` are exact and never leave this module."""

    id: int
    title: str
    lat: float
    lon: float
    public: tuple[float, float]
    place_key: str | None
    place_name: str
    municipality: str | None
    schedule: _Schedule = _Schedule()
    reach: Reach | None = None
    fresh_at: datetime | None = None
    verified: bool = False
    max_open: int | None = None
    listing_kind: str | None = None
    theme_ids: frozenset[int] = frozenset()
    busy: int = 0


@dataclass(frozen=True)
class _Side:
    """How to search one kind of candidate."""

    name: str
    table: Table
    link: Table
    link_column: str
    columns: str  # the columns scoring needs, space-separated
    found: Callable[[Row], _Found]
    filters: Callable[[Subquery, tuple[ListingKind, ...]], list[ColumnElement[bool]]]
    own_reach: Callable[[Subquery, ColumnElement], ColumnElement[bool]] | None
    open_columns: tuple[str, ...]  # match columns whose open matches keep a candidate busy
    start_km: float  # the first circle


@dataclass(frozen=True)
class _Plan:
    """One side to search for a subject; `reach` None means each row's own area decides."""

    side: _Side
    kinds: tuple[ListingKind, ...] = ()
    reach: Reach | None = None


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
    plain = _plain_subject(subject)
    if plain is None or not plain.themes:
        return []
    moment = now or utcnow()
    found: list[Candidate] = []
    # Sides that start alike (listings, volunteers: both live where people live) start the
    # next search near where the previous one settled.
    settled: dict[float, float | None] = {}
    for plan in _plans(plain):
        if plan.side.name in sides:
            candidates, settled[plan.side.start_km] = _side_candidates(
                session, plan, plain, moment, limit, settled.get(plan.side.start_km)
            )
            found.extend(candidates)
    return sorted(found, key=_rank)


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


def dutch_km(distance_km: float) -> str:
    """A distance the Dutch way: "2,1 km", "35 km"; "< 0,1 km" in the same spot."""
    rounded = round(distance_km, 1)
    if rounded < 0.1:
        return "< 0,1 km"
    if rounded < 10:
        return f"{rounded:.1f}".replace(".", ",") + " km"
    return f"{round(rounded)} km"


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


# --- subjects ------------------------------------------------------------------------------


def _plain_subject(subject: Listing | VolunteerProfile | Organisation) -> _Subject | None:
    """The subject as plain values, or None when it has no location to match from."""
    if subject.lat is None or subject.lon is None:
        return None
    if isinstance(subject, Listing):
        schedule = _listing_schedule(
            subject.schedule_kind, subject.event_date, subject.weekly_slots
        )
        reach = _listing_reach(
            subject.area_kind, subject.radius_km, subject.municipality, subject.area_places
        )
        ids = {"owner_id": subject.owner_id, "organisation_id": subject.organisation_id}
        return _subject(subject, subject.kind.value, schedule, reach, listing_id=subject.id, **ids)
    if isinstance(subject, VolunteerProfile):
        schedule = _Schedule(clean(subject.availability))
        reach = Reach.around(subject.travel_radius_km)
        return _subject(subject, VOLUNTEER, schedule, reach, owner_id=subject.user_id)
    reach = Reach.around(ORGANISATION_REACH_KM)
    return _subject(subject, ORGANISATION, _Schedule(), reach, organisation_id=subject.id)


def _subject(subject, kind: str, schedule: _Schedule, reach: Reach, **ids: int | None) -> _Subject:
    return _Subject(
        kind=kind,
        lat=subject.lat,
        lon=subject.lon,
        place_key=subject.place_key,
        municipality=subject.municipality,
        themes={theme.id: (theme.slug, theme.label_nl) for theme in subject.themes},
        schedule=schedule,
        reach=reach,
        **ids,
    )


def _listing_schedule(kind: ScheduleKind, day: date | None, slots: list[str] | None) -> _Schedule:
    """A one-off listing occupies its date; others their weekly slots (possibly none)."""
    if kind is ScheduleKind.ONCE and day is not None:
        return _Schedule(date_slots(day, slots), day)
    return _Schedule(clean(slots))


def _listing_reach(
    kind: AreaKind, radius_km: float, municipality: str | None, places: list[str] | None
) -> Reach:
    return Reach(kind, radius_km, municipality, frozenset(places or ()))


def _plans(subject: _Subject) -> list[_Plan]:
    """The complementary sides of a subject, and whose working area decides."""
    organisations = _Plan(ORGANISATIONS, reach=Reach.around(ORGANISATION_REACH_KM))
    if subject.kind == ListingKind.NEED.value:
        offers = (ListingKind.OFFER, ListingKind.RESOURCE)
        return [_Plan(LISTINGS, offers), _Plan(VOLUNTEERS), organisations]
    if subject.kind == VOLUNTEER:
        return [_Plan(LISTINGS, (ListingKind.NEED,), subject.reach)]
    if subject.kind == ORGANISATION:
        return [_Plan(LISTINGS, (ListingKind.NEED, ListingKind.OFFER), subject.reach)]
    return [_Plan(LISTINGS, (ListingKind.NEED,), subject.reach), organisations]


# --- the three sides -----------------------------------------------------------------------


def _point(row: Row) -> tuple[float, float]:
    """What a viewer may see of a candidate: its public point, else a ~1 km grid cell."""
    if row.public_lat is not None and row.public_lon is not None:
        return row.public_lat, row.public_lon
    return round(row.lat, 2), round(row.lon, 2)


def _place(row: Row) -> dict[str, object]:
    return {
        "id": row.id,
        "lat": row.lat,
        "lon": row.lon,
        "public": _point(row),
        "place_key": row.place_key,
        "place_name": row.place_name or "",
        "municipality": row.municipality,
        "theme_ids": frozenset(map(int, row.shared.split(","))),
        "busy": row.busy,
    }


def _unindexed(column: ColumnElement) -> ColumnElement:
    """The column as an expression no index serves.

    Status and kind hold for most rows; a planner without statistics (SQLite) or with a low
    estimate for the box (PostgreSQL) would rather walk or AND their index than stay on
    (lat, lon). ``status || ''`` keeps both on the spatial index.
    """
    return cast(column, String).concat("")


def _listing_found(row: Row) -> _Found:
    return _Found(
        **_place(row),
        title=row.title,
        schedule=_listing_schedule(row.schedule_kind, row.event_date, row.weekly_slots),
        reach=_listing_reach(row.area_kind, row.radius_km, row.municipality, row.area_places),
        fresh_at=row.confirmed_at,
        verified=bool(row.verified),
        listing_kind=row.kind.value,
    )


def _listing_filters(near: Subquery, kinds: tuple[ListingKind, ...]) -> list[ColumnElement[bool]]:
    """Published, visible, not full, not the subject itself nor its owner's."""
    c = near.c
    return [
        _unindexed(c.status) == ListingStatus.PUBLISHED.value,
        c.hidden.is_(False),
        or_(*(_unindexed(c.kind) == kind.value for kind in kinds)),
        or_(c.capacity.is_(None), c.spots_taken < c.capacity),
        c.id != bindparam("not_listing"),
        or_(c.owner_id.is_(None), c.owner_id != bindparam("not_owner")),
        or_(c.organisation_id.is_(None), c.organisation_id != bindparam("not_organisation")),
    ]


def _listing_area_reaches(near: Subquery, squared_km: ColumnElement) -> ColumnElement[bool]:
    """A candidate listing's own working area contains the subject's place."""
    c = near.c
    # `'%' || :key || '%'`, not a bare parameter: SQLite re-prepares a statement on every run
    # when a LIKE pattern is a bare parameter (its LIKE optimisation).
    in_villages = cast(c.area_places, Text).contains(bindparam("place_quoted"), escape="\\")
    return or_(
        and_(c.area_kind == AreaKind.RADIUS, squared_km <= c.radius_km * c.radius_km * SQL_SLACK),
        and_(c.area_kind == AreaKind.MUNICIPALITY, c.municipality == bindparam("municipality")),
        and_(c.area_kind == AreaKind.VILLAGES, in_villages),
    )


LISTINGS = _Side(
    name=LISTING,
    table=Listing.__table__,
    link=listing_theme,
    link_column="listing_id",
    columns=(
        "id kind title lat lon public_lat public_lon place_key place_name municipality "
        "area_kind radius_km area_places schedule_kind event_date weekly_slots "
        "confirmed_at verified"
    ),
    found=_listing_found,
    filters=_listing_filters,
    own_reach=_listing_area_reaches,
    open_columns=("listing_id", "candidate_listing_id"),
    start_km=1.25,
)


def _volunteer_found(row: Row) -> _Found:
    return _Found(
        **_place(row),
        title=row.display_name,
        schedule=_Schedule(clean(row.availability)),
        reach=Reach.around(row.travel_radius_km),
        fresh_at=row.updated_at,
        max_open=row.max_open_matches,
    )


def _volunteer_filters(near: Subquery, _kinds: tuple) -> list[ColumnElement[bool]]:
    """Paused profiles never appear, nor the subject's owner."""
    return [near.c.paused.is_(False), near.c.user_id != bindparam("not_owner")]


def _travel_reaches(near: Subquery, squared_km: ColumnElement) -> ColumnElement[bool]:
    """The volunteer's travel radius fits the distance."""
    radius = near.c.travel_radius_km
    return squared_km <= radius * radius * SQL_SLACK


VOLUNTEERS = _Side(
    name=VOLUNTEER,
    table=VolunteerProfile.__table__,
    link=volunteer_profile_theme,
    link_column="volunteer_profile_id",
    columns=(
        "id display_name lat lon public_lat public_lon place_key place_name municipality "
        "availability travel_radius_km max_open_matches updated_at"
    ),
    found=_volunteer_found,
    filters=_volunteer_filters,
    own_reach=_travel_reaches,
    open_columns=("volunteer_profile_id",),
    start_km=1.25,
)


def _organisation_found(row: Row) -> _Found:
    return _Found(
        **_place(row), title=row.name, fresh_at=row.confirmed_at, verified=bool(row.verified)
    )


def _organisation_filters(near: Subquery, _kinds: tuple) -> list[ColumnElement[bool]]:
    return [near.c.id != bindparam("not_organisation")]


ORGANISATIONS = _Side(
    name=ORGANISATION,
    table=Organisation.__table__,
    link=organisation_theme,
    link_column="organisation_id",
    columns=(
        "id name lat lon public_lat public_lon place_key place_name municipality "
        "confirmed_at verified"
    ),
    found=_organisation_found,
    filters=_organisation_filters,
    own_reach=None,
    open_columns=("organisation_id",),
    start_km=ORGANISATION_REACH_KM,  # organisations are few: one query covers their reach
)


# --- searching -----------------------------------------------------------------------------


def _squared_km(table: Table) -> ColumnElement:
    """Squared distance in km² from the subject: flat earth, cosine at the mid-latitude.

    The cosine is linearised around the subject's latitude (bound as `cos`, `sin_half`;
    SQLite has no trigonometry), which stays within a fraction of a percent over the 200 km a
    search may span.
    """
    dlat = table.c.lat - bindparam("lat", type_=Float)
    dlon = table.c.lon - bindparam("lon", type_=Float)
    scale = bindparam("cos", type_=Float) - bindparam("sin_half", type_=Float) * dlat
    east = dlon * scale
    return (dlat * dlat + east * east) * KM_PER_DEGREE**2


def _fixed_reach(near: Subquery, squared_km: ColumnElement, kind: AreaKind) -> ColumnElement:
    """Rows inside the subject's own working area."""
    if kind is AreaKind.MUNICIPALITY:  # inside the circle: its own index would read all of it
        return _unindexed(near.c.municipality) == bindparam("reach_municipality")
    if kind is AreaKind.VILLAGES:
        return near.c.place_key.in_(bindparam("reach_places", expanding=True))
    return squared_km <= bindparam("reach_squared", type_=Float)


@functools.cache
def _statement(
    side: _Side,
    kinds: tuple[ListingKind, ...],
    themes: int,
    area: AreaKind | None,
    bounded: bool,
) -> Select:
    """The nearest eligible rows of one side; `area` None: the rows' own areas decide.

    Built once per variant with plain bound parameters (see `_parameters`): no expanding IN
    lists, so executing it costs no re-rendering. The distance is computed once, in `near`.
    """
    table = side.table
    near = select(table, _squared_km(table).label("squared_km"))
    if bounded:
        near = near.where(
            table.c.lat.between(bindparam("lat_low"), bindparam("lat_high")),
            table.c.lon.between(bindparam("lon_low"), bindparam("lon_high")),
        )
    near = near.subquery("near")
    squared = near.c.squared_km
    reach = side.own_reach(near, squared) if area is None else _fixed_reach(near, squared, area)
    shared, busy = _shared_themes(side, near, themes), _busy(side, near)
    statement = select(*(near.c[name] for name in side.columns.split()), shared, busy).where(
        *side.filters(near, kinds), reach, shared.is_not(None)
    )
    if side is VOLUNTEERS:
        statement = statement.where(busy < near.c.max_open_matches)
    if bounded:
        statement = statement.where(squared <= bindparam("circle_squared", type_=Float))
    return statement.order_by(squared, near.c.id).limit(bindparam("pool", type_=Integer))


def _shared_themes(side: _Side, near: Subquery, themes: int) -> ColumnElement:
    """The subject's themes this row has too, as "3,7" (NULL when none: not a candidate)."""
    link = side.link
    wanted = [bindparam(f"theme_{number}", type_=Integer) for number in range(themes)]
    return (
        select(func.aggregate_strings(cast(link.c.theme_id, String), ","))
        .where(link.c[side.link_column] == near.c.id, link.c.theme_id.in_(wanted))
        .scalar_subquery()
        .label("shared")
    )


def _busy(side: _Side, near: Subquery) -> ColumnElement:
    """Contacted or accepted matches of this row: the work already on its plate."""
    match = Match.__table__
    is_open = or_(*(match.c.status == status for status in OPEN_STATUSES))
    counts = [
        select(func.count()).where(match.c[column] == near.c.id, is_open).scalar_subquery()
        for column in side.open_columns
    ]
    return sum(counts[1:], counts[0]).label("busy")


def _parameters(plan: _Plan, subject: _Subject, limit: int) -> dict[str, object]:
    """Everything the statements bind, for one side and subject."""
    phi = math.radians(subject.lat)
    reach = plan.reach or Reach.around(0.0)
    themes = {f"theme_{number}": theme for number, theme in enumerate(sorted(subject.themes))}
    return {
        **themes,
        "lat": subject.lat,
        "lon": subject.lon,
        "cos": math.cos(phi),
        "sin_half": math.sin(phi) * math.pi / 360,
        "not_listing": subject.listing_id or NOBODY,
        "not_owner": subject.owner_id or NOBODY,
        "not_organisation": subject.organisation_id or NOBODY,
        "municipality": subject.municipality,
        "place_quoted": f'"{_escape_like(subject.place_key or NO_PLACE)}"',
        "reach_squared": reach.radius_km**2 * SQL_SLACK,
        "reach_municipality": reach.municipality,
        "reach_places": sorted(reach.places),
        "pool": limit * POOL_FACTOR,
    }


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _circle(subject: _Subject, radius_km: float) -> dict[str, float]:
    """A bounding box the (lat, lon) index can use, and the circle inside it."""
    margin = radius_km * math.sqrt(SQL_SLACK)
    dlat = margin / KM_PER_DEGREE
    dlon = margin / (KM_PER_DEGREE * math.cos(math.radians(min(abs(subject.lat) + dlat, 89.0))))
    return {
        "lat_low": subject.lat - dlat,
        "lat_high": subject.lat + dlat,
        "lon_low": subject.lon - dlon,
        "lon_high": subject.lon + dlon,
        "circle_squared": radius_km * radius_km * SQL_SLACK,
    }


def _growth(found: int, wanted: int) -> float:
    """How much wider to look next: enough for `wanted` at the density seen so far, with a
    margin (every step reads its whole circle again, so falling short costs more)."""
    return min(max(1.2 * math.sqrt(wanted / max(found, 0.5)), 1.4), 6.0)


def _search(
    session: Session, plan: _Plan, subject: _Subject, limit: int, hint_km: float | None
) -> tuple[list[Row], float | None]:
    """Widen the circle until `limit` rows turn up or the reach ends.

    The first circle is the side's start, or a little inside where a side with the same start
    settled for this subject (listings and volunteers both live where people live).
    """
    parameters = _parameters(plan, subject, limit)
    area = plan.reach.kind if plan.reach else None
    furthest = plan.reach.search_km if plan.reach else MAX_REACH_KM
    variant = (plan.side, plan.kinds, len(subject.themes), area)
    if furthest is None:
        return list(session.execute(_statement(*variant, False), parameters)), None
    statement = _statement(*variant, True)
    start = plan.side.start_km if hint_km is None else max(plan.side.start_km, hint_km * 0.7)
    radius = min(start, furthest)
    while True:
        rows = list(session.execute(statement, {**parameters, **_circle(subject, radius)}))
        if len(rows) >= limit or radius >= furthest:
            return rows, radius
        radius = min(radius * _growth(len(rows), limit), furthest)


def _side_candidates(
    session: Session,
    plan: _Plan,
    subject: _Subject,
    now: datetime,
    limit: int,
    hint_km: float | None,
) -> tuple[list[Candidate], float | None]:
    """Search, check exactly, score and keep the best `limit` of one side; also returns the
    radius the search settled on."""
    rows, radius = _search(session, plan, subject, limit, hint_km)
    found = [item for item in map(plan.side.found, rows) if _reaches(plan, subject, item)]
    scored = sorted((_score(subject, item, now) for item in found), key=_Scored.rank)
    return [_explain(plan.side.name, subject, item) for item in scored[:limit]], radius


def _reaches(plan: _Plan, subject: _Subject, found: _Found) -> bool:
    """The exact (haversine) test behind the SQL estimate: whose area must hold whom."""
    distance = haversine_km(subject.lat, subject.lon, found.lat, found.lon)
    if plan.reach is not None:
        return plan.reach.covers(distance, found.place_key, found.municipality)
    return found.reach.covers(distance, subject.place_key, subject.municipality)


# --- scoring and explaining ----------------------------------------------------------------


@dataclass(frozen=True)
class _Scored:
    """A found row with its score; explained only if it makes the top of its side."""

    found: _Found
    distance_km: float
    shared: tuple[tuple[str, str], ...]
    parts: dict[str, float]
    score: float

    def rank(self) -> tuple:
        return (-self.score, self.distance_km, self.found.id)


def _rank(candidate: Candidate) -> tuple:
    return (-candidate.score, candidate.distance_km, candidate.kind, candidate.id)


def _score(subject: _Subject, found: _Found, now: datetime) -> _Scored:
    """Score parts, weighted so that they add up to the score (each part is 0..weight)."""
    distance = round(haversine_km(subject.lat, subject.lon, *found.public), 1)
    shared = tuple(theme for key, theme in subject.themes.items() if key in found.theme_ids)
    raw = {
        "distance": 1 / (1 + distance / HALF_DISTANCE_KM),
        "themes": len(shared) / len(subject.themes),
        "time": _time(subject.schedule, found.schedule)[0],
        "freshness": _freshness(found.fresh_at, now),
        "load": _load(found.busy, found.max_open),
        "verified": 1.0 if found.verified else 0.0,
    }
    parts = {name: WEIGHTS[name] * value for name, value in raw.items()}
    return _Scored(found, distance, shared, parts, sum(parts.values()))


def _explain(side: str, subject: _Subject, scored: _Scored) -> Candidate:
    """The candidate as shown, with its Dutch explanation."""
    found = scored.found
    words = [
        dutch_km(scored.distance_km),
        _themes_text([label for _, label in scored.shared]),
        _time(subject.schedule, found.schedule)[1],
    ]
    if side == ORGANISATION and found.verified:
        words.append("geverifieerd")
    return Candidate(
        kind=side,
        id=found.id,
        title=found.title,
        place_name=found.place_name,
        distance_km=scored.distance_km,
        shared_themes=tuple(slug for slug, _ in scored.shared),
        score=round(scored.score, 4),
        score_parts={name: round(value, 4) for name, value in scored.parts.items()},
        explanation=" · ".join(word for word in words if word),
        listing_kind=found.listing_kind,
    )


def _time(subject: _Schedule, candidate: _Schedule) -> tuple[float, str]:
    """Shared day parts rank higher; a date or week with none in common ranks lower."""
    if not subject.slots or not candidate.slots:
        return NEUTRAL, ""
    if subject.day and candidate.day and subject.day != candidate.day:
        return 0.0, "andere datum"
    day = subject.day or candidate.day
    common = overlap(subject.slots, candidate.slots)
    if not common:
        return 0.0, f"niet op {date_label(day)}" if day else "andere dagdelen"
    score = 0.75 + 0.25 * len(common) / min(len(subject.slots), len(candidate.slots))
    if day:
        return score, f"kan op {date_label(day, common)}"
    return score, "beiden " + _join([slot_label(slot) for slot in common])


def _freshness(moment: datetime | None, now: datetime) -> float:
    """Confirmed within a month counts fully, fading to nothing after a year."""
    if moment is None:
        return NEUTRAL
    age_days = (now - as_utc(moment)).total_seconds() / 86400
    return min(max((STALE_DAYS - age_days) / (STALE_DAYS - FRESH_DAYS), 0.0), 1.0)


def _load(busy: int, max_open: int | None) -> float:
    """Work spreads over people: fewer open matches is better."""
    if max_open:
        return max(1 - busy / max_open, 0.0)
    return 1 / (1 + busy)


def _themes_text(labels: list[str]) -> str:
    if not labels:
        return ""
    names = _join([label.lower() for label in labels])
    return f"zelfde thema: {names}" if len(labels) == 1 else f"zelfde thema's: {names}"


def _join(words: list[str], most: int = 3) -> str:
    """ "a", "a en b", "a, b en c", "a, b, c en 2 meer"."""
    if len(words) > most:
        return ", ".join(words[:most]) + f" en {len(words) - most} meer"
    if len(words) == 1:
        return words[0]
    return ", ".join(words[:-1]) + " en " + words[-1]
