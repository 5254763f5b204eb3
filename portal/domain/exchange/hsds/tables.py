"""The HSDS 3.0 tables as the standard defines them, read from its official datapackage.json
(portal/data/hsds-3.0): files, columns in the official order, required and typed fields."""

from __future__ import annotations

import json
from pathlib import Path

HSDS_VERSION = "3.0"
DATAPACKAGE = Path(__file__).resolve().parents[3] / "data" / "hsds-3.0" / "datapackage.json"

#: the tables we write and read, of the standard's 21
USED = (
    "organization", "service", "location", "service_at_location", "address", "phone",
    "accessibility", "schedule", "taxonomy", "taxonomy_term", "attribute",
)  # fmt: skip


def _resources() -> dict[str, dict]:
    package = json.loads(DATAPACKAGE.read_text(encoding="utf-8"))
    return {resource["name"]: resource for resource in package["resources"]}


def _fields(resource: dict) -> list[dict]:
    return resource["schema"]["fields"]


_RESOURCES = {name: resource for name, resource in _resources().items() if name in USED}
_ALL_FIELDS = [field for resource in _RESOURCES.values() for field in _fields(resource)]

#: resource name -> (CSV file, columns in the official order)
TABLES: dict[str, tuple[str, tuple[str, ...]]] = {
    name: (_RESOURCES[name]["path"], tuple(field["name"] for field in _fields(_RESOURCES[name])))
    for name in USED
}
REQUIRED: dict[str, tuple[str, ...]] = {
    name: required
    for name in USED
    if (
        required := tuple(
            field["name"]
            for field in _fields(_RESOURCES[name])
            if field.get("constraints", {}).get("required")
        )
    )
}
NUMBERS = {field["name"] for field in _ALL_FIELDS if field["type"] == "number"}
DATES = {field["name"] for field in _ALL_FIELDS if field["type"] == "date"}
TIMES = {field["name"] for field in _ALL_FIELDS if field["type"] == "time"}
URIS = {field["name"] for field in _ALL_FIELDS if field.get("format") == "uri"}
