from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime
from sqlmodel import Field, SQLModel

from services.common.clock import utcnow
from services.common.geo import REGIONS

SCHEMA = "gateway"
_REGION_LIST = ", ".join(f"'{region}'" for region in REGIONS)


class ProvinceRegion(SQLModel, table=True):
    """The CODI region a province belongs to: seeded from codi-regions.csv, moved by national admins."""

    __tablename__ = "province_regions"
    __table_args__ = (
        CheckConstraint(f"codi_region IN ({_REGION_LIST})", name="ck_province_regions_codi_region"),
        {"schema": SCHEMA},
    )

    province_code: str = Field(primary_key=True, max_length=2)
    codi_region: str = Field(max_length=20)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=DateTime(timezone=True), nullable=False)
    # the subject of whoever last moved the province; None while it is as seeded from the CSV
    updated_by: str | None = Field(default=None, max_length=200)
