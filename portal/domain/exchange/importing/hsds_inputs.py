"""One HSDS organisation or service as our input, with its phone, accessibility and schedule."""

from __future__ import annotations

from dataclasses import dataclass, field

from ....models import AccessRoute, AreaKind, ListingKind, OrganisationKind, ScheduleKind
from ...catalogue.listings import ListingInput
from ...community.organisations import OrganisationInput
from ...places.gazetteer import default_gazetteer, normalise
from ...places.geography import Location
from ..hsds.vocabulary import ACCESSIBILITY, LISTING_KIND, ORG_KIND
from .cells import Row
from .context import Context
from .hsds_places import Locator
from .hsds_schedule import read_schedule
from .hsds_tables import Package
from .hsds_terms import Attributes, Link
from .kinds import LISTING_KIND_WORDS, ORG_KIND_WORDS
from .report import nl


@dataclass
class HsdsOrganisation:
    """An organisation row, where it is, and its active services with their own place."""

    number: int
    row: dict[str, str]
    location_id: str | None = None
    location: Location | None = None
    services: list[tuple[int, dict[str, str], Location | None]] = field(default_factory=list)


def organisation_input(ctx: Context, pkg: Package, locator: Locator, org: HsdsOrganisation,
                       links: dict[str, list[Link]]) -> OrganisationInput | None:  # fmt: skip
    """Our organisation input for one HSDS organisation; None (with an error) when it cannot be."""
    file, row = pkg.file("organization"), org.row
    reader = Row(ctx, file, org.number, row)
    name = reader.text("name", 160, required=True)
    attributes = Attributes(ctx, pkg, links.get(row.get("id", ""), []))
    kind_code = attributes.code(ORG_KIND)
    kind = ORG_KIND_WORDS.get(normalise(kind_code or ""), OrganisationKind.WELFARE)
    if kind_code is None:
        ctx.without_kind.append(name)
    data = dict(
        description=row.get("description", ""), website=reader.url("website"),
        contact_email=reader.email("email"), theme_slugs=attributes.themes(),
        contact_phone=_organisation_phone(pkg, row.get("id", "")),
        address=locator.address_text(org.location_id) if org.location_id else "",
        accessibility=_accessibility(pkg, org.location_id),
    )  # fmt: skip
    if org.location is None:
        ctx.error(file, org.number, "locatie", no_place_reason())
        return None
    ctx.unique_organisation(file, org.number, name, org.location)
    return OrganisationInput(name=name, kind=kind, location=org.location, **data) if name else None


def no_place_reason() -> str:
    """The error for an organisation or service that has no Dutch place and no default place."""
    return nl("Geen Nederlandse plaats gevonden (coördinaten, adres en naam). Verbeter de locatie of "
              "geef een standaardplaats op.")  # fmt: skip


def _organisation_phone(pkg: Package, organisation_id: str) -> str:
    for number, row in pkg.children("phone", "organization_id", organisation_id):
        phone = row.get("number", "").strip('"').strip()
        if phone and len(phone) <= 40:
            pkg.use("phone", number)
            return phone
    return ""


def _accessibility(pkg: Package, location_id: str | None) -> dict[str, bool]:
    known = {normalise(text): flag for flag, text in ACCESSIBILITY.items()}
    facts = {}
    for number, row in pkg.children("accessibility", "location_id", location_id or ""):
        flag = known.get(normalise(row.get("description", "")))
        if flag:
            facts[flag] = True
            pkg.use("accessibility", number)
    return facts


def listing_input(ctx: Context, pkg: Package, number: int, row: dict[str, str],
                  where: Location, links: dict[str, list[Link]]) -> ListingInput | None:  # fmt: skip
    """Our listing input for one active HSDS service at ``where``; None without a title."""
    file = pkg.file("service")
    reader = Row(ctx, file, number, row)
    title = reader.text("name", 160, required=True)
    attributes = Attributes(ctx, pkg, links.get(row.get("id", ""), []))
    slots, once = read_schedule(pkg, row.get("id", ""))
    values = dict(
        kind=LISTING_KIND_WORDS.get(normalise(attributes.code(LISTING_KIND) or ""), ListingKind.OFFER),
        description=row.get("description", ""), theme_slugs=attributes.themes(),
        cost=_cost(ctx, file, number, row.get("fees_description", "")),
        age_min=reader.number("minimum_age", 0, 120, integer=True),
        age_max=reader.number("maximum_age", 0, 120, integer=True),
        radius_km=attributes.value("straal-km", float) or 5.0,
        capacity=attributes.value("capaciteit", int),
        access_route=attributes.value("toegang", AccessRoute),
        area_kind=attributes.value("gebied", AreaKind) or AreaKind.RADIUS,
        area_places=attributes.value("dorpen", _place_keys) or (),
        weekly_slots=slots, event_date=once,
        schedule_kind=ScheduleKind.WEEKLY if slots else ScheduleKind.ONCE if once else ScheduleKind.ONGOING,
    )  # fmt: skip
    return ListingInput(title=title, location=where, **values) if title else None


def _place_keys(value: str) -> tuple[str, ...]:
    """Our gazetteer keys (``gn:2749626;pp:6088``); an unknown key makes the value invalid."""
    keys = tuple(key.strip() for key in value.split(";") if key.strip())
    if any(default_gazetteer().get(key) is None for key in keys):
        raise ValueError(value)
    return keys


def _cost(ctx: Context, file: str, number: int, text: str) -> str:
    if len(text) > 120:
        ctx.note("%(file)s rij %(row)s: fees_description ingekort tot 120 tekens.",
                 file=file, row=number)  # fmt: skip
        return text[:119] + "…"
    return text
