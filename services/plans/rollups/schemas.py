from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import Field
from sqlmodel import SQLModel

from services.common.types import Quantity
from services.plans.indicators.models import AreaRule, Measure, PeriodRule

Level = Literal["tambon", "district", "province", "region", "nation"]


@dataclass(slots=True)
class RollupItem:
    """One area's figure (a plain dataclass: a national rollup has thousands, built without validation)."""

    area_code: Annotated[str, Field(description="The area (a DOPA code, a CODI region, or TH)")]
    dimension: Annotated[str | None, Field(description="The dimension, or null for an indicator without")]
    actual: Annotated[
        Quantity | None,
        Field(
            description="The rule applied to the approved values of its tambons (a percent: "
            "100 × Σ numerator ÷ Σ denominator); null when no tambon reported — a reported zero is 0"
        ),
    ]
    numerator: Annotated[Quantity | None, Field(description="Σ numerator (a percent)")]
    denominator: Annotated[Quantity | None, Field(description="Σ denominator (a percent)")]
    target: Annotated[
        Quantity | None,
        Field(description="The area's own target for the year, else its tambons' targets by the same rules"),
    ]
    tambons_reporting: Annotated[int, Field(description="Tambons with an approved value counted here")]
    tambons_expected: Annotated[int, Field(description="Tambons of the area inside the indicator's area")]
    coverage: Annotated[float, Field(description="tambons_reporting ÷ tambons_expected, to four decimals")]


class RollupPublic(SQLModel):
    indicator_id: uuid.UUID
    level: Level
    fiscal_year: int
    certified_only: bool
    measure: Measure
    area_rule: AreaRule
    period_rule: PeriodRule
    formula: str = Field(description="How `actual` is computed, in words")
    items: list[RollupItem]
