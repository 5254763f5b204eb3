"""Our Dutch CSV templates (docs/import-*.csv): each organisation or listing row into the plan."""

from __future__ import annotations

from sqlalchemy import select

from ....models import Listing, ListingStatus, Organisation, ScheduleKind
from ...catalogue.listings import ListingInput
from ...community.organisations import OrganisationInput
from ...places.gazetteer import normalise
from .cells import LOCATION_COLUMNS, Row
from .context import Context
from .kinds import LISTING_KIND_OPTIONS, LISTING_KIND_WORDS, ORG_KIND_OPTIONS, ORG_KIND_WORDS
from .places import organisation_location
from .reading import LISTINGS, ImportSource, Table
from .report import nl, rows_phrase

ACCESSIBILITY_COLUMNS = {
    "rolstoeltoegankelijk": "wheelchair_access",
    "aangepast_toilet": "accessible_toilet",
    "ringleiding": "hearing_loop",
    "parkeren": "parking",
    "ov_dichtbij": "public_transport",
}
ORGANISATION_COLUMNS = (
    "naam", "soort", "omschrijving", *LOCATION_COLUMNS, "themas", "website", "email", "telefoon",
    *ACCESSIBILITY_COLUMNS,
)  # fmt: skip
LISTING_COLUMNS = (
    "titel", "soort", "omschrijving", "organisatie", *LOCATION_COLUMNS, "themas", "straal_km",
    "kosten", "leeftijd_van", "leeftijd_tot", "capaciteit", "momenten",
)  # fmt: skip


def _unknown_columns(ctx: Context, table: Table, known: tuple[str, ...]) -> None:
    for column in table.header:
        if column and column not in known:
            ctx.left_out("kolom ‘%(column)s’ (%(count)s met een waarde)", column=column,
                         count=rows_phrase(table.filled(column)))  # fmt: skip


def _organisation_row(ctx: Context, row: Row) -> None:
    name = row.text("naam", 160, required=True)
    kind = row.choice("soort", ORG_KIND_WORDS, ORG_KIND_OPTIONS)
    data = dict(
        description=row.text("omschrijving", 5000), address=row.text("adres", 200),
        theme_slugs=row.themes("themas"), website=row.url("website"),
        contact_email=row.email("email"), contact_phone=row.text("telefoon", 40),
        accessibility={flag: row.yes_no(column) for column, flag in ACCESSIBILITY_COLUMNS.items()},
    )  # fmt: skip
    where = row.location()
    if where is not None and name:
        ctx.unique_organisation(row.file, row.row_number, name, where)
    if kind is not None and where is not None and name:
        key = f"row{row.row_number}"
        ctx.plan.organisations.append(
            (key, OrganisationInput(name=name, kind=kind, location=where, **data))
        )


def _listing_organisation(ctx: Context, row: Row) -> Organisation | None:
    name = row.get("organisatie")
    if not name:
        return None
    found = ctx.organisations.get(normalise(name), [])
    if len(found) == 1:
        return found[0]
    if found:
        reason = nl("Er zijn %(count)s organisaties met de naam ‘%(name)s’; geef ze eerst "
                    "verschillende namen.", count=len(found), name=name)  # fmt: skip
    else:
        reason = nl("Organisatie ‘%(name)s’ bestaat niet in de portal. Importeer eerst de "
                    "organisaties.", name=name)  # fmt: skip
    row.error("organisatie", reason)
    return None


def _listing_row(ctx: Context, row: Row, seen: set[tuple[str, int | None]]) -> None:
    title = row.text("titel", 160, required=True)
    kind = row.choice("soort", LISTING_KIND_WORDS, LISTING_KIND_OPTIONS)
    organisation = _listing_organisation(ctx, row)
    where = row.location(organisation_location(organisation) if organisation else None)
    slots = row.slots("momenten")
    values = dict(
        description=row.text("omschrijving", 5000), theme_slugs=row.themes("themas"),
        radius_km=row.number("straal_km", 0.1, 200) or 5.0, cost=row.text("kosten", 120),
        age_min=row.number("leeftijd_van", 0, 120, integer=True),
        age_max=row.number("leeftijd_tot", 0, 120, integer=True),
        capacity=row.number("capaciteit", 0, 100000, integer=True), weekly_slots=slots,
        schedule_kind=ScheduleKind.WEEKLY if slots else ScheduleKind.ONGOING,
        organisation_id=organisation.id if organisation else None,
    )  # fmt: skip
    key = (normalise(title), organisation.id if organisation else None)
    if title and key in seen:
        row.error("titel", nl("Deze titel staat al in de portal of eerder in het bestand."))
    seen.add(key)
    if kind is not None and where is not None and title:
        data = ListingInput(kind=kind, title=title, location=where, **values)
        ctx.plan.listings.append((data, None, True))


def _existing_listing_keys(ctx: Context) -> set[tuple[str, int | None]]:
    """Open listings of organisations, and the acting user's own: a second run is refused."""
    rows = ctx.session.execute(
        select(Listing.title, Listing.organisation_id, Listing.owner_id).where(
            Listing.status.in_((ListingStatus.DRAFT, ListingStatus.PUBLISHED))
        )
    )
    return {
        (normalise(title), organisation_id)
        for title, organisation_id, owner_id in rows
        if organisation_id is not None or owner_id == ctx.acting_user.id
    }


def validate_template(ctx: Context, source: ImportSource) -> None:
    """Check every template row into the plan, naming each bad cell in the report."""
    table = source.tables["template"]
    is_listing = source.kind == LISTINGS
    _unknown_columns(ctx, table, LISTING_COLUMNS if is_listing else ORGANISATION_COLUMNS)
    seen = _existing_listing_keys(ctx) if is_listing else set()
    for number, values in table.rows:
        row = Row(ctx, table.file, number, values)
        if is_listing:
            _listing_row(ctx, row, seen)
        else:
            _organisation_row(ctx, row)
        ctx.progress(1)
