"""The matching engine's constants and plain values: candidates, reaches, subjects, sides."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import (
    ColumnElement,
    Row,
    Subquery,
    Table,
)

from ...models import (
    AreaKind,
    ListingKind,
    ScheduleKind,
)
from ..catalogue.schedule import clean, date_slots

LISTING, VOLUNTEER, ORGANISATION = "listing", "volunteer", "organisation"
NEED = "need"  # ListingKind.NEED's value: the subject whose asks decide
SIDES = (LISTING, VOLUNTEER, ORGANISATION)

KM_PER_DEGREE = 111.195
#: The widest working area the forms allow; no search goes further.
MAX_REACH_KM = 200.0
#: How far an organisation is taken to work (the same seen from either side).
ORGANISATION_REACH_KM = 25.0
#: No municipality is wider, so a search for "same municipality" may stop there.
MUNICIPALITY_SPAN_KM = 60.0
POOL_FACTOR = 2
#: The most candidates per side any list asks for (the API's maximum).
MAX_CANDIDATES = 50
#: The SQL distance is a flat-earth estimate; it may admit a little more, Python decides.
SQL_SLACK = 1.02

WEIGHTS = {
    "distance": 0.30,
    "themes": 0.20,
    "asks": 0.20,  # what a need asks for weighs as much as the theme
    "time": 0.12,
    "freshness": 0.08,
    "load": 0.07,
    "verified": 0.03,
}
#: What a need can be given rather than done: a listing offering one of these the need asks for
#: is a candidate even under another theme (the builder's free materials for a meeting place).
MATERIAL = frozenset({"space", "money", "materials"})
#: What a volunteer brings, in the words of a listing's contributions.
VOLUNTEER_BRINGS = frozenset({"volunteers", "help", "hours"})
#: At this distance the distance part is worth half of what it is next door.
HALF_DISTANCE_KM = 5.0
FRESH_DAYS = 30
STALE_DAYS = 365
NEUTRAL = 0.5
#: A contact nobody answered stops taking up a helper's room after this long.
UNANSWERED_FOR = timedelta(days=7)
#: Bound to "not this one" when there is nothing to exclude (ids start at 1).
NOBODY = 0
#: A place key no JSON text contains (JSON escapes control characters).
NO_PLACE = "\x01"


@dataclass(frozen=True)
class Reason:
    """One part of why a candidate fits, as plain values; worded per language (`explaining`)."""

    code: str
    values: tuple = ()  # JSON-friendly: strings and numbers (dates as ISO strings), nested tuples


@dataclass(frozen=True)
class Candidate:
    """One ranked candidate, safe to show to the subject's owner.

    `place_name` is the coarse village and `distance_km` runs between the two public points,
    so nobody's home shows through, to the owner nor to the candidate.
    """

    kind: str  # LISTING | VOLUNTEER | ORGANISATION
    id: int
    title: str
    place_name: str
    distance_km: float
    shared_themes: tuple[str, ...]
    score: float
    score_parts: dict[str, float]
    explanation: str  # the reasons in Dutch (stored with a match, shown by the API)
    listing_kind: str | None = None
    reasons: tuple[Reason, ...] = ()

    @classmethod
    def from_plain(cls, row: dict) -> Candidate:
        """A candidate back from `dataclasses.asdict` and a JSON round trip (the result cache)."""
        reasons = tuple(Reason(plain["code"], _tuples(plain["values"])) for plain in row["reasons"])
        return cls(**{**row, "shared_themes": tuple(row["shared_themes"]), "reasons": reasons})


def _tuples(value):
    """JSON gives lists where the reasons had tuples."""
    return tuple(map(_tuples, value)) if isinstance(value, list | tuple) else value


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
class Schedule:
    """When something happens or someone can: weekly slots, or the slots of one date."""

    slots: tuple[str, ...] = ()
    day: date | None = None


@dataclass(frozen=True)
class Subject:
    """The subject in plain values; `lat`/`lon` are its public point."""

    kind: str  # a ListingKind value, VOLUNTEER or ORGANISATION
    lat: float
    lon: float
    place_key: str | None
    municipality: str | None
    themes: dict[int, tuple[str, str, str]]  # theme id -> (slug, Dutch label, English label)
    schedule: Schedule
    reach: Reach
    owner_id: int | None = None
    organisation_id: int | None = None
    listing_id: int | None = None
    contributions: frozenset[str] = frozenset()  # asked (a need) or brought (the others)

    @property
    def materials(self) -> tuple[str, ...]:
        """The material kinds this subject asks or brings, in a fixed order (SQL parameters)."""
        return tuple(sorted(self.contributions & MATERIAL))


@dataclass(frozen=True)
class Found:
    """A candidate row before scoring; `lat`/`lon` are its public point (see the package doc)."""

    id: int
    title: str
    lat: float
    lon: float
    place_key: str | None
    place_name: str
    municipality: str | None
    schedule: Schedule = Schedule()
    reach: Reach | None = None
    fresh_at: datetime | None = None
    verified: bool = False
    max_open: int | None = None
    listing_kind: str | None = None
    theme_ids: frozenset[int] = frozenset()
    busy: int = 0
    contributions: frozenset[str] = frozenset()  # asked (a need) or brought; empty: unknown


@dataclass(frozen=True)
class Side:
    """How to search one kind of candidate."""

    name: str
    table: Table
    link: Table
    link_column: str
    columns: str  # the columns scoring needs, space-separated
    found: Callable[[Row], Found]
    filters: Callable[[Subquery, tuple[ListingKind, ...]], list[ColumnElement[bool]]]
    own_reach: Callable[[Subquery, ColumnElement], ColumnElement[bool]] | None
    open_columns: tuple[str, ...]  # match columns whose open matches keep a candidate busy
    start_km: float  # the first circle


@dataclass(frozen=True)
class Plan:
    """One side to search for a subject; `reach` None means each row's own area decides."""

    side: Side
    kinds: tuple[ListingKind, ...] = ()
    reach: Reach | None = None


def listing_schedule(kind: ScheduleKind, day: date | None, slots: list[str] | None) -> Schedule:
    """A one-off listing occupies its date; others their weekly slots (possibly none)."""
    if kind is ScheduleKind.ONCE and day is not None:
        return Schedule(date_slots(day, slots), day)
    return Schedule(clean(slots))


def listing_reach(
    kind: AreaKind, radius_km: float, municipality: str | None, places: list[str] | None
) -> Reach:
    return Reach(kind, radius_km, municipality, frozenset(places or ()))
