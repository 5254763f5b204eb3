"""One filter for the list page, the map and the API, so a shared link means the same everywhere.

Query parameters: `kind` (offer, need, resource, organisation; repeatable), `theme` (slug,
repeatable), `near` (place or postcode), `radius_km`, `q` (free text), `page`, `per_page`.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from sqlalchemy import Select, and_, exists, func, select
from sqlalchemy.orm import Session, joinedload

from ...models import Listing, ListingKind, ListingStatus, Organisation, Theme
from ...models.listing import listing_theme
from ..places.gazetteer import haversine_km
from ..places.geography import Location, resolve_offline
from ..text import N_
from . import search

ORGANISATION = "organisation"
KINDS = (*(kind.value for kind in ListingKind), ORGANISATION)
DEFAULT_RADIUS_KM = 10.0
MAX_RADIUS_KM = 300.0
MAX_PER_PAGE = 100
KM_PER_DEGREE = 111.2


@dataclass(frozen=True)
class ListingFilter:
    """A parsed, validated selection; `errors` maps a parameter to a Dutch message."""

    kinds: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    near: str = ""
    radius_km: float = DEFAULT_RADIUS_KM
    q: str = ""
    page: int = 1
    per_page: int = 20
    centre: Location | None = None
    errors: dict[str, str] = field(default_factory=dict)
    #: The ids of `themes` when already known (read from the database otherwise).
    theme_ids: tuple[int, ...] | None = None

    @classmethod
    def from_args(cls, args, session: Session | None = None, per_page: int = 20) -> ListingFilter:
        """Parse request arguments (a MultiDict); resolve `near` when a session is given."""
        errors: dict[str, str] = {}
        kinds = tuple(k for k in _getlist(args, "kind") if k)
        if any(kind not in KINDS for kind in kinds):
            errors["kind"] = N_("Kies aanbod, vraag, middelen of organisatie.")
            kinds = tuple(kind for kind in kinds if kind in KINDS)
        radius = _number(args, "radius_km", DEFAULT_RADIUS_KM, 0.1, MAX_RADIUS_KM, errors)
        parsed = cls(
            kinds=kinds,
            themes=tuple(dict.fromkeys(_text(t) for t in _getlist(args, "theme") if t)),
            near=_text(args.get("near") or "").strip()[:100],
            radius_km=radius,
            q=_text(args.get("q") or "").strip()[:200],
            page=int(_number(args, "page", 1, 1, 10_000, errors)),
            per_page=int(_number(args, "per_page", per_page, 1, MAX_PER_PAGE, errors)),
            errors=errors,
        )
        return parsed.with_centre(session) if session is not None and parsed.near else parsed

    def with_centre(self, session: Session) -> ListingFilter:
        """Resolve `near` to a point; an unknown or ambiguous place becomes an error on `near`."""
        resolution = resolve_offline(self.near)
        if resolution.location is not None:
            return replace(self, centre=resolution.location)
        if resolution.candidates:
            names = ", ".join(entry.label for entry in resolution.candidates[:5])
            message = N_(
                "Er zijn meer plaatsen met deze naam: %(names)s. Kies er één.", names=names
            )
        else:
            message = N_("Deze plaats of postcode kennen we niet. Controleer de spelling.")
        return replace(self, errors={**self.errors, "near": message})

    @property
    def listing_kinds(self) -> list[ListingKind]:
        """The listing kinds asked for (all when none or only organisations are named)."""
        chosen = [ListingKind(kind) for kind in self.kinds if kind != ORGANISATION]
        return chosen or ([] if self.kinds else list(ListingKind))

    @property
    def wants_organisations(self) -> bool:
        return not self.kinds or ORGANISATION in self.kinds

    def listings(self, session: Session) -> Select:
        """Published, visible listings in this selection; nearest first when a place is given."""
        statement = select(Listing).where(
            Listing.status == ListingStatus.PUBLISHED,
            Listing.hidden.is_(False),
            Listing.kind.in_(self.listing_kinds),
        )
        statement = self._narrow(statement, Listing, session)
        if self.themes:
            # Theme ids first: each candidate row then costs one probe of the link table's key.
            theme_ids = self.theme_ids
            if theme_ids is None:
                theme_ids = session.scalars(select(Theme.id).where(Theme.slug.in_(self.themes)))
            statement = statement.where(
                exists().where(
                    listing_theme.c.listing_id == Listing.id,
                    listing_theme.c.theme_id.in_(list(theme_ids)),
                )
            )
        return statement.order_by(*self._order(Listing), Listing.published_at.desc(), Listing.id)

    def organisations(self, session: Session) -> Select:
        """Organisations with a location in this selection (text search on name and description)."""
        statement = select(Organisation).where(Organisation.public_lat.is_not(None))
        statement = self._narrow(statement, Organisation, session, text_search=False)
        if self.q:
            pattern = f"%{self.q}%"
            statement = statement.where(
                Organisation.name.ilike(pattern) | Organisation.description.ilike(pattern)
            )
        if self.themes:
            statement = statement.where(Organisation.themes.any(Theme.slug.in_(self.themes)))
        return statement.order_by(*self._order(Organisation), Organisation.name)

    def _narrow(self, statement: Select, model, session: Session, text_search: bool = True):
        if self.centre is not None:
            statement = statement.where(self._within(model))
        if text_search and self.q:
            clause = search.matching_listing_ids(session, self.q)
            if clause is not None:
                statement = statement.where(clause)
        return statement

    def _squared_km(self, model):
        """Squared distance in km² from the centre (equirectangular: exact enough within NL)."""
        centre = self.centre
        scale = math.cos(math.radians(centre.lat))
        dlat = (model.public_lat - centre.lat) * KM_PER_DEGREE
        dlon = (model.public_lon - centre.lon) * (KM_PER_DEGREE * scale)
        return dlat * dlat + dlon * dlon

    def _within(self, model):
        """A bounding box the indexes can use, then the exact circle."""
        centre, radius = self.centre, self.radius_km
        dlat = radius / KM_PER_DEGREE
        dlon = radius / (KM_PER_DEGREE * math.cos(math.radians(centre.lat)))
        return and_(
            model.public_lat.between(centre.lat - dlat, centre.lat + dlat),
            model.public_lon.between(centre.lon - dlon, centre.lon + dlon),
            self._squared_km(model) <= radius * radius,
        )

    def _order(self, model) -> list:
        return [self._squared_km(model)] if self.centre is not None else []

    def distance_km(self, lat: float | None, lon: float | None) -> float | None:
        """Distance from the centre to a public point, for display."""
        if self.centre is None or lat is None or lon is None:
            return None
        return haversine_km(self.centre.lat, self.centre.lon, lat, lon)

    def cache_key(self) -> dict[str, object]:
        """The selection as plain values: equal for equal selections however they were typed."""
        centre = self.centre
        return {
            "kinds": sorted(self.kinds),
            "themes": sorted(self.themes),
            "centre": [round(centre.lat, 6), round(centre.lon, 6)] if centre else None,
            "radius_km": self.radius_km if centre else None,
            "q": " ".join(search.query_stems(self.q)) if self.q else "",
            "page": self.page,
            "per_page": self.per_page,
        }

    def query_args(self, **overrides) -> dict[str, object]:
        """The selection as URL parameters (for links to the list, map, API and next pages)."""
        values: dict[str, object] = {
            "kind": list(self.kinds),
            "theme": list(self.themes),
            "near": self.near,
            "radius_km": _plain_number(self.radius_km) if self.near else "",
            "q": self.q,
        }
        values.update(overrides)
        return {key: value for key, value in values.items() if value not in ("", [], None)}


def _text(value: str) -> str:
    """Free text without NUL characters (PostgreSQL refuses them in any string)."""
    return value.replace("\x00", "")


def _getlist(args, name: str) -> list[str]:
    return args.getlist(name) if hasattr(args, "getlist") else list(args.get(name) or [])


def _number(args: Mapping, name: str, default: float, low: float, high: float, errors: dict):
    raw = (args.get(name) or "").strip().replace(",", ".")
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not (low <= value <= high):
        errors[name] = N_(
            "Vul een getal in tussen %(low)s en %(high)s.",
            low=_plain_number(low),
            high=_plain_number(high),
        )
        return default
    return value


def _plain_number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def count(session: Session, statement: Select, limit: int | None = None) -> int:
    """How many rows a selection has; with `limit`, at most limit + 1 (the rest is not read)."""
    rows = statement.order_by(None)
    if limit is not None:
        rows = rows.with_only_columns(rows.selected_columns[0]).limit(limit + 1)
    return session.scalar(select(func.count()).select_from(rows.subquery()))


@dataclass
class Page:
    """One page of results, with what the pagination needs (like Flask-SQLAlchemy's).

    `total` is capped: when `capped`, there are more results than were counted. The rows are
    read (by id, in order) only when `items` is first used: a cached rendering needs none.
    """

    ids: list[int]
    page: int
    per_page: int
    total: int
    capped: bool = False
    session: Session | None = field(default=None, repr=False)

    @functools.cached_property
    def items(self) -> list[Listing]:
        return listings_by_id(self.session, self.ids) if self.session is not None else []

    @property
    def pages(self) -> int:
        return math.ceil(self.total / self.per_page)

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def prev_num(self) -> int | None:
        return self.page - 1 if self.has_prev else None

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def next_num(self) -> int | None:
        return self.page + 1 if self.has_next else None


def listing_page(session: Session, selection: ListingFilter, count_limit: int) -> Page:
    """One page of the selection's listings and their count, capped at `count_limit`.

    Within the first `count_limit` results one query does both: the first count_limit + 1 ids
    in order (ids only: the covering indexes answer it), of which the page is a slice.
    """
    statement = selection.listings(session)
    ids_only = _ids_in_order(selection, statement)
    offset = (selection.page - 1) * selection.per_page
    if offset + selection.per_page <= count_limit + 1:
        ids = list(session.scalars(ids_only.limit(count_limit + 1)))
        total, page_ids = len(ids), ids[offset : offset + selection.per_page]
    else:
        page_ids = list(session.scalars(ids_only.offset(offset).limit(selection.per_page)))
        total = count(session, statement, count_limit)
    return Page(
        ids=page_ids,
        page=selection.page,
        per_page=selection.per_page,
        total=min(total, count_limit),
        capped=total > count_limit,
        session=session,
    )


def _ids_in_order(selection: ListingFilter, statement: Select) -> Select:
    """The statement's listing ids, in its order.

    A text search without a place is shown newest first. Asked for that order directly,
    PostgreSQL walks the date index and checks each listing's text until it has 1,001 matches:
    for a common word 110 ms on three processes. Matching first (the text search index) and
    sorting the matches after takes 16-33 ms; the materialized CTE keeps the planner to that.
    """
    if not (selection.q and selection.centre is None):
        return statement.with_only_columns(Listing.id)
    matches = (
        statement.with_only_columns(Listing.id, Listing.published_at)
        .order_by(None)
        .cte("matches")
        .prefix_with("MATERIALIZED", dialect="postgresql")
    )
    return select(matches.c.id).order_by(matches.c.published_at.desc(), matches.c.id)


def listings_by_id(session: Session, ids: list[int]) -> list[Listing]:
    """The listings with these ids, in this order, with their themes and organisation."""
    if not ids:
        return []
    rows = session.scalars(
        select(Listing).where(Listing.id.in_(ids)).options(joinedload(Listing.organisation))
    )
    by_id = {row.id: row for row in rows}
    return [by_id[listing_id] for listing_id in ids if listing_id in by_id]
