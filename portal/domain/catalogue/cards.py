"""What a result list shows of each listing, read as plain values.

A page of the list shows 20 cards. Loading them as ORM objects (the listing, its organisation
and its themes, with identity map and change tracking) cost about 7 ms of CPU per page, a third
of a list page not cached yet; two plain selects cost about a fifth of that. The cards have the
attribute names of `Listing`, so `_partials/listing_item.html` shows either.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...models import AccessRoute, Listing, ListingKind, Organisation
from ...models.listing import listing_theme
from .themes import ThemeRow

#: The listing's own columns on a card, in `ListingCard`'s order.
CARD_COLUMNS = (
    "id", "kind", "title", "description", "place_name", "municipality", "public_lat",
    "public_lon", "confirmed_at", "capacity", "spots_taken", "access_route",
)  # fmt: skip
ACCESS_FACTS = (
    "wheelchair_access",
    "accessible_toilet",
    "hearing_loop",
    "parking",
    "public_transport",
)


@dataclass(frozen=True)
class OrganisationMark:
    """What a card says about the listing's organisation: its name, mark and venue facts."""

    name: str
    verified: bool
    wheelchair_access: bool = False
    accessible_toilet: bool = False
    hearing_loop: bool = False
    parking: bool = False
    public_transport: bool = False


@dataclass(frozen=True)
class ListingCard:
    """One listing in a result list (public fields only: the public point, never the exact one)."""

    id: int
    kind: ListingKind
    title: str
    description: str
    place_name: str | None
    municipality: str | None
    public_lat: float | None
    public_lon: float | None
    confirmed_at: datetime | None
    capacity: int | None
    spots_taken: int | None
    access_route: AccessRoute | None
    organisation: OrganisationMark | None
    themes: tuple[ThemeRow, ...]

    @property
    def spots_left(self) -> int | None:
        """Free places, as on the listing's own page (None: no capacity given)."""
        if self.capacity is None:
            return None
        return max(self.capacity - (self.spots_taken or 0), 0)


def listing_cards(
    session: Session, ids: Sequence[int], themes: Sequence[ThemeRow]
) -> list[ListingCard]:
    """The cards of these listings, in the order of `ids`; `themes`: every theme, in display order."""
    if not ids:
        return []
    rows = session.execute(
        select(
            *(getattr(Listing, column) for column in CARD_COLUMNS),
            Organisation.name,
            *(getattr(Organisation, fact) for fact in ("verified", *ACCESS_FACTS)),
        )
        .outerjoin(Organisation, Listing.organisation_id == Organisation.id)
        .where(Listing.id.in_(ids))
    )
    theme_ids: dict[int, set[int]] = defaultdict(set)
    links = select(listing_theme.c.listing_id, listing_theme.c.theme_id).where(
        listing_theme.c.listing_id.in_(ids)
    )
    for listing_id, theme_id in session.execute(links):
        theme_ids[listing_id].add(theme_id)
    cards = {}
    for row in rows:
        fields, (organisation_name, *facts) = row[: len(CARD_COLUMNS)], row[len(CARD_COLUMNS) :]
        listing_id = fields[0]
        mark = OrganisationMark(organisation_name, *facts) if organisation_name else None
        chosen = tuple(theme for theme in themes if theme.id in theme_ids[listing_id])
        cards[listing_id] = ListingCard(*fields, organisation=mark, themes=chosen)
    return [cards[listing_id] for listing_id in ids if listing_id in cards]
