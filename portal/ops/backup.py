"""Portable backups: one zip with a JSON Lines file per table, for SQLite and PostgreSQL alike.

Why not pg_dump or a copy of the SQLite file: a municipality may start on the embedded SQLite and
move to PostgreSQL (or back), and this format is the same for both, readable by people and other
tools. Ids are kept, so foreign keys, printed links and API references stay valid; a restore goes
into an empty, migrated database in one transaction, so it either completes or leaves nothing.
"""

from __future__ import annotations

import enum
import json
import os
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Connection,
    Date,
    DateTime,
    Engine,
    Enum,
    MetaData,
    Table,
    func,
    insert,
    inspect,
    select,
    text,
)
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.types import TypeDecorator

from ..models.base import utcnow

Progress = Callable[[int, int], None]
Codec = Callable[[Any], Any]

FORMAT = "naoberkaart-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
BATCH = 1000
#: A restore reads one row at a time and refuses longer lines: the largest real rows are a few
#: kilobytes, and a hostile file with one 600 MB line must not be read into memory whole.
MAX_LINE_BYTES = 8 * 1024 * 1024
#: A batch is written when it holds BATCH rows or this many bytes of JSON, whichever comes first.
BATCH_BYTES = 16 * 1024 * 1024
MAX_MANIFEST_BYTES = 1024 * 1024
#: Errors of a damaged zip that show up only while a member is read.
DAMAGED_ZIP = (zipfile.BadZipFile, zlib.error, EOFError)
#: Not data: Alembic's bookkeeping, SQLite's internals, and the full-text index that SQLite's
#: triggers rebuild from `listing` (PostgreSQL's is an index, not a table).
SKIPPED_PREFIXES = ("alembic_version", "listing_fts", "sqlite_")


class BackupError(Exception):
    """A backup or restore that would be incomplete or overwrite data; the message is for people."""


@dataclass(frozen=True)
class BackupSummary:
    """Rows per table (in dependency order) and the schema revision they belong to."""

    tables: dict[str, int]
    revision: str | None

    @property
    def rows(self) -> int:
        return sum(self.tables.values())


def dump(
    engine: Engine, metadata: MetaData, path: Path, progress: Progress | None = None
) -> BackupSummary:
    """Write every table to a zip at `path`; a half-written file never carries the final name."""
    partial = path.with_name(path.name + ".part")
    with _snapshot(engine) as connection:
        _check_covered(connection, metadata)
        tables = metadata.sorted_tables
        counts = {table.name: _count(connection, table) for table in tables}
        report = _Reporter(progress, sum(counts.values()))
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
            written = {
                table.name: _dump_table(connection, table, archive, report) for table in tables
            }
            summary = BackupSummary(written, _revision(connection))
            archive.writestr(MANIFEST, json.dumps(_manifest(summary, tables, engine), indent=2))
    os.replace(partial, path)
    return summary


def restore(
    engine: Engine, metadata: MetaData, path: Path, progress: Progress | None = None
) -> BackupSummary:
    """Load a backup into an empty database at the same schema revision, all or nothing.

    Anything wrong with the file (not a zip, a damaged member, a manifest or row that does not
    fit) raises BackupError with a message for people; rows are streamed one line at a time.
    """
    with _open_archive(path) as archive:
        manifest = _read_manifest(archive)
        entries = {entry["name"]: entry for entry in manifest["tables"]}
        try:
            with engine.begin() as connection:
                _check_target(connection, metadata, manifest, entries)
                report = _Reporter(progress, sum(entry["rows"] for entry in entries.values()))
                loaded = {
                    table.name: _load_table(connection, table, archive, entries[table.name], report)
                    for table in metadata.sorted_tables
                }
                _after_restore(connection, metadata)
        except DAMAGED_ZIP as error:
            raise BackupError(f"Het zipbestand is beschadigd: {error}") from error
    return BackupSummary(loaded, manifest["revision"])


def _open_archive(path: Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        raise BackupError(
            f"{path.name} is geen Naoberkaart-backup: het is geen leesbaar zipbestand."
        ) from error


class _Reporter:
    """Counts rows and tells the caller every BATCH rows (and at the end)."""

    def __init__(self, progress: Progress | None, total: int) -> None:
        self.progress, self.total, self.done = progress, total, 0

    def add(self, count: int) -> None:
        self.done += count
        if self.progress is not None:
            self.progress(self.done, self.total)


@contextmanager
def _snapshot(engine: Engine) -> Iterator[Connection]:
    """A connection for reading; on PostgreSQL one repeatable-read snapshot for all tables."""
    options = {"isolation_level": "REPEATABLE READ"} if engine.dialect.name == "postgresql" else {}
    with engine.connect().execution_options(**options) as connection, connection.begin():
        yield connection


def _is_skipped(name: str) -> bool:
    return name.startswith(SKIPPED_PREFIXES)


def _check_covered(connection: Connection, metadata: MetaData) -> None:
    """Refuse to write a backup that would silently leave a table out."""
    unknown = sorted(
        name
        for name in inspect(connection).get_table_names()
        if not _is_skipped(name) and name not in metadata.tables
    )
    if unknown:
        raise BackupError(
            "Deze tabellen kent het datamodel niet, dus de backup zou onvolledig zijn: "
            + ", ".join(unknown)
        )


def _count(connection: Connection, table: Table) -> int:
    return connection.scalar(select(func.count()).select_from(table)) or 0


def _revision(connection: Connection) -> str | None:
    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.scalar(text("SELECT version_num FROM alembic_version"))


def _manifest(summary: BackupSummary, tables: list[Table], engine: Engine) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "created_at": utcnow().isoformat(),
        "source": engine.dialect.name,
        "revision": summary.revision,
        "tables": [
            {
                "name": table.name,
                "columns": [column.name for column in table.columns],
                "rows": summary.tables[table.name],
            }
            for table in tables
        ],
    }


def _rows(connection: Connection, table: Table) -> Iterator[tuple]:
    """All rows in primary-key order, streamed (a server-side cursor on PostgreSQL)."""
    statement = select(table).order_by(*table.primary_key.columns)
    result = connection.execution_options(yield_per=BATCH).execute(statement)
    yield from result


def _dump_table(
    connection: Connection, table: Table, archive: zipfile.ZipFile, report: _Reporter
) -> int:
    encoders = [_encoder(column.type) for column in table.columns]
    written = 0
    with archive.open(f"tables/{table.name}.jsonl", "w", force_zip64=True) as out:
        for row in _rows(connection, table):
            values = [encode(value) for encode, value in zip(encoders, row, strict=True)]
            out.write(json.dumps(values, ensure_ascii=False, separators=(",", ":")).encode())
            out.write(b"\n")
            written += 1
            if written % BATCH == 0:
                report.add(BATCH)
    report.add(written % BATCH)
    return written


def _stored(column_type):
    """The type a column stores: a TypeDecorator's (the UTC timestamps) underlying type."""
    return column_type.impl_instance if isinstance(column_type, TypeDecorator) else column_type


def _encoder(column_type) -> Codec:
    """How one column's values go into JSON: moments in UTC ISO 8601, enums by stored value."""
    column_type = _stored(column_type)
    if isinstance(column_type, DateTime):
        return _moment_out
    if isinstance(column_type, Date):
        return _date_out
    if isinstance(column_type, Enum):
        return _enum_out
    return _same


def _decoder(column_type) -> Codec:
    """The reverse of `_encoder`, for the target database's column."""
    column_type = _stored(column_type)
    if isinstance(column_type, DateTime):
        return _moment_in_aware if column_type.timezone else _moment_in_naive
    if isinstance(column_type, Date):
        return _date_in
    return _same


def _same(value: Any) -> Any:
    return value


def _moment_out(value: datetime | None) -> str | None:
    """SQLite hands back naive UTC moments, PostgreSQL aware ones: both become UTC with offset."""
    if value is None:
        return None
    return (value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)).isoformat()


def _moment_in_aware(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value).astimezone(UTC)


def _moment_in_naive(value: str | None) -> datetime | None:
    moment = _moment_in_aware(value)
    return None if moment is None else moment.replace(tzinfo=None)


def _date_out(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _date_in(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value)


def _enum_out(value: Any) -> Any:
    return value.value if isinstance(value, enum.Enum) else value


def _read_manifest(archive: zipfile.ZipFile) -> dict[str, Any]:
    """The manifest, checked for shape before anything relies on it."""
    try:
        with archive.open(MANIFEST) as source:
            raw = source.read(MAX_MANIFEST_BYTES + 1)
    except KeyError as error:
        raise BackupError("Dit is geen Naoberkaart-backup (manifest.json ontbreekt).") from error
    except DAMAGED_ZIP as error:
        raise BackupError(f"Het zipbestand is beschadigd: {error}") from error
    if len(raw) > MAX_MANIFEST_BYTES:
        raise BackupError("manifest.json is te groot voor een Naoberkaart-backup.")
    try:
        manifest = json.loads(raw)
    except ValueError as error:  # JSONDecodeError and UnicodeDecodeError
        raise BackupError(f"manifest.json is geen geldige JSON: {error}") from error
    if not isinstance(manifest, dict):
        raise BackupError("manifest.json heeft niet de vorm van een Naoberkaart-backup.")
    if manifest.get("format") != FORMAT or manifest.get("version") != FORMAT_VERSION:
        raise BackupError("Dit backupformaat kennen we niet.")
    _check_manifest(manifest)
    return manifest


def _check_manifest(manifest: dict[str, Any]) -> None:
    revision, tables = manifest.get("revision"), manifest.get("tables")
    if not (revision is None or isinstance(revision, str)) or not isinstance(tables, list):
        raise BackupError("manifest.json heeft niet de vorm van een Naoberkaart-backup.")
    for entry in tables:
        if not _is_table_entry(entry):
            raise BackupError(f"manifest.json: deze tabel klopt niet: {str(entry)[:200]}")


def _is_table_entry(entry: object) -> bool:
    """{"name": text, "columns": [text, …], "rows": a count}."""
    return (
        isinstance(entry, dict)
        and isinstance(entry.get("name"), str)
        and isinstance(entry.get("columns"), list)
        and all(isinstance(column, str) for column in entry["columns"])
        and type(entry.get("rows")) is int
        and entry["rows"] >= 0
    )


def _check_target(
    connection: Connection, metadata: MetaData, manifest: dict, entries: dict[str, dict]
) -> None:
    """Restore only into an empty database whose schema matches the backup exactly."""
    revision = _revision(connection)
    if revision != manifest["revision"]:
        raise BackupError(
            f"De backup hoort bij schemaversie {manifest['revision']}, de database staat op "
            f"{revision}. Breng de lege database eerst op die versie: "
            f"flask --app wsgi db upgrade {manifest['revision']}"
        )
    unknown = sorted(set(entries) - set(metadata.tables))
    if unknown:
        raise BackupError(
            "Deze tabellen uit de backup kent de database niet: " + ", ".join(unknown)
        )
    for table in metadata.sorted_tables:
        _check_table(connection, table, entries.get(table.name))


def _check_table(connection: Connection, table: Table, entry: dict | None) -> None:
    if entry is None or entry["columns"] != [column.name for column in table.columns]:
        raise BackupError(f"Tabel {table.name} in de backup past niet op deze database.")
    if connection.execute(select(1).select_from(table).limit(1)).first() is not None:
        raise BackupError(
            f"De database is niet leeg (tabel {table.name} heeft al rijen). Zet een backup "
            "alleen terug in een lege database, na `flask --app wsgi db upgrade`."
        )


def _load_table(
    connection: Connection, table: Table, archive: zipfile.ZipFile, entry: dict, report: _Reporter
) -> int:
    """Insert a table's rows in batches, reading the file one bounded line at a time."""
    names = entry["columns"]
    decoders = [_decoder(table.c[name].type) for name in names]
    batch: list[dict[str, Any]] = []
    size = loaded = 0
    for number, line in _lines(archive, table.name):
        batch.append(_row(line, names, decoders, f"Tabel {table.name}, regel {number}"))
        size += len(line)
        if len(batch) == BATCH or size >= BATCH_BYTES:
            loaded += _insert(connection, table, batch, report)
            size = 0
    return loaded + _insert(connection, table, batch, report)


def _lines(archive: zipfile.ZipFile, table: str) -> Iterator[tuple[int, bytes]]:
    """The numbered lines of a table's file; never more than MAX_LINE_BYTES in memory."""
    try:
        source = archive.open(f"tables/{table}.jsonl")
    except KeyError as error:
        raise BackupError(f"Tabel {table} ontbreekt in de backup.") from error
    with source:
        number = 0
        while line := source.readline(MAX_LINE_BYTES + 1):
            number += 1
            if len(line) > MAX_LINE_BYTES:
                raise BackupError(
                    f"Tabel {table}, regel {number} is langer dan {MAX_LINE_BYTES // 2**20} MB: "
                    "dit is geen rij uit een Naoberkaart-backup."
                )
            yield number, line


def _row(line: bytes, names: list[str], decoders: list[Codec], where: str) -> dict[str, Any]:
    """One line as column values for the target database, or a BackupError that says where."""
    try:
        values = json.loads(line)
    except ValueError as error:  # JSONDecodeError and UnicodeDecodeError
        raise BackupError(f"{where} is geen geldige JSON: {error}") from error
    if not isinstance(values, list) or len(values) != len(names):
        raise BackupError(f"{where} heeft niet de {len(names)} kolommen van de tabel.")
    try:
        return {
            name: decode(value) for name, decode, value in zip(names, decoders, values, strict=True)
        }
    except (TypeError, ValueError) as error:
        raise BackupError(f"{where}: een waarde past niet in haar kolom ({error}).") from error


def _insert(connection: Connection, table: Table, batch: list[dict], report: _Reporter) -> int:
    count = len(batch)
    if count:
        try:
            connection.execute(insert(table), batch)
        except SQLAlchemyError as error:
            reason = str(getattr(error, "orig", None) or error).splitlines()[0][:300]
            raise BackupError(
                f"Tabel {table.name}: de database weigert deze rijen ({reason})."
            ) from error
        report.add(count)
    batch.clear()
    return count


def _after_restore(connection: Connection, metadata: MetaData) -> None:
    """PostgreSQL: move id sequences past the restored ids. SQLite: rebuild the search index."""
    if connection.dialect.name == "postgresql":
        for table in metadata.sorted_tables:
            _reset_sequence(connection, table)
    elif inspect(connection).has_table("listing_fts"):
        connection.execute(text("INSERT INTO listing_fts(listing_fts) VALUES ('rebuild')"))


def _reset_sequence(connection: Connection, table: Table) -> None:
    key = list(table.primary_key.columns)
    if len(key) != 1:
        return
    preparer = connection.dialect.identifier_preparer
    sequence = connection.scalar(
        text("SELECT pg_get_serial_sequence(:table, :column)"),
        {"table": preparer.format_table(table), "column": key[0].name},
    )
    if sequence is None:
        return
    highest = connection.scalar(select(func.max(key[0]))) or 0
    connection.execute(
        text("SELECT setval(:sequence, :value, false)"),
        {"sequence": sequence, "value": highest + 1},
    )
