"""The import report in Dutch: what was checked, what is wrong, what has no home, what was written."""

from __future__ import annotations

from dataclasses import dataclass, field

MAX_REPORT_LINES = 200


def rows_phrase(count: int) -> str:
    """``1 rij`` or ``3 rijen``, as the report counts rows."""
    return "1 rij" if count == 1 else f"{count} rijen"


def nl(message: str, /, **values: object) -> str:
    """A Dutch report line. Plain text, not gettext: the CLI runs without a request locale,
    and the report is the record of what happened to the file, shown in Dutch everywhere."""
    return message % values if values else message


@dataclass(frozen=True)
class RowError:
    """One wrong value: where it is (file, spreadsheet row, column) and why, in Dutch."""

    file: str
    row: int
    column: str
    reason: str

    def __str__(self) -> str:
        return nl("%(file)s, rij %(row)s, kolom ‘%(column)s’: %(reason)s", file=self.file,
                  row=self.row, column=self.column, reason=self.reason)  # fmt: skip


@dataclass
class ImportReport:
    """What was checked, what is wrong, what has no home, and what was imported."""

    kind: str
    label: str
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    not_imported: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    organisations: int = 0
    listings: int = 0
    themes: int = 0
    imported: bool = False

    @property
    def ok(self) -> bool:
        """No row is wrong: the import may (or did) go ahead."""
        return not self.errors

    def summary(self) -> str:
        """One Dutch sentence about the outcome."""
        if self.errors:
            return nl(
                "%(count)s fout(en) gevonden: er is niets geïmporteerd.", count=len(self.errors)
            )
        if not self.imported:
            return nl(
                "Alle %(rows)s rijen zijn in orde; er is nog niets geïmporteerd.", rows=self.rows
            )
        return nl(
            "Geïmporteerd: %(organisations)s organisatie(s), %(listings)s aanbod/vraag, "
            "%(themes)s nieuw(e) thema('s).", organisations=self.organisations,
            listings=self.listings, themes=self.themes,
        )  # fmt: skip

    def lines(self) -> list[str]:
        """The report as plain Dutch lines (the CLI prints these)."""
        out = [f"{self.label} ({self.kind}): {rows_phrase(self.rows)}", self.summary()]
        out += [nl("Fout: %(error)s", error=str(error)) for error in self.errors]
        out += [nl("Niet overgenomen: %(what)s", what=item) for item in self.not_imported]
        out += [nl("Let op: %(note)s", note=note) for note in self.notes]
        if len(out) > MAX_REPORT_LINES:
            hidden = len(out) - MAX_REPORT_LINES
            out = [*out[:MAX_REPORT_LINES], nl("… en nog %(count)s regels.", count=hidden)]
        return out
