"""An HSDS package's tables indexed by id and foreign key, noting which rows were used or skipped."""

from __future__ import annotations

from collections import defaultdict

from ..hsds.tables import TABLES
from .reading import Table


class Package:
    """An HSDS package's tables with look-ups by id and foreign key, and what was used."""

    def __init__(self, tables: dict[str, Table]) -> None:
        self.tables = tables
        self.used: set[tuple[str, int]] = set()
        self.skipped: dict[tuple[str, int], str] = {}
        self._by_id = {
            name: {row.get("id", ""): (n, row) for n, row in table.rows}
            for name, table in tables.items()
        }
        self._children: dict[tuple[str, str], dict[str, list]] = {}

    def rows(self, name: str) -> tuple[tuple[int, dict[str, str]], ...]:
        return self.tables[name].rows if name in self.tables else ()

    def file(self, name: str) -> str:
        return self.tables[name].file if name in self.tables else TABLES[name][0]

    def get(self, name: str, row_id: str) -> tuple[int, dict[str, str]] | None:
        return self._by_id.get(name, {}).get(row_id) if row_id else None

    def children(self, name: str, column: str, value: str) -> list[tuple[int, dict[str, str]]]:
        if (name, column) not in self._children:
            index = defaultdict(list)
            for n, row in self.rows(name):
                index[row.get(column, "")].append((n, row))
            self._children[(name, column)] = index
        return self._children[(name, column)].get(value, []) if value else []

    def first_child(self, name: str, column: str, value: str) -> tuple[int, dict[str, str]] | None:
        """The first row of ``name`` whose ``column`` is ``value``, if any."""
        rows = self.children(name, column, value)
        return rows[0] if rows else None

    def use(self, name: str, number: int) -> None:
        self.used.add((name, number))

    def skip(self, name: str, number: int, reason: str) -> None:
        self.skipped.setdefault((name, number), reason)
