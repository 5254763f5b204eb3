"""The SQL side of matching: one statement per side, searched in widening circles."""

from __future__ import annotations

import functools
import math
from datetime import datetime

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

from ...models import (
    AreaKind,
    Listing,
    ListingKind,
    ListingStatus,
    Match,
    MatchStatus,
    Organisation,
    VolunteerProfile,
)
from ...models.base import Timestamp
from ...models.listing import listing_theme
from ...models.organisation import organisation_theme
from ...models.volunteer import volunteer_profile_theme
from ..catalogue.schedule import clean
from .values import (
    KM_PER_DEGREE,
    LISTING,
    MAX_REACH_KM,
    NO_PLACE,
    NOBODY,
    ORGANISATION,
    ORGANISATION_REACH_KM,
    POOL_FACTOR,
    SQL_SLACK,
    UNANSWERED_FOR,
    VOLUNTEER,
    VOLUNTEER_BRINGS,
    Found,
    Plan,
    Reach,
    Schedule,
    Side,
    Subject,
    listing_reach,
    listing_schedule,
)

# --- the three sides -----------------------------------------------------------------------


def _place(row: Row) -> dict[str, object]:
    return {
        "id": row.id,
        "lat": row.public_lat,
        "lon": row.public_lon,
        "place_key": row.place_key,
        "place_name": row.place_name or "",
        "municipality": row.municipality,
        "theme_ids": frozenset(map(int, row.shared.split(","))) if row.shared else frozenset(),
        "busy": row.busy,
    }


def _unindexed(column: ColumnElement) -> ColumnElement:
    """The column as an expression no index serves.

    Status and kind hold for most rows; a planner without statistics (SQLite) or with a low
    estimate for the box (PostgreSQL) would rather walk or AND their index than stay on
    (lat, lon). ``status || ''`` keeps both on the spatial index.
    """
    return cast(column, String).concat("")


def _listing_found(row: Row) -> Found:
    return Found(
        **_place(row),
        title=row.title,
        schedule=listing_schedule(row.schedule_kind, row.event_date, row.weekly_slots),
        reach=listing_reach(row.area_kind, row.radius_km, row.municipality, row.area_places),
        fresh_at=row.confirmed_at,
        verified=bool(row.verified),
        listing_kind=row.kind.value,
        contributions=frozenset(row.contributions or ()),
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


LISTINGS = Side(
    name=LISTING,
    table=Listing.__table__,
    link=listing_theme,
    link_column="listing_id",
    columns=(
        "id kind title public_lat public_lon place_key place_name municipality "
        "area_kind radius_km area_places schedule_kind event_date weekly_slots "
        "confirmed_at verified contributions"
    ),
    found=_listing_found,
    filters=_listing_filters,
    own_reach=_listing_area_reaches,
    open_columns=("listing_id", "candidate_listing_id"),
    start_km=1.25,
)


def _volunteer_found(row: Row) -> Found:
    return Found(
        **_place(row),
        title=row.display_name,
        schedule=Schedule(clean(row.availability)),
        reach=Reach.around(row.travel_radius_km),
        fresh_at=row.updated_at,
        max_open=row.max_open_matches,
        contributions=VOLUNTEER_BRINGS,
    )


def _volunteer_filters(near: Subquery, _kinds: tuple) -> list[ColumnElement[bool]]:
    """Paused profiles never appear, nor the subject's owner."""
    return [near.c.paused.is_(False), near.c.user_id != bindparam("not_owner")]


def _travel_reaches(near: Subquery, squared_km: ColumnElement) -> ColumnElement[bool]:
    """The volunteer's travel radius fits the distance."""
    radius = near.c.travel_radius_km
    return squared_km <= radius * radius * SQL_SLACK


VOLUNTEERS = Side(
    name=VOLUNTEER,
    table=VolunteerProfile.__table__,
    link=volunteer_profile_theme,
    link_column="volunteer_profile_id",
    columns=(
        "id display_name public_lat public_lon place_key place_name municipality "
        "availability travel_radius_km max_open_matches updated_at"
    ),
    found=_volunteer_found,
    filters=_volunteer_filters,
    own_reach=_travel_reaches,
    open_columns=("volunteer_profile_id",),
    start_km=1.25,
)


def _organisation_found(row: Row) -> Found:
    return Found(
        **_place(row), title=row.name, fresh_at=row.confirmed_at, verified=bool(row.verified)
    )


def _organisation_filters(near: Subquery, _kinds: tuple) -> list[ColumnElement[bool]]:
    return [near.c.id != bindparam("not_organisation")]


ORGANISATIONS = Side(
    name=ORGANISATION,
    table=Organisation.__table__,
    link=organisation_theme,
    link_column="organisation_id",
    columns=(
        "id name public_lat public_lon place_key place_name municipality confirmed_at verified"
    ),
    found=_organisation_found,
    filters=_organisation_filters,
    own_reach=None,
    open_columns=("organisation_id",),
    start_km=ORGANISATION_REACH_KM,  # organisations are few: one query covers their reach
)


# --- searching -----------------------------------------------------------------------------


def _squared_km(table: Table) -> ColumnElement:
    """Squared distance in km² between public points: flat earth, cosine at the mid-latitude.

    The cosine is linearised around the subject's latitude (bound as `cos`, `sin_half`;
    SQLite has no trigonometry), which stays within a fraction of a percent over the 200 km a
    search may span.
    """
    dlat = table.c.public_lat - bindparam("lat", type_=Float)
    dlon = table.c.public_lon - bindparam("lon", type_=Float)
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
    side: Side,
    kinds: tuple[ListingKind, ...],
    themes: int,
    materials: int,
    area: AreaKind | None,
    bounded: bool,
) -> Select:
    """The nearest eligible rows of one side; `area` None: the rows' own areas decide.

    Eligible: a shared theme, or (listings) a material kind the subject asks or brings.

    Built once per variant with plain bound parameters (see `_parameters`): no expanding IN
    lists, so executing it costs no re-rendering. The distance is computed once, in `near`.
    """
    table = side.table
    near = select(table, _squared_km(table).label("squared_km"))
    if bounded:
        near = near.where(
            table.c.public_lat.between(bindparam("lat_low"), bindparam("lat_high")),
            table.c.public_lon.between(bindparam("lon_low"), bindparam("lon_high")),
        )
    near = near.subquery("near")
    squared = near.c.squared_km
    reach = side.own_reach(near, squared) if area is None else _fixed_reach(near, squared, area)
    shared, busy = _shared_themes(side, near, themes), _busy(side, near)
    statement = select(*(near.c[name] for name in side.columns.split()), shared, busy).where(
        *side.filters(near, kinds), reach, _related(side, near, shared, materials)
    )
    if side is VOLUNTEERS:
        statement = statement.where(busy < near.c.max_open_matches)
    if bounded:
        statement = statement.where(squared <= bindparam("circle_squared", type_=Float))
    # Residents of one village share its centre: among equals the newest come first.
    return statement.order_by(squared, near.c.id.desc()).limit(bindparam("pool", type_=Integer))


def _related(side: Side, near: Subquery, shared: ColumnElement, materials: int) -> ColumnElement:
    """A shared theme, or a listing with one of the subject's material kinds (space, money…)."""
    if side is not LISTINGS or not materials:
        return shared.is_not(None)
    contributions = cast(near.c.contributions, Text)
    kinds = [bindparam(f"material_{number}", type_=String) for number in range(materials)]
    return or_(shared.is_not(None), *(contributions.contains(kind) for kind in kinds))


def _shared_themes(side: Side, near: Subquery, themes: int) -> ColumnElement:
    """The subject's themes this row has too, as "3,7" (NULL when none: not a candidate)."""
    link = side.link
    wanted = [bindparam(f"theme_{number}", type_=Integer) for number in range(themes)]
    return (
        select(func.aggregate_strings(cast(link.c.theme_id, String), ","))
        .where(link.c[side.link_column] == near.c.id, link.c.theme_id.in_(wanted))
        .scalar_subquery()
        .label("shared")
    )


def _busy(side: Side, near: Subquery) -> ColumnElement:
    """Accepted matches of this row and contacts of the last week: the work on its plate.

    A declined contact never counts, an unanswered one only for `UNANSWERED_FOR`, so nobody
    takes a volunteer off the map by writing to them.
    """
    match = Match.__table__
    is_open = or_(
        match.c.status == MatchStatus.ACCEPTED,
        and_(
            match.c.status == MatchStatus.CONTACTED,
            match.c.contacted_at > bindparam("contacted_since", type_=Timestamp),
        ),
    )
    counts = [
        select(func.count()).where(match.c[column] == near.c.id, is_open).scalar_subquery()
        for column in side.open_columns
    ]
    return sum(counts[1:], counts[0]).label("busy")


def _parameters(plan: Plan, subject: Subject, limit: int, now: datetime) -> dict[str, object]:
    """Everything the statements bind, for one side and subject."""
    phi = math.radians(subject.lat)
    reach = plan.reach or Reach.around(0.0)
    themes = {f"theme_{number}": theme for number, theme in enumerate(sorted(subject.themes))}
    materials = {f"material_{n}": f'"{kind}"' for n, kind in enumerate(subject.materials)}
    return {
        **themes,
        **materials,
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
        "contacted_since": now - UNANSWERED_FOR,
    }


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _circle(subject: Subject, radius_km: float) -> dict[str, float]:
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


def search(
    session: Session,
    plan: Plan,
    subject: Subject,
    limit: int,
    hint_km: float | None,
    now: datetime,
) -> tuple[list[Row], float | None]:
    """Widen the circle until `limit` rows turn up or the reach ends.

    The first circle is the side's start, or a little inside where a side with the same start
    settled for this subject (listings and volunteers both live where people live).
    """
    parameters = _parameters(plan, subject, limit, now)
    area = plan.reach.kind if plan.reach else None
    furthest = plan.reach.search_km if plan.reach else MAX_REACH_KM
    variant = (plan.side, plan.kinds, len(subject.themes), len(subject.materials), area)
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
