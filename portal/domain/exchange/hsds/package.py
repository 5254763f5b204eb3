"""Writing an export as files: the CSV data package with its datapackage.json, plus hsds.json."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

from .build import Export, timestamp
from .csvsafe import neutralise
from .nested import to_json
from .tables import DATES, NUMBERS, REQUIRED, TABLES, TIMES, URIS


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return neutralise(str(value))


def table_csv(export: Export, table: str) -> bytes:
    """One table as UTF-8 CSV with the official header, formulas defused."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    columns = TABLES[table][1]
    writer.writerow(columns)
    for row in export.tables[table]:
        writer.writerow([_cell(row[column]) for column in columns])
    return buffer.getvalue().encode("utf-8")


def _field_schema(table: str, name: str) -> dict[str, object]:
    spec: dict[str, object] = {"name": name, "type": "string"}
    if name in NUMBERS:
        spec["type"] = "number"
    elif name in DATES:
        spec["type"] = "date"
    elif name in TIMES:
        spec["type"] = "time"
    elif name == "last_modified":
        spec["type"] = "datetime"
    elif name == "id" or name.endswith("_id"):
        spec["format"] = "uuid"
    elif name in URIS:
        spec["format"] = "uri"
    elif name.endswith("email"):
        spec["format"] = "email"
    if name in REQUIRED.get(table, ("id",)):
        spec["constraints"] = {"required": True, **({"unique": True} if name == "id" else {})}
    return spec


def _foreign_keys(table: str) -> list[dict[str, object]]:
    return [
        {"fields": column, "reference": {"resource": column[:-3], "fields": "id"}}
        for column in TABLES[table][1]
        if column.endswith("_id") and column[:-3] in TABLES and column[:-3] != table
    ]


def _resource(table: str) -> dict[str, object]:
    path, columns = TABLES[table]
    return {
        "name": table,
        "path": path,
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "schema": {
            "primaryKey": "id",
            "fields": [_field_schema(table, name) for name in columns],
            "foreignKeys": _foreign_keys(table),
        },
    }


def datapackage(export: Export) -> dict[str, object]:
    """The Frictionless tabular data package descriptor for our CSV files."""
    return {
        "name": "naoberkaart-hsds",
        "title": "Naoberkaart: organisaties, aanbod en plaatsen (Open Referral HSDS 3.0)",
        "profile": "tabular-data-package",
        "version": "3.0.0",
        "created": timestamp(export.generated_at),
        "homepage": export.base_url,
        "sources": [
            {"title": "Plaatsnamen: GeoNames (CC BY 4.0)", "path": "https://www.geonames.org/"}
        ],
        "resources": [_resource(table) for table in TABLES],
    }


def package_files(export: Export) -> dict[str, bytes]:
    """File name -> content of the CSV data package (datapackage.json first)."""
    files = {"datapackage.json": json_bytes(datapackage(export))}
    for table, (path, _columns) in TABLES.items():
        files[path] = table_csv(export, table)
    return files


def _download_files(export: Export) -> dict[str, bytes]:
    """The CSV data package followed by ``hsds.json``: what the zip and the directory hold."""
    return {**package_files(export), "hsds.json": json_bytes(to_json(export))}


def package_zip(export: Export) -> bytes:
    """The CSV data package and ``hsds.json`` in one zip, for the download link."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in _download_files(export).items():
            archive.writestr(name, content)
    return buffer.getvalue()


def write_package(export: Export, directory: Path) -> list[Path]:
    """Write the CSV package and ``hsds.json`` into ``directory`` (created when missing)."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, content in _download_files(export).items():
        path = directory / name
        path.write_bytes(content)
        written.append(path)
    return written


def json_bytes(document: object) -> bytes:
    """Readable UTF-8 JSON (names with accents stay as they are)."""
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")
