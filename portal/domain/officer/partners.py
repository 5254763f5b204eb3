"""Partners for the officer's dashboard: organisations and initiatives, with public contacts only.

One selection (`DashboardFilter`) narrows the partner table and map, the gaps, the insight
tables and the exports, so what an officer exports is exactly what they are looking at.
Initiatives are published offers and resources; a resident's initiative carries no contact
details and only its public (village) point.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import Select, and_, func, or_, select, union
from sqlalchemy.orm import Session, selectinload

from ...models import (
    Involvement,
    Listing,
    ListingKind,
    ListingStatus,
    Organisation,
    OrganisationKind,
    Theme,
)
from ..catalogue.filters import count

RESIDENT_KIND = "resident"
VERIFIED_CHOICES = ("ja", "nee")
INITIATIVE_KINDS = (ListingKind.OFFER, ListingKind.RESOURCE)
TABLE_LIMIT = 200
ORGANISATION_KINDS = tuple(kind.value for kind in OrganisationKind)
INVOLVEMENTS = tuple(rung.value for rung in Involvement)


@dataclass(frozen=True)
class DashboardFilter:
    """The officer's selection; unknown values are dropped rather than failing the page."""

    theme: str = ""
    kind: str = ""
    municipality: str = ""
    place: str = ""
    verified: str = ""
    involvement: str = ""

    @classmethod
    def from_args(cls, args: Mapping) -> DashboardFilter:
        def pick(name: str, allowed: tuple[str, ...] | None = None) -> str:
            value = str(args.get(name) or "").replace("\x00", "").strip()[:120]
            return value if allowed is None or value in allowed else ""

        return cls(
            theme=pick("theme"),
            kind=pick("kind", (*ORGANISATION_KINDS, RESIDENT_KIND)),
            municipality=pick("municipality"),
            place=pick("place")[:40],
            verified=pick("verified", VERIFIED_CHOICES),
            involvement=pick("involvement", INVOLVEMENTS),
        )

    def query_args(self, **overrides: str) -> dict[str, str]:
        """The selection as URL parameters (for exports and links back)."""
        values = {**self.__dict__, **overrides}
        return {key: value for key, value in values.items() if value}

    def located(self, model) -> list:
        """Theme, municipality and place conditions for any located model with themes."""
        conditions = []
        if self.theme:
            conditions.append(model.themes.any(Theme.slug == self.theme))
        if self.municipality:
            conditions.append(model.municipality == self.municipality)
        if self.place:
            conditions.append(model.place_key == self.place)
        return conditions


@dataclass(frozen=True)
class Contact:
    """An organisation's public contact details (never a resident's)."""

    email: str = ""
    phone: str = ""
    website: str = ""


@dataclass(frozen=True)
class Partner:
    """One row of the partner table and one point on the partner map."""

    type: str  # "organisation" or "initiative"
    id: int
    name: str
    path: str
    kind: str  # an OrganisationKind value, or "resident"
    theme_slugs: tuple[str, ...]
    place_key: str
    place: str
    municipality: str
    verified: bool
    involvement: str
    contact: Contact
    lat: float | None
    lon: float | None


@dataclass(frozen=True)
class PartnerPage:
    """At most TABLE_LIMIT partners, and how many there are in all."""

    partners: list[Partner]
    total: int


def organisations_statement(selection: DashboardFilter) -> Select | None:
    """Organisations in the selection; None when the kind asks for residents' initiatives."""
    if selection.kind == RESIDENT_KIND:
        return None
    statement = select(Organisation).where(*selection.located(Organisation))
    if selection.kind:
        statement = statement.where(Organisation.kind == OrganisationKind(selection.kind))
    if selection.verified:
        statement = statement.where(Organisation.verified.is_(selection.verified == "ja"))
    if selection.involvement:
        statement = statement.where(
            Organisation.id.in_(
                select(Listing.organisation_id).where(
                    _published(), Listing.involvement == Involvement(selection.involvement)
                )
            )
        )
    return statement.order_by(Organisation.municipality, Organisation.place_name, Organisation.name)


def initiatives_statement(selection: DashboardFilter) -> Select:
    """Published offers and resources in the selection, with their organisation (if any)."""
    statement = (
        select(Listing)
        .options(selectinload(Listing.organisation))
        .outerjoin(Organisation, Organisation.id == Listing.organisation_id)
        .where(_published(), Listing.kind.in_(INITIATIVE_KINDS), *selection.located(Listing))
    )
    if selection.kind == RESIDENT_KIND:
        statement = statement.where(Listing.organisation_id.is_(None))
    elif selection.kind:
        statement = statement.where(Organisation.kind == OrganisationKind(selection.kind))
    if selection.verified:
        verified = or_(Listing.verified.is_(True), Organisation.verified.is_(True))
        statement = statement.where(verified if selection.verified == "ja" else ~verified)
    if selection.involvement:
        statement = statement.where(Listing.involvement == Involvement(selection.involvement))
    return statement.order_by(Listing.municipality, Listing.place_name, Listing.title)


def partner_page(session: Session, selection: DashboardFilter, limit: int = TABLE_LIMIT):
    """The first `limit` partners (organisations first) and the total."""
    return PartnerPage(
        partners=list(all_partners(session, selection, limit)),
        total=sum(count(session, statement) for statement in _statements(selection)),
    )


def all_partners(session: Session, selection: DashboardFilter, limit: int | None = None):
    """Every partner in the selection (for exports), organisations first."""
    remaining = limit
    for statement in _statements(selection):
        limited = statement if remaining is None else statement.limit(remaining)
        rows = list(session.scalars(limited).unique())
        for row in rows:
            yield organisation_partner(row) if isinstance(row, Organisation) else initiative(row)
        if remaining is not None:
            remaining -= len(rows)
            if remaining <= 0:
                return


def organisation_partner(organisation: Organisation) -> Partner:
    return Partner(
        type="organisation",
        id=organisation.id,
        name=organisation.name,
        path=f"/organisaties/{organisation.id}",
        kind=organisation.kind.value,
        theme_slugs=tuple(theme.slug for theme in organisation.themes),
        place_key=organisation.place_key or "",
        place=organisation.place_name or "",
        municipality=organisation.municipality or "",
        verified=organisation.verified,
        involvement="",
        contact=_contact(organisation),
        lat=organisation.public_lat,
        lon=organisation.public_lon,
    )


def initiative(listing: Listing) -> Partner:
    """A listing as a partner; a resident's initiative has no contact details here."""
    organisation = listing.organisation
    return Partner(
        type="initiative",
        id=listing.id,
        name=listing.title,
        path=f"/initiatieven/{listing.id}",
        kind=organisation.kind.value if organisation else RESIDENT_KIND,
        theme_slugs=tuple(theme.slug for theme in listing.themes),
        place_key=listing.place_key or "",
        place=listing.place_name or "",
        municipality=listing.municipality or "",
        verified=listing.verified or bool(organisation and organisation.verified),
        involvement=listing.involvement.value if listing.involvement else "",
        contact=_contact(organisation) if organisation else Contact(),
        lat=listing.public_lat,
        lon=listing.public_lon,
    )


def counts_per_place(session: Session, selection: DashboardFilter) -> dict[str, int]:
    """How many partners each place (gazetteer key) has in the whole selection, for the map."""
    counts: dict[str, int] = {}
    for statement in _statements(selection):
        model = statement.column_descriptions[0]["entity"]
        grouped = (
            statement.with_only_columns(model.place_key, func.count())
            .where(model.place_key.is_not(None))
            .group_by(model.place_key)
            .order_by(None)
        )
        for key, number in session.execute(grouped):
            counts[key] = counts.get(key, 0) + number
    return counts


def municipalities(session: Session) -> list[str]:
    """Municipalities that have an organisation or a published listing."""
    names = union(
        select(Organisation.municipality.label("name")),
        select(Listing.municipality.label("name")).where(_published()),
    ).subquery()
    rows = session.scalars(select(names.c.name).where(names.c.name.is_not(None)))
    return sorted(name for name in rows if name)


def places(session: Session, municipality: str) -> list[tuple[str, str]]:
    """(place key, name) pairs in a municipality that have partners or listings."""
    if not municipality:
        return []
    found: dict[str, str] = {}
    for model in (Organisation, Listing):
        rows = session.execute(
            select(model.place_key, model.place_name)
            .where(model.municipality == municipality, model.place_key.is_not(None))
            .distinct()
        )
        for key, name in rows:
            found.setdefault(key, name or key)
    return sorted(found.items(), key=lambda item: item[1])


def _statements(selection: DashboardFilter) -> list[Select]:
    organisations = organisations_statement(selection)
    initiatives = initiatives_statement(selection)
    return [initiatives] if organisations is None else [organisations, initiatives]


def _published():
    return and_(Listing.status == ListingStatus.PUBLISHED, Listing.hidden.is_(False))


def _contact(organisation: Organisation) -> Contact:
    return Contact(
        email=organisation.contact_email or "",
        phone=organisation.contact_phone or "",
        website=organisation.website or "",
    )
