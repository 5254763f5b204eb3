"""The export as one JSON document, its rows nested as the official organization and service schemas."""

from __future__ import annotations

from collections import defaultdict

from .build import Export, timestamp
from .tables import HSDS_VERSION


def _compact(row: dict[str, object]) -> dict[str, object]:
    """A row without its empty columns (JSON leaves out what is unknown)."""
    return {key: value for key, value in row.items() if value is not None}


class _Nest:
    """Children of a row by foreign key, to nest the flat tables as the HSDS schemas do."""

    def __init__(self, export: Export) -> None:
        self.tables = export.tables
        self.children: dict[tuple[str, str, object], list[dict]] = defaultdict(list)
        for table, rows in export.tables.items():
            for row in rows:
                for column in ("organization_id", "service_id", "location_id", "link_id"):
                    if row.get(column) is not None:
                        self.children[(table, column, row[column])].append(row)
        self.by_id = {(t, row["id"]): row for t, rows in self.tables.items() for row in rows}

    def rows(self, table: str, column: str, value: object) -> list[dict]:
        return self.children.get((table, column, value), [])

    def compact_rows(self, table: str, column: str, value: object) -> list[dict]:
        """The children in ``table`` whose ``column`` is ``value``, without empty columns."""
        return [_compact(row) for row in self.rows(table, column, value)]

    def attributes(self, link_id: str) -> list[dict]:
        nested = []
        for row in self.rows("attribute", "link_id", link_id):
            term = dict(_compact(self.by_id[("taxonomy_term", row["taxonomy_term_id"])]))
            term["taxonomy_detail"] = _compact(self.by_id[("taxonomy", term["taxonomy_id"])])
            nested.append({**_compact(row), "taxonomy_term": term})
        return nested

    def location(self, row: dict) -> dict:
        lid = row["id"]
        return {
            **_compact(row),
            "addresses": self.compact_rows("address", "location_id", lid),
            "accessibility": self.compact_rows("accessibility", "location_id", lid),
        }

    def organisation(self, row: dict) -> dict:
        oid = row["id"]
        return {
            **_compact(row),
            "locations": [self.location(r) for r in self.rows("location", "organization_id", oid)],
            "phones": self.compact_rows("phone", "organization_id", oid),
            "attributes": self.attributes(oid),
        }

    def service(self, row: dict) -> dict:
        sid = row["id"]
        placed = [
            {**_compact(r), "location": self.location(self.by_id[("location", r["location_id"])])}
            for r in self.rows("service_at_location", "service_id", sid)
        ]
        return {
            **_compact(row),
            "organization": _compact(self.by_id[("organization", row["organization_id"])]),
            "service_at_locations": placed,
            "schedules": self.compact_rows("schedule", "service_id", sid),
            "attributes": self.attributes(sid),
        }


def to_json(export: Export) -> dict[str, object]:
    """One JSON document: organizations and services nested per the HSDS 3.0 schemas."""
    nest = _Nest(export)
    return {
        "hsds_version": HSDS_VERSION,
        "publisher": "Naoberkaart",
        "source": export.base_url,
        "generated_at": timestamp(export.generated_at),
        "organizations": [nest.organisation(row) for row in export.tables["organization"]],
        "services": [nest.service(row) for row in export.tables["service"]],
        "taxonomies": [_compact(row) for row in export.tables["taxonomy"]],
        "taxonomy_terms": [_compact(row) for row in export.tables["taxonomy_term"]],
    }
