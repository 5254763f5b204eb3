"""Import a social map, all rows or none: our CSV templates or an HSDS 3.0 package (docs/import.md)."""

from .reading import (
    HSDS,
    LISTINGS,
    ORGANISATIONS,
    ImportFileError,
    ImportSource,
    Table,
    read_path,
    read_upload,
)
from .report import ImportReport, RowError
from .writing import run_import

__all__ = [
    "HSDS",
    "LISTINGS",
    "ORGANISATIONS",
    "ImportFileError",
    "ImportReport",
    "ImportSource",
    "RowError",
    "Table",
    "read_path",
    "read_upload",
    "run_import",
]
