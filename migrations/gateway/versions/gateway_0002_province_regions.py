"""province regions: the CODI region of each province, seeded from codi-regions.csv

Revision ID: gateway_0002
Revises: gateway_0001
Create Date: 2026-11-26 07:00:00.000000
"""

import csv
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "gateway_0002"
down_revision: str | None = "gateway_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# read when the migration runs: the table as it was shipped, which national admins then maintain
REGIONS_CSV = Path(__file__).resolve().parents[3] / "services" / "common" / "geo" / "codi-regions.csv"
REGIONS = ("south", "north", "central-west", "northeast", "bangkok-east")


def upgrade() -> None:
    table = op.create_table(
        "province_regions",
        sa.Column("province_code", sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False),
        sa.Column("codi_region", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.CheckConstraint(
            "codi_region IN ({})".format(", ".join(f"'{region}'" for region in REGIONS)),
            name="ck_province_regions_codi_region",
        ),
        sa.PrimaryKeyConstraint("province_code"),
        schema="gateway",
    )
    now = datetime.now(UTC)
    with REGIONS_CSV.open(encoding="utf-8", newline="") as handle:
        rows = [
            {"province_code": row["province_code"], "codi_region": row["codi_region"], "updated_at": now}
            for row in csv.DictReader(handle)
        ]
    if len(rows) != 77:
        raise RuntimeError(f"{REGIONS_CSV} lists {len(rows)} provinces, expected 77")
    op.bulk_insert(table, rows)


def downgrade() -> None:
    op.drop_table("province_regions", schema="gateway")
