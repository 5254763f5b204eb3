"""Placing HSDS locations in the Netherlands once each: coordinates, then address, then name."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from ...places.gazetteer import normalise
from ...places.geography import Location
from ..hsds.vocabulary import PLACE_ID_TYPE
from .context import Context
from .hsds_tables import Package
from .places import Failure, PlaceQuery, locate
from .report import nl


def _query(row: dict[str, str], address: dict[str, str]) -> PlaceQuery:
    """What a location row and its address say about where it is (our own place key too)."""
    own_key = row.get("external_identifier_type") == PLACE_ID_TYPE
    return PlaceQuery(
        postcode=address.get("postal_code", ""), place=address.get("city", ""),
        address=address.get("address_1", ""), lat=row.get("latitude", ""),
        lon=row.get("longitude", ""), place_key=row.get("external_identifier", "") if own_key else "",
    )  # fmt: skip


class Locator:
    """Places HSDS locations once each (coordinates, then address, then name)."""

    def __init__(self, ctx: Context, pkg: Package) -> None:
        self.ctx, self.pkg = ctx, pkg
        self.placed: dict[str, Location | None] = {}

    def place(self, location_id: str) -> Location | None:
        if location_id not in self.placed:
            self.placed[location_id] = self._place(location_id)
        return self.placed[location_id]

    def _place(self, location_id: str) -> Location | None:
        found = self.pkg.get("location", location_id)
        if found is None:
            return None
        number, row = found
        if row.get("location_type") == "virtual":
            self.pkg.skip("location", number, nl("een virtuele locatie heeft geen plaats"))
            return None
        query = _query(row, self.address(location_id))
        placed = locate(query, strict=False)
        if isinstance(placed, Failure) and row.get("name"):
            placed = locate(replace(query, place=row["name"]), strict=False)
        if isinstance(placed, Failure):
            self.pkg.skip("location", number, _unplaced(row, query, placed))
            return None
        self.pkg.use("location", number)
        return placed

    def address(self, location_id: str) -> dict[str, str]:
        found = self.pkg.first_child("address", "location_id", location_id)
        return found[1] if found else {}

    def address_text(self, location_id: str) -> str:
        found = self.pkg.first_child("address", "location_id", location_id)
        if found is None:
            return ""
        number, row = found
        self.pkg.use("address", number)
        street = ", ".join(p for p in (row.get("address_1", ""), row.get("address_2", "")) if p)
        town = " ".join(p for p in (row.get("postal_code", ""), row.get("city", "")) if p)
        if not town or normalise(row.get("city", "")) in normalise(street):
            return street[:200]
        return ", ".join(p for p in (street, town) if p)[:200]

    def first(self, location_ids: Iterable[str]) -> tuple[str, Location] | None:
        for location_id in location_ids:
            placed = self.place(location_id)
            if placed is not None:
                return location_id, placed
        return None


def _unplaced(row: dict[str, str], query: PlaceQuery, failure: Failure) -> str:
    reasons = [failure.reason.rstrip(".")]
    if query.lat or query.lon:
        reasons.insert(0, nl("coördinaten %(lat)s, %(lon)s liggen niet in Nederland",
                             lat=query.lat, lon=query.lon))  # fmt: skip
    return nl("‘%(name)s’ niet geplaatst: %(reasons)s", name=row.get("name", ""),
              reasons="; ".join(reasons))  # fmt: skip


def service_location_ids(pkg: Package, service_id: str) -> list[str]:
    """The locations a service is offered at (service_at_location), in the package's order."""
    ids = []
    for number, row in pkg.children("service_at_location", "service_id", service_id):
        pkg.use("service_at_location", number)
        ids.append(row.get("location_id", ""))
    return ids


def org_location_ids(pkg: Package, organisation_id: str) -> list[str]:
    """The locations that belong to an organisation itself."""
    return [
        row.get("id", "")
        for _n, row in pkg.children("location", "organization_id", organisation_id)
    ]
