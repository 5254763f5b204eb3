"""Reading an upload or a path into tables: a CSV template, or an HSDS package as zip or directory."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ...places.gazetteer import normalise
from ..hsds.csvsafe import restore
from ..hsds.tables import TABLES
from .report import nl

ORGANISATIONS, LISTINGS, HSDS = "organisaties", "aanbod", "hsds"
MAX_PACKAGE_BYTES = 50 * 1024 * 1024
_COLUMN_ALIASES = {
    "thema": "themas", "e_mail": "email", "e_mailadres": "email", "telefoonnummer": "telefoon",
    "breedtegraad": "lat", "latitude": "lat", "lengtegraad": "lon", "longitude": "lon",
    "straal": "straal_km", "beschrijving": "omschrijving", "woonplaats": "plaats",
}  # fmt: skip


class ImportFileError(ValueError):
    """The file as a whole cannot be read (not a CSV, no header, no organizations.csv …)."""


@dataclass(frozen=True)
class Table:
    """One CSV: its file name, header and non-empty rows with their spreadsheet row number."""

    file: str
    header: tuple[str, ...]
    rows: tuple[tuple[int, dict[str, str]], ...]

    def filled(self, column: str) -> int:
        """How many rows have a value in ``column``."""
        return sum(1 for _n, row in self.rows if row.get(column))


@dataclass(frozen=True)
class ImportSource:
    """A file read into tables, and which kind of import it is."""

    kind: str
    label: str
    tables: dict[str, Table]

    @property
    def size(self) -> int:
        """Rows to check: the template's rows, or an HSDS package's organisations and services."""
        names = ("organization", "service") if self.kind == HSDS else ("template",)
        return sum(len(self.tables[name].rows) for name in names if name in self.tables)


def _decode(data: bytes) -> str:
    """UTF-8 (with or without Excel's BOM); old Excel exports are Windows-1252."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _delimiter(text: str) -> str:
    """``;`` when the header line has more semicolons than commas (Dutch Excel), else ``,``."""
    first = text.split("\n", 1)[0]
    return ";" if first.count(";") > first.count(",") else ","


def _data_rows(
    reader: Iterator[list[str]], header: tuple[str, ...], file: str
) -> tuple[tuple[int, dict[str, str]], ...]:
    """The non-empty rows by spreadsheet row number (the header is row 1), guard undone."""
    rows = []
    try:
        for number, values in enumerate(reader, start=2):
            cells = [restore(value.strip()) for value in values]
            if any(cells):
                rows.append((number, dict(zip(header, cells, strict=False))))
    except csv.Error as error:
        raise ImportFileError(nl("%(file)s is geen geldig CSV-bestand.", file=file)) from error
    return tuple(rows)


def parse_csv(data: bytes, file: str, column_key: Callable[[str], str]) -> Table:
    """Read a CSV with ``,`` or ``;`` (Dutch Excel), undoing the export's formula guard."""
    text = _decode(data)
    if "\x00" in text:  # no database stores it (PostgreSQL refuses NUL in every string)
        raise ImportFileError(
            nl("%(file)s bevat een onzichtbaar teken (NUL) dat we niet kunnen bewaren. Sla het "
               "bestand opnieuw op als CSV (UTF-8) en probeer het nog eens.", file=file)
        )  # fmt: skip
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        header = tuple(column_key(name) for name in next(reader))
    except (StopIteration, csv.Error) as error:
        raise ImportFileError(nl("%(file)s is leeg of geen CSV-bestand.", file=file)) from error
    return Table(file, header, _data_rows(reader, header, file))


def template_column(name: str) -> str:
    """``Thema's`` -> ``themas``, ``E-mail`` -> ``email``: forgiving about how people type."""
    key = normalise(name).replace(" ", "_")
    return _COLUMN_ALIASES.get(key, key)


def _hsds_column(name: str) -> str:
    return name.strip().lower()


def read_upload(data: bytes, filename: str) -> ImportSource:
    """A CSV template, or a zip with an HSDS package (recognised by content, not by name)."""
    if data[:4] == b"PK\x03\x04":
        return _hsds_source(filename, _unzip(data))
    table = parse_csv(data, filename, template_column)
    return ImportSource(_template_kind(table), filename, {"template": table})


def read_path(path: Path) -> ImportSource:
    """A CSV file, a zip, or a directory holding an HSDS package."""
    if path.is_dir():
        files = {p.name.lower(): p.read_bytes() for p in path.iterdir() if p.is_file()}
        return _hsds_source(path.name, files)
    return read_upload(path.read_bytes(), path.name)


def _unzip(data: bytes) -> dict[str, bytes]:
    """The files in a zip by lower-case base name; refuses zip bombs."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = [info for info in archive.infolist() if not info.is_dir()]
            if sum(info.file_size for info in infos) > MAX_PACKAGE_BYTES:
                raise ImportFileError(nl("Het zip-bestand is uitgepakt groter dan 50 MB."))
            return {Path(info.filename).name.lower(): archive.read(info) for info in infos}
    except zipfile.BadZipFile as error:
        raise ImportFileError(nl("Dit zip-bestand is beschadigd.")) from error


def _template_kind(table: Table) -> str:
    if "titel" in table.header:
        return LISTINGS
    if "naam" in table.header:
        return ORGANISATIONS
    if "id" in table.header and "name" in table.header:
        raise ImportFileError(
            nl("Dit lijkt één tabel uit een HSDS-pakket. Upload het hele pakket als zip-bestand.")
        )
    raise ImportFileError(
        nl("Onbekende kolommen. Gebruik het sjabloon: een kolom ‘naam’ (organisaties) of ‘titel’ "
           "(aanbod en vraag).")
    )  # fmt: skip


def _hsds_source(label: str, files: dict[str, bytes]) -> ImportSource:
    paths = {path: name for name, (path, _columns) in TABLES.items()}
    if "datapackage.json" in files:
        paths.update(_datapackage_paths(files["datapackage.json"]))
    if "organizations.csv" not in files and "organizations.csv" not in paths.values():
        raise ImportFileError(nl("Het pakket heeft geen organizations.csv."))
    tables = {}
    for file, data in sorted(files.items()):
        if file.endswith(".csv"):
            name = paths.get(file, file.removesuffix(".csv"))
            tables[name] = parse_csv(data, file, _hsds_column)
    return ImportSource(HSDS, label, tables)


def _datapackage_paths(data: bytes) -> dict[str, str]:
    try:
        resources = json.loads(_decode(data)).get("resources", [])
        return {
            Path(str(r["path"])).name.lower(): str(r["name"])
            for r in resources
            if isinstance(r, dict) and "path" in r and "name" in r
        }
    except (ValueError, AttributeError):
        return {}
