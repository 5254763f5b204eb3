"""Rules the schema keeps as it grows."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
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


def test_migrations_match_the_models(app):
    """`flask db migrate` after `db upgrade` would find nothing: the 0009 migration is complete."""
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"include_object": _not_full_text_index, "compare_type": True}
        )
        assert compare_metadata(context, db.metadata) == []


def _not_full_text_index(obj, name, type_, reflected, compare_to) -> bool:
    """The full-text index is managed by hand (migration 0002): FTS5 tables or a GIN index."""
    if type_ == "table":
        return not name.startswith("listing_fts")
    return not (type_ == "index" and name == "ix_listing_search")
