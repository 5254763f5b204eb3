"""An index that lets the map count listings per village without reading the table.

Revision ID: 0007
Revises: 0006
"""

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        "ix_listing_map", "listing", ["status", "hidden", "kind", "place_key", "public_lat"]
    )


def downgrade():
    op.drop_index("ix_listing_map", table_name="listing")
