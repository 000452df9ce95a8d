from __future__ import annotations

from sqlmodel import Field, SQLModel

from services.common.resources import Stored, paging_indexes, trigram_indexes
from services.plans.db import SCHEMA


class StrategyBase(SQLModel):
    province_code: str = Field(max_length=2, index=True, description="DOPA province code, e.g. 93")
    title_th: str = Field(max_length=300, description="Title in Thai (ยุทธศาสตร์ภาคประชาชน)")
    vision: str = Field(default="", max_length=20_000, description="The shared vision, in the people's words")


class Strategy(StrategyBase, Stored, table=True):
    """A province's people's strategy (ยุทธศาสตร์ภาคประชาชน)."""

    __tablename__ = "strategies"
    __table_args__ = (
        *paging_indexes("strategies"),
        *trigram_indexes("strategies", "title_th", "vision"),
        {"schema": SCHEMA},
    )
