"""Open Referral HSDS 3.0 export of our public organisations, offers and places (see docs/import.md)."""

from .build import Export, build_export, exported_listings
from .csvsafe import neutralise, restore
from .ids import namespace
from .nested import to_json
from .package import datapackage, json_bytes, package_files, package_zip, table_csv, write_package
from .tables import HSDS_VERSION, TABLES
from .vocabulary import ACCESSIBILITY

__all__ = [
    "ACCESSIBILITY",
    "HSDS_VERSION",
    "TABLES",
    "Export",
    "build_export",
    "datapackage",
    "exported_listings",
    "json_bytes",
    "namespace",
    "neutralise",
    "package_files",
    "package_zip",
    "restore",
    "table_csv",
    "to_json",
    "write_package",
]
