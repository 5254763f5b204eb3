"""Checking an HSDS package (ours, another system's, the official example) into the plan."""

from __future__ import annotations

from .context import Context
from .hsds_inputs import HsdsOrganisation, listing_input, no_place_reason, organisation_input
from .hsds_places import Locator, org_location_ids, service_location_ids
from .hsds_tables import Package
from .hsds_terms import Link, read_attributes, read_terms
from .reading import ImportSource
from .report import nl, rows_phrase

#: HSDS columns that have a home in our model; every other filled column is reported
MAPPED: dict[str, set[str]] = {
    "organization": {"id", "name", "description", "email", "website"},
    "service": {"id", "organization_id", "name", "description", "status", "fees_description",
                "minimum_age", "maximum_age"},
    "location": {"id", "location_type", "organization_id", "name", "latitude", "longitude",
                 "external_identifier", "external_identifier_type"},
    "service_at_location": {"id", "service_id", "location_id"},
    "address": {"id", "location_id", "address_1", "address_2", "city", "postal_code"},
    "phone": {"id", "organization_id", "number"},
    "accessibility": {"id", "location_id", "description"},
    "schedule": {"id", "service_id", "freq", "interval", "byday", "opens_at", "closes_at",
                 "dtstart", "count"},
    "taxonomy": {"id", "name"},
    "taxonomy_term": {"id", "code", "name", "description", "taxonomy", "taxonomy_id"},
    "attribute": {"id", "link_id", "taxonomy_term_id", "link_entity", "link_type", "value"},
}  # fmt: skip
#: tables whose rows are reported when nothing imported uses them
_TRACKED = ("location", "address", "phone", "accessibility", "schedule", "attribute")


def _read_organisations(pkg: Package, locator: Locator) -> dict[str, HsdsOrganisation]:
    """Every organisation by id, placed at its own first placeable location if it has one."""
    orgs: dict[str, HsdsOrganisation] = {}
    for number, row in pkg.rows("organization"):
        org = HsdsOrganisation(number, row)
        found = locator.first(org_location_ids(pkg, row.get("id", "")))
        if found:
            org.location_id, org.location = found
        orgs[row.get("id", "")] = org
    return orgs


def _collect_services(ctx: Context, pkg: Package, locator: Locator,
                      orgs: dict[str, HsdsOrganisation]) -> None:  # fmt: skip
    for number, row in pkg.rows("service"):
        org = orgs.get(row.get("organization_id", ""))
        if org is None:
            ctx.error(pkg.file("service"), number, "organization_id",
                      nl("Deze organisatie staat niet in organizations.csv."))  # fmt: skip
        elif row.get("status", "active").lower() not in ("active", ""):
            pkg.skip("service", number, nl("‘%(name)s’ heeft status ‘%(status)s’",
                                           name=row.get("name", ""), status=row.get("status")))  # fmt: skip
        else:
            found = locator.first(service_location_ids(pkg, row.get("id", "")))
            org.services.append((number, row, found[1] if found else None))
        ctx.progress(1)


def _settle_organisation(ctx: Context, org: HsdsOrganisation) -> None:
    """An organisation without a place of its own sits where its first service is."""
    if org.location is not None:
        return
    at_service = next((where for _n, _r, where in org.services if where is not None), None)
    org.location = at_service or ctx.default
    if org.location is not None and at_service is None:
        ctx.note("%(name)s is in de standaardplaats %(place)s gezet.",
                 name=org.row.get("name", ""), place=ctx.default.place_name)  # fmt: skip


def _plan_services(ctx: Context, pkg: Package, org_key: str, org: HsdsOrganisation,
                   links: dict[str, list[Link]]) -> None:  # fmt: skip
    for number, row, at_service in org.services:
        where = at_service or org.location
        if where is None:
            ctx.error(pkg.file("service"), number, "locatie", no_place_reason())
            continue
        data = listing_input(ctx, pkg, number, row, where, links)
        if data is not None:
            ctx.plan.listings.append((data, org_key, True))


def _plan_organisation(ctx: Context, pkg: Package, locator: Locator, key: str,
                       org: HsdsOrganisation, links: dict[str, list[Link]]) -> None:  # fmt: skip
    """Plan one organisation and its active services."""
    _settle_organisation(ctx, org)
    data = organisation_input(ctx, pkg, locator, org, links)
    if data is not None:
        ctx.plan.organisations.append((key, data))
    _plan_services(ctx, pkg, key, org, links)
    ctx.progress(1)


def _note_without_kind(ctx: Context) -> None:
    """Say which organisations became welfare organisations for want of a kind."""
    if ctx.without_kind:
        ctx.note(
            "%(count)s organisatie(s) zonder soort in het pakket zijn ingedeeld als "
            "welzijnsorganisatie: %(names)s.", count=len(ctx.without_kind),
            names=", ".join(ctx.without_kind[:10]) + (" …" if len(ctx.without_kind) > 10 else ""),
        )  # fmt: skip


def validate_hsds(ctx: Context, source: ImportSource) -> None:
    """Check an HSDS package into the plan: organisations, their active services, new themes."""
    pkg = Package(source.tables)
    links = read_attributes(pkg, read_terms(ctx, pkg))
    locator = Locator(ctx, pkg)
    orgs = _read_organisations(pkg, locator)
    _collect_services(ctx, pkg, locator, orgs)
    for key, org in orgs.items():
        _plan_organisation(ctx, pkg, locator, key, org, links)
    _note_without_kind(ctx)
    _report_unmapped_columns(ctx, pkg)
    _report_unused_rows(ctx, pkg)


def _report_unmapped_columns(ctx: Context, pkg: Package) -> None:
    """Every filled table and column that has no home in our model, never silently."""
    for name, table in pkg.tables.items():
        if name not in MAPPED:
            if table.rows:
                ctx.left_out("%(file)s (%(rows)s)", file=table.file,
                             rows=rows_phrase(len(table.rows)))  # fmt: skip
            continue
        for column in table.header:
            filled = table.filled(column)
            if filled and column not in MAPPED[name]:
                ctx.left_out("%(file)s kolom %(column)s (%(count)s)", file=table.file,
                             column=column, count=rows_phrase(filled))  # fmt: skip


def _report_unused_rows(ctx: Context, pkg: Package) -> None:
    """Every row that was skipped, or that nothing imported uses, with the reason."""
    for name in (*_TRACKED, "service", "taxonomy_term"):
        for number, _row in pkg.rows(name):
            reason = pkg.skipped.get((name, number))
            if reason is None and name in _TRACKED and (name, number) not in pkg.used:
                reason = nl("hoort bij niets wat is overgenomen")
            if reason is not None:
                ctx.left_out("%(file)s rij %(row)s: %(reason)s", file=pkg.file(name), row=number,
                             reason=reason)  # fmt: skip
