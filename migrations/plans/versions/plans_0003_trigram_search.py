"""trigram search over the plans' texts (pg_trgm GIN indexes)

Revision ID: plans_0003
Revises: plans_0002
Create Date: 2026-12-02 23:00:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "plans_0003"
down_revision: str | None = "plans_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (table, column): every text `/v1/search` matches (services/plans/search/repository.py)
SEARCHED = [
    ("strategies", "title_th"),
    ("strategies", "vision"),
    ("projects", "title_th"),
    ("projects", "summary"),
    ("activities", "title_th"),
]


def upgrade() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for table, column in SEARCHED:
        op.execute(
            f"CREATE INDEX ix_{table}_{column}_trgm ON plans.{table} USING gin ({column} gin_trgm_ops)"
        )


def downgrade() -> None:
    for table, column in SEARCHED:
        op.execute(f"DROP INDEX plans.ix_{table}_{column}_trgm")
