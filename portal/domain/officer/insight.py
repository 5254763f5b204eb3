"""Officer insight without surveillance: gaps, balance, village figures and the ladder.

Every figure is a count over a village and a theme, never a person: counts under five are shown
as "<5", and a reply time is shown only when it rests on five conversations or more.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from sqlalchemy import Select, and_, func, select
from sqlalchemy.orm import Session

from ...models import (
    Conversation,
    Listing,
    ListingKind,
    ListingStatus,
    Match,
    Message,
    Theme,
    VolunteerProfile,
    Wish,
    WishStatus,
)
from ...models.listing import listing_theme
from ...models.volunteer import volunteer_profile_theme
from ...models.wish import wish_theme
from ..catalogue.filters import count
from ..matching import has_candidate
from ..places.gazetteer import haversine_km
from .partners import DashboardFilter

SUPPRESS_BELOW = 5
NEAREST_RADIUS_KM = 50.0
NEAREST_COUNT = 5
#: Above this many needs in a selection the gaps wait for a municipality or theme (see `gaps`).
GAP_NEED_LIMIT = 1000
KM_PER_DEGREE = 111.2
Village = tuple[str, str]  # (municipality, place name)


def suppress(count: int) -> str:
    """A count as shown to officers: numbers under five become '<5'."""
    return "<5" if 0 < count < SUPPRESS_BELOW else str(count)


# --- gaps -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class GapPlace:
    """The gaps in one village: how many per theme, and the village's public point."""

    place_key: str
    place: str
    municipality: str
    lat: float | None
    lon: float | None
    per_theme: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.per_theme.values())


def open_needs(selection: DashboardFilter) -> Select:
    """Published, visible needs in the selection."""
    return select(Listing).where(
        Listing.kind == ListingKind.NEED, _visible(), *selection.located(Listing)
    )


def gaps(session: Session, selection: DashboardFilter | None = None, now=None) -> list[Listing]:
    """Published needs in the selection for which the matching engine finds no candidate.

    A gap is the matching engine's worst case (it searches the whole reach and finds nothing),
    so callers bound the number of needs first (`too_many_needs`).
    """
    needs = session.scalars(open_needs(selection or DashboardFilter()))
    return [need for need in needs if not has_candidate(session, need, now)]


def too_many_needs(session: Session, selection: DashboardFilter) -> bool:
    """More than GAP_NEED_LIMIT needs: ask for a smaller selection before looking for gaps."""
    return count(session, open_needs(selection).limit(GAP_NEED_LIMIT + 1)) > GAP_NEED_LIMIT


def gap_places(needs: list[Listing], theme: str = "") -> list[GapPlace]:
    """Gaps grouped by village (most first); with `theme`, only that theme is counted."""
    grouped: dict[str, GapPlace] = {}
    for need in needs:
        place = grouped.get(need.place_key or "")
        if place is None:
            place = grouped[need.place_key or ""] = _gap_place(need)
        for slug in (item.slug for item in need.themes):
            if not theme or slug == theme:
                place.per_theme[slug] = place.per_theme.get(slug, 0) + 1
    found = [place for place in grouped.values() if place.total]
    return sorted(found, key=lambda place: (-place.total, place.place))


def _gap_place(need: Listing) -> GapPlace:
    return GapPlace(
        place_key=need.place_key or "",
        place=need.place_name or "",
        municipality=need.municipality or "",
        lat=need.public_lat,
        lon=need.public_lon,
        per_theme={},
    )


def gaps_per_theme(places: list[GapPlace]) -> list[tuple[str, int]]:
    """Gaps per theme over all villages, most first."""
    totals: Counter = Counter()
    for place in places:
        totals.update(place.per_theme)
    return sorted(totals.items(), key=lambda item: (-item[1], item[0]))


def needs_in_gap(needs: list[Listing], place_key: str, theme: str) -> list[Listing]:
    """The gap needs of one village and theme (public listings, for the gap page)."""
    return [
        need
        for need in needs
        if need.place_key == place_key and any(t.slug == theme for t in need.themes)
    ]


def nearest_offers(
    session: Session, lat: float, lon: float, theme: str, radius_km: float = NEAREST_RADIUS_KM
) -> list[tuple[Listing, float]]:
    """Published offers and resources with this theme nearest to a point (distance in km)."""
    dlat = radius_km / KM_PER_DEGREE
    dlon = dlat / max(math.cos(math.radians(lat)), 0.01)
    offers = session.scalars(
        select(Listing).where(
            _visible(),
            Listing.kind.in_((ListingKind.OFFER, ListingKind.RESOURCE)),
            Listing.themes.any(Theme.slug == theme),
            Listing.public_lat.between(lat - dlat, lat + dlat),
            Listing.public_lon.between(lon - dlon, lon + dlon),
        )
    )
    distances = [
        (offer, haversine_km(lat, lon, offer.public_lat, offer.public_lon)) for offer in offers
    ]
    found = sorted((pair for pair in distances if pair[1] <= radius_km), key=lambda pair: pair[1])
    return found[:NEAREST_COUNT]


# --- balance, village figures, wishes, the ladder ---------------------------------------------


@dataclass
class VillageFigures:
    """Per village and theme: open needs and offers, matches made, volunteers, reply times."""

    needs: int = 0
    offers: int = 0
    matches_made: int = 0
    volunteers: int = 0
    reply_hours: list[float] = field(default_factory=list)

    @property
    def median_reply(self) -> str:
        """The median hours to a first reply, or '' when it rests on fewer than five."""
        if len(self.reply_hours) < SUPPRESS_BELOW:
            return ""
        return f"{statistics.median(self.reply_hours):.0f}"


@dataclass(frozen=True)
class Balance:
    """Open needs against offers for one theme in one municipality."""

    theme: str
    municipality: str
    needs: int
    offers: int

    @property
    def shortage(self) -> int:
        return self.needs - self.offers


def balance(session: Session, selection: DashboardFilter) -> list[Balance]:
    """Per theme and municipality: open needs and offers, the largest shortage first."""
    pairs: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for municipality, slug, kind, number in session.execute(
        _listing_counts(selection, Listing.municipality)
    ):
        pairs[(slug, municipality or "")][0 if kind == ListingKind.NEED else 1] += number
    rows = [Balance(slug, name, needs, offers) for (slug, name), (needs, offers) in pairs.items()]
    return sorted(rows, key=lambda row: (-row.shortage, row.theme, row.municipality))


def village_figures(
    session: Session, selection: DashboardFilter
) -> dict[tuple[str, str, str], VillageFigures]:
    """(municipality, village, theme) -> figures, for the insight table and the monitor CSV."""
    figures: dict[tuple[str, str, str], VillageFigures] = defaultdict(VillageFigures)
    for municipality, place, slug, kind, number in session.execute(
        _listing_counts(selection, Listing.municipality, Listing.place_name)
    ):
        row = figures[(municipality or "", place or "", slug)]
        if kind == ListingKind.NEED:
            row.needs += number
        else:
            row.offers += number
    for municipality, place, slug, number in session.execute(_matches_made(selection)):
        figures[(municipality or "", place or "", slug)].matches_made += number
    for municipality, place, slug, number in session.execute(_volunteers(selection)):
        figures[(municipality or "", place or "", slug)].volunteers += number
    for municipality, place, slug, started, replied in session.execute(_first_replies(selection)):
        hours = (replied - started).total_seconds() / 3600
        figures[(municipality or "", place or "", slug)].reply_hours.append(max(hours, 0.0))
    return dict(sorted(figures.items()))


def wishes_per_place(session: Session, selection: DashboardFilter) -> list[tuple[str, str, int]]:
    """Approved flessenpost wishes per (village, theme), most first."""
    statement = (
        select(Wish.place_name, Theme.slug, func.count(Wish.id))
        .join(wish_theme, wish_theme.c.wish_id == Wish.id)
        .join(Theme, Theme.id == wish_theme.c.theme_id)
        .where(Wish.status == WishStatus.APPROVED)
        .group_by(Wish.place_name, Theme.slug)
    )
    if selection.municipality:
        statement = statement.where(Wish.municipality == selection.municipality)
    if selection.place:
        statement = statement.where(Wish.place_key == selection.place)
    if selection.theme:
        statement = statement.where(Theme.slug == selection.theme)
    rows = session.execute(statement)
    return sorted(((p, s, n) for p, s, n in rows), key=lambda row: (-row[2], row[0], row[1]))


def ladder(session: Session, selection: DashboardFilter) -> dict[str, dict[str, int]]:
    """Per municipality, how many initiatives sit on each rung of the involvement ladder."""
    statement = (
        select(Listing.municipality, Listing.involvement, func.count(Listing.id))
        .where(_visible(), Listing.involvement.is_not(None), *selection.located(Listing))
        .group_by(Listing.municipality, Listing.involvement)
    )
    result: dict[str, dict[str, int]] = defaultdict(dict)
    for municipality, rung, number in session.execute(statement):
        result[municipality or ""][rung.value] = number
    return dict(sorted(result.items()))


# --- queries ----------------------------------------------------------------------------------


def _visible():
    return and_(Listing.status == ListingStatus.PUBLISHED, Listing.hidden.is_(False))


def _by_theme(statement: Select, link_column, owner_column, selection: DashboardFilter) -> Select:
    """Join the owner's theme link table (`link_column` is its owner id column) and Theme."""
    link = link_column.table
    statement = statement.join(link, link_column == owner_column).join(
        Theme, Theme.id == link.c.theme_id
    )
    return statement.where(Theme.slug == selection.theme) if selection.theme else statement


def _listing_counts(selection: DashboardFilter, *group) -> Select:
    statement = select(*group, Theme.slug, Listing.kind, func.count(Listing.id)).where(
        _visible(),
        Listing.kind.in_((ListingKind.NEED, ListingKind.OFFER)),
        *_place_conditions(Listing, selection),
    )
    statement = _by_theme(statement, listing_theme.c.listing_id, Listing.id, selection)
    return statement.group_by(*group, Theme.slug, Listing.kind)


def _matches_made(selection: DashboardFilter) -> Select:
    group = (Listing.municipality, Listing.place_name, Theme.slug)
    statement = (
        select(*group, func.count(Match.id))
        .join(Listing, Listing.id == Match.listing_id)
        .where(Match.helped.is_(True), *_place_conditions(Listing, selection))
    )
    return _by_theme(statement, listing_theme.c.listing_id, Listing.id, selection).group_by(*group)


def _volunteers(selection: DashboardFilter) -> Select:
    group = (VolunteerProfile.municipality, VolunteerProfile.place_name, Theme.slug)
    statement = select(*group, func.count(VolunteerProfile.id)).where(
        VolunteerProfile.paused.is_(False), *_place_conditions(VolunteerProfile, selection)
    )
    statement = _by_theme(
        statement, volunteer_profile_theme.c.volunteer_profile_id, VolunteerProfile.id, selection
    )
    return statement.group_by(*group)


def _first_replies(selection: DashboardFilter) -> Select:
    """Per conversation about a listing: when it started and when the other side first wrote."""
    first_reply = (
        select(Message.conversation_id, func.min(Message.created_at).label("replied"))
        .join(Conversation, Conversation.id == Message.conversation_id)
        .where(Message.sender_id != Conversation.initiator_id)
        .group_by(Message.conversation_id)
        .subquery()
    )
    statement = (
        select(
            Listing.municipality,
            Listing.place_name,
            Theme.slug,
            Conversation.created_at,
            first_reply.c.replied,
        )
        .join(first_reply, first_reply.c.conversation_id == Conversation.id)
        .join(Listing, Listing.id == Conversation.listing_id)
        .where(*_place_conditions(Listing, selection))
    )
    return _by_theme(statement, listing_theme.c.listing_id, Listing.id, selection)


def _place_conditions(model, selection: DashboardFilter) -> list:
    conditions = []
    if selection.municipality:
        conditions.append(model.municipality == selection.municipality)
    if selection.place:
        conditions.append(model.place_key == selection.place)
    return conditions
