"""Indexes for the public read paths: nearby public points and the newest published listings.

Both start with (status, hidden), the equality every public read has, so they work the same on
SQLite and PostgreSQL with bound parameters (a partial index `WHERE status = 'published'` is not
used by SQLite for `status = ?`, nor by PostgreSQL's generic plans for prepared statements).

- ix_listing_public_point: the `near` filter's bounding box on the *public* point, covering the
  columns the count, the map aggregate and the id-first list page read (an index-only scan).
- ix_listing_published_order: the list without a place, newest first (read backwards).

Revision ID: 0008
Revises: 0007
"""

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

POINT_COLUMNS = [
    "status", "hidden", "public_lat", "public_lon", "kind", "place_key", "published_at", "id",
]  # fmt: skip
ORDER_COLUMNS = ["status", "hidden", "published_at", "id"]


def upgrade():
    op.create_index("ix_listing_public_point", "listing", POINT_COLUMNS)
    op.create_index("ix_listing_published_order", "listing", ORDER_COLUMNS)


def downgrade():
    op.drop_index("ix_listing_published_order", table_name="listing")
    op.drop_index("ix_listing_public_point", table_name="listing")
