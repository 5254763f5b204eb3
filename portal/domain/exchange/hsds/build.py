"""From the session to HSDS rows: what the portal shows publicly, as flat tables (see docs/import.md)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ....models import Listing, ListingKind, ListingStatus, Organisation
from ...catalogue.schedule import slot_label
from ...catalogue.themes import all_themes
from ...places.gazetteer import default_gazetteer
from ...web_addresses import web_address_or_empty
from .ids import namespace, object_id
from .tables import HSDS_VERSION, TABLES
from .vocabulary import (
    ACCESSIBILITY,
    DAY_PART_HOURS,
    LISTING_KIND,
    LISTING_KIND_NAMES,
    ORG_KIND,
    ORG_KIND_NAMES,
    PLACE_ID_TYPE,
    PROPERTIES,
    PROPERTY,
    RRULE_DAYS,
    TAXONOMIES,
    THEME,
)

_POSTCODE_RE = re.compile(r"\b([1-9][0-9]{3})\s?([A-Za-z]{2})\b")


@dataclass
class Export:
    """The export as flat tables (one list of rows per HSDS table), built once per download."""

    base_url: str
    generated_at: datetime
    tables: dict[str, list[dict[str, object]]] = field(
        default_factory=lambda: {name: [] for name in TABLES}
    )

    def add(self, table: str, **values: object) -> dict[str, object]:
        """Append a row; missing columns stay empty."""
        row = {column: values.get(column) for column in TABLES[table][1]}
        self.tables[table].append(row)
        return row


class _Builder:
    """Fills an Export from the database; one method per kind of object."""

    def __init__(self, export: Export) -> None:
        self.export = export
        self.ns = namespace(export.base_url)
        self.base = export.base_url.rstrip("/")
        self.org_locations: dict[int, tuple[str, float, float]] = {}

    def id(self, *parts: object) -> str:
        return object_id(self.ns, *parts)

    def taxonomies(self, session: Session) -> None:
        for code, (name, description) in TAXONOMIES.items():
            self.export.add("taxonomy", id=self.id("taxonomy", code), name=name,
                            description=description, version=HSDS_VERSION)  # fmt: skip
        for theme in all_themes(session):
            self.term(THEME, theme.slug, theme.label_nl, theme.label_en)
        for kind, name in ORG_KIND_NAMES.items():
            self.term(ORG_KIND, kind.value, name, f"Organisatiesoort {kind.value}")
        for listing_kind, name in LISTING_KIND_NAMES.items():
            self.term(LISTING_KIND, listing_kind.value, name, f"Soort aanbod {listing_kind.value}")
        for code, (name, description) in PROPERTIES.items():
            self.term(PROPERTY, code, name, description)

    def term(self, taxonomy: str, code: str, name: str, description: str) -> None:
        self.export.add(
            "taxonomy_term", id=self.id("term", taxonomy, code), code=code, name=name,
            description=description, taxonomy=taxonomy, language="nl",
            taxonomy_id=self.id("taxonomy", taxonomy),
        )  # fmt: skip

    def attribute(self, entity: str, link_id: str, taxonomy: str, code: str, value=None) -> None:
        if value is None or value == "":
            value = None
        self.export.add(
            "attribute", id=self.id("attribute", link_id, taxonomy, code), link_id=link_id,
            taxonomy_term_id=self.id("term", taxonomy, code), link_entity=entity,
            link_type=taxonomy.split(":")[1], value=None if value is None else str(value),
        )  # fmt: skip

    def organisation(self, organisation: Organisation) -> None:
        oid = self.id("organisation", organisation.id)
        self.export.add(
            "organization", id=oid, name=organisation.name, description=organisation.description,
            email=organisation.contact_email or None, website=web_address_or_empty(organisation.website) or None,
            uri=f"{self.base}/organisaties/{organisation.id}",
        )  # fmt: skip
        self.attribute("organization", oid, ORG_KIND, organisation.kind.value)
        for theme in organisation.themes:
            self.attribute("organization", oid, THEME, theme.slug)
        if organisation.contact_phone:
            self.export.add("phone", id=self.id("phone/organisation", organisation.id),
                            organization_id=oid, number=organisation.contact_phone, type="voice")  # fmt: skip
        if organisation.public_lat is not None and organisation.public_lon is not None:
            self.organisation_location(organisation, oid)

    def organisation_location(self, organisation: Organisation, oid: str) -> None:
        lid = self.id("location/organisation", organisation.id)
        self.location(lid, oid, organisation.name, organisation, organisation.place_key)
        self.org_locations[organisation.id] = (
            lid, organisation.public_lat, organisation.public_lon
        )  # fmt: skip
        if organisation.address:
            self.address(lid, organisation)
        for flag, description in ACCESSIBILITY.items():
            if getattr(organisation, flag):
                self.export.add("accessibility", id=self.id("accessibility", lid, flag),
                                location_id=lid, description=description)  # fmt: skip

    def location(self, lid: str, oid: str, name: str, located, place_key: str | None) -> None:
        self.export.add(
            "location", id=lid, location_type="physical", organization_id=oid, name=name,
            latitude=located.public_lat, longitude=located.public_lon,
            external_identifier=place_key, external_identifier_type=PLACE_ID_TYPE if place_key else None,
        )  # fmt: skip

    def address(self, lid: str, organisation: Organisation) -> None:
        entry = default_gazetteer().get(organisation.place_key or "")
        postcode = _POSTCODE_RE.search(organisation.address)
        self.export.add(
            "address", id=self.id("address", lid), location_id=lid,
            address_1=organisation.address, city=organisation.place_name or "",
            state_province=entry.province if entry else "",
            postal_code=f"{postcode.group(1)} {postcode.group(2).upper()}" if postcode else "",
            country="NL", address_type="physical",
        )  # fmt: skip

    def listing(self, listing: Listing) -> None:
        sid = self.id("listing", listing.id)
        oid = self.id("organisation", listing.organisation_id)
        self.export.add(
            "service", id=sid, organization_id=oid, name=listing.title,
            description=listing.description, url=f"{self.base}/initiatieven/{listing.id}",
            status="active", fees_description=listing.cost or None,
            minimum_age=listing.age_min, maximum_age=listing.age_max,
            last_modified=timestamp(listing.updated_at),
        )  # fmt: skip
        self.listing_attributes(listing, sid)
        self.service_at_location(listing, sid, oid)
        self.schedules(listing, sid)

    def listing_attributes(self, listing: Listing, sid: str) -> None:
        self.attribute("service", sid, LISTING_KIND, listing.kind.value)
        for theme in listing.themes:
            self.attribute("service", sid, THEME, theme.slug)
        properties = {
            "straal-km": listing.radius_km,
            "capaciteit": listing.capacity,
            "toegang": listing.access_route.value if listing.access_route else None,
            "gebied": listing.area_kind.value if listing.area_kind else None,
            "dorpen": ";".join(listing.area_places or ()) or None,
        }
        for code, value in properties.items():
            if value is not None:
                self.attribute("service", sid, PROPERTY, code, value)

    def service_at_location(self, listing: Listing, sid: str, oid: str) -> None:
        own = self.org_locations.get(listing.organisation_id or 0)
        if own and (own[1], own[2]) == (listing.public_lat, listing.public_lon):
            lid = own[0]
        elif listing.public_lat is None or listing.public_lon is None:
            return
        else:
            lid = self.id("location/listing", listing.id)
            entry = default_gazetteer().get(listing.place_key or "")
            self.location(lid, oid, entry.label if entry else listing.place_name or "", listing,
                          listing.place_key)  # fmt: skip
        self.export.add("service_at_location", id=self.id("service_at_location", listing.id),
                        service_id=sid, location_id=lid)  # fmt: skip

    def schedules(self, listing: Listing, sid: str) -> None:
        for slot in listing.weekly_slots or ():
            day, part = slot.split("-")
            opens, closes = DAY_PART_HOURS[part]
            self.export.add(
                "schedule", id=self.id("schedule", listing.id, slot), service_id=sid,
                freq="WEEKLY", interval=1, byday=RRULE_DAYS[day], opens_at=opens,
                closes_at=closes, description=slot_label(slot, "nl"),
            )  # fmt: skip
        if listing.event_date is not None:
            self.export.add("schedule", id=self.id("schedule", listing.id, "date"), service_id=sid,
                            dtstart=listing.event_date.isoformat(), count=1)  # fmt: skip


def timestamp(moment: datetime | None) -> str | None:
    """ISO 8601 in UTC with milliseconds, as HSDS asks for ``last_modified``."""
    if moment is None:
        return None
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def exported_listings(session: Session) -> list[Listing]:
    """Published, visible offers and resources of organisations: needs and residents' own stay out."""
    return list(
        session.scalars(
            select(Listing)
            .where(
                Listing.status == ListingStatus.PUBLISHED,
                Listing.hidden.is_(False),
                Listing.kind.in_((ListingKind.OFFER, ListingKind.RESOURCE)),
                Listing.organisation_id.is_not(None),
            )
            .order_by(Listing.id)
        )
    )


def build_export(session: Session, base_url: str, now: datetime) -> Export:
    """Everything public, as HSDS tables. Read-only."""
    export = Export(base_url=base_url, generated_at=now)
    builder = _Builder(export)
    builder.taxonomies(session)
    for organisation in session.scalars(select(Organisation).order_by(Organisation.id)):
        builder.organisation(organisation)
    for listing in exported_listings(session):
        builder.listing(listing)
    return export
