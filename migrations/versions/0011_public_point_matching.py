"""Matching reads public points: the spatial indexes move to them; point moves are counted.

Why: matching used residents' exact points for reach and distances, so a stranger who moved
their own listing and watched who appeared recovered a home to the metre. Everything observable
is now computed from public points (village or district centres for residents), which the
indexes must serve; the exact-point indexes had no other reader. `location_move` records each
change of an exact point so an account can move its points only a few times an hour.

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

LOCATED = ("listing", "volunteer_profile", "organisation")


def upgrade() -> None:
    for table in LOCATED:
        op.drop_index(f"ix_{table}_lat_lon", table_name=table)
        op.create_index(f"ix_{table}_public_lat_lon", table, ["public_lat", "public_lon"])
    op.create_table(
        "location_move",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name="fk_location_move_user_id_user", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_location_move"),
    )
    op.create_index(
        "ix_location_move_user_id_created_at", "location_move", ["user_id", "created_at"]
    )


def downgrade() -> None:
    op.drop_index("ix_location_move_user_id_created_at", table_name="location_move")
    op.drop_table("location_move")
    for table in LOCATED:
        op.drop_index(f"ix_{table}_public_lat_lon", table_name=table)
        op.create_index(f"ix_{table}_lat_lon", table, ["lat", "lon"])
