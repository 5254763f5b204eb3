"""An index on every foreign key column that no other index starts with.

Why: without one, "my listings" (`listing.owner_id`) and "my conversations" read the whole
table on PostgreSQL (a parallel scan of 100,000 listings on every visit to /mijn), and deleting a
user or a theme scans every referring table to set NULL or cascade.
tests/unit/test_schema.py keeps it so for new foreign keys.

Revision ID: 0010
Revises: 0009
"""

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

FOREIGN_KEYS = [
    ("audit_entry", "actor_id"),
    ("consent", "recorded_by_id"),
    ("conversation", "initiator_id"),
    ("conversation", "listing_id"),
    ("conversation", "match_id"),
    ("conversation", "recipient_id"),
    ("digest_entry", "listing_id"),
    ("listing", "owner_id"),
    ("listing_revision", "author_id"),
    ("listing_revision", "decided_by_id"),
    ("listing_theme", "theme_id"),
    ("membership", "user_id"),
    ("message", "sender_id"),
    ("organisation", "verified_by_id"),
    ("organisation_theme", "theme_id"),
    ("report", "decided_by_id"),
    ("report", "reporter_id"),
    ("volunteer_profile_theme", "theme_id"),
    ("wish", "moderated_by_id"),
    ("wish_theme", "theme_id"),
]


def upgrade():
    for table, column in FOREIGN_KEYS:
        op.create_index(f"ix_{table}_{column}", table, [column])


def downgrade():
    for table, column in reversed(FOREIGN_KEYS):
        op.drop_index(f"ix_{table}_{column}", table_name=table)
