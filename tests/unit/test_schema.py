"""Rules the schema keeps as it grows."""

from __future__ import annotations

from sqlalchemy import Table, UniqueConstraint

from portal import models  # noqa: F401  (registers every table on the metadata)
from portal.extensions import db


def leading_columns(table: Table) -> set[str]:
    """The columns an index can be searched by: the first of each index, key or unique rule."""
    firsts = {next(iter(index.columns)).name for index in table.indexes}
    firsts |= {
        next(iter(constraint.columns)).name
        for constraint in table.constraints
        if isinstance(constraint, UniqueConstraint) and constraint.columns
    }
    if table.primary_key.columns:
        firsts.add(next(iter(table.primary_key.columns)).name)
    return firsts


def test_every_foreign_key_is_indexed():
    """Reads by owner ("mijn …") and deletes that cascade must not scan the whole table."""
    missing = sorted(
        f"{table.name}.{key.parent.name}"
        for table in db.metadata.sorted_tables
        for key in table.foreign_keys
        if key.parent.name not in leading_columns(table)
    )
    assert missing == []
