"""The CSV formula guard in one place: the export defuses spreadsheet formulas, the import undoes it."""

from __future__ import annotations

#: a cell starting with one of these runs as a formula in a spreadsheet; Excel and LibreOffice
#: also read the full-width forms (U+FF1D, U+FF0B, U+FF0D, U+FF20) as formulas
_FORMULA_START = ("=", "+", "-", "@", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def neutralise(value: str) -> str:
    """Defuse a spreadsheet formula with a leading apostrophe (and escape a real one)."""
    if value.lstrip("'").startswith(_FORMULA_START) and value.startswith((*_FORMULA_START, "'")):
        return "'" + value
    return value


def restore(value: str) -> str:
    """Undo ``neutralise``: drop the one apostrophe it added, nothing else."""
    if value.startswith("'") and value[1:].lstrip("'").startswith(_FORMULA_START):
        return value[1:]
    return value
