from __future__ import annotations

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from services.common.models import Identified, Timestamped, Versioned

SCHEMA = "plans"


class StrategyBase(SQLModel):
    province_code: str = Field(max_length=2, index=True, description="DOPA province code, e.g. 93")
    title_th: str = Field(max_length=300, description="Title in Thai (ยุทธศาสตร์ภาคประชาชน)")
    vision: str = Field(default="", max_length=20_000, description="The shared vision, in the people's words")


class Strategy(StrategyBase, Identified, Timestamped, Versioned, table=True):
    """A province's people's strategy (ยุทธศาสตร์ภาคประชาชน)."""

    __tablename__ = "strategies"
    __table_args__ = (
        Index("ix_strategies_page_order", "created_at", "id"),
        Index("ix_strategies_sync_order", "updated_at", "id"),
        {"schema": SCHEMA},
    )

    created_by: str = Field(max_length=64)
