"""Full-text index over listings' stemmed text: FTS5 on SQLite, GIN on PostgreSQL.

Revision ID: 0002
Revises: 0001
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

SQLITE_UP = [
    "CREATE VIRTUAL TABLE listing_fts USING fts5(search_text, content='listing', content_rowid='id')",
    """CREATE TRIGGER listing_fts_insert AFTER INSERT ON listing BEGIN
        INSERT INTO listing_fts(rowid, search_text) VALUES (new.id, new.search_text);
    END""",
    """CREATE TRIGGER listing_fts_delete AFTER DELETE ON listing BEGIN
        INSERT INTO listing_fts(listing_fts, rowid, search_text)
        VALUES ('delete', old.id, old.search_text);
    END""",
    """CREATE TRIGGER listing_fts_update AFTER UPDATE OF search_text ON listing BEGIN
        INSERT INTO listing_fts(listing_fts, rowid, search_text)
        VALUES ('delete', old.id, old.search_text);
        INSERT INTO listing_fts(rowid, search_text) VALUES (new.id, new.search_text);
    END""",
    "INSERT INTO listing_fts(listing_fts) VALUES ('rebuild')",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS listing_fts_update",
    "DROP TRIGGER IF EXISTS listing_fts_delete",
    "DROP TRIGGER IF EXISTS listing_fts_insert",
    "DROP TABLE IF EXISTS listing_fts",
]
POSTGRES_UP = [
    "CREATE INDEX ix_listing_search ON listing USING gin (to_tsvector('simple', search_text))",
]
POSTGRES_DOWN = ["DROP INDEX IF EXISTS ix_listing_search"]


def _run(statements):
    for statement in statements:
        op.execute(statement)


def upgrade():
    dialect = op.get_bind().dialect.name
    _run(SQLITE_UP if dialect == "sqlite" else POSTGRES_UP)


def downgrade():
    dialect = op.get_bind().dialect.name
    _run(SQLITE_DOWN if dialect == "sqlite" else POSTGRES_DOWN)
