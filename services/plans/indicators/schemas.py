from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, computed_field
from sqlmodel import SQLModel

from services.common.resources import Shown
from services.common.types import (
    AreaCode,
    FiscalYear,
    Label,
    LongText,
    Name,
    PatchModel,
    PositiveQuantity,
    Quantity,
    RequestBody,
    Sentence,
    WideAreaCode,
)
from services.plans.indicators.models import (
    AreaRule,
    AttachedKind,
    Direction,
    IndicatorBase,
    Measure,
    PeriodKind,
    PeriodRule,
)

PERIOD_PATTERN = r"^2[5-6]\d\d(-Q[1-4])?$"
Period = Annotated[
    str,
    Field(
        pattern=PERIOD_PATTERN,
        description='A Buddhist-era fiscal year ("2569") or one of its quarters ("2569-Q1" is Oct–Dec 2568)',
        examples=["2569", "2569-Q1"],
    ),
]
DIMENSION_PATTERN = r"^[a-z][a-z0-9_]{0,31}$"
Dimension = Annotated[
    str,
    Field(
        pattern=DIMENSION_PATTERN,
        description="A dimension's code, e.g. TPMAP's `health`",
        examples=["income"],
    ),
]
MAX_DIMENSIONS = 20

RULES_FIT_THE_MEASURE: dict[str, Any] = {
    "allOf": [
        {
            "if": {"properties": {"measure": {"const": "percent"}}, "required": ["measure"]},
            "then": {
                "properties": {
                    "area_rule": {"enum": ["ratio", None]},
                    "period_rule": {"enum": ["sum", "latest"]},
                    "baseline_value": {"type": "null"},
                }
            },
            "else": {
                "properties": {
                    "area_rule": {"enum": ["sum", "average", "min", "max", None]},
                    "baseline_numerator": {"type": "null"},
                    "baseline_denominator": {"type": "null"},
                }
            },
        },
        {
            "if": {"properties": {"measure": {"const": "qualitative"}}, "required": ["measure"]},
            "then": {"properties": {"baseline_value": {"type": "null"}}},
        },
    ],
}
# an attachment names its kind and its id; a percent's baseline both its parts (null is leaving one out)
for one, other, kind in (
    ("attached_kind", "attached_id", "string"),
    ("attached_id", "attached_kind", "string"),
    ("baseline_numerator", "baseline_denominator", "number"),
    ("baseline_denominator", "baseline_numerator", "number"),
):
    RULES_FIT_THE_MEASURE["allOf"].append(
        {
            "if": {"properties": {one: {"type": kind}}, "required": [one]},
            "then": {"properties": {other: {"type": kind}}, "required": [other]},
        }
    )


class FigureIn(RequestBody):
    """A figure as the indicator's measure has it: `value` (unit), `numerator` and `denominator` (percent,
    numerator ≤ denominator, denominator > 0), or `text` (qualitative); the others left out."""

    value: Quantity | None = None
    numerator: Quantity | None = None
    denominator: PositiveQuantity | None = None
    text: Sentence | None = None


class FigureOut(SQLModel):
    value: Quantity | None = None
    numerator: Quantity | None = None
    denominator: Quantity | None = None
    text: str | None = None

    @computed_field(description="100 × numerator ÷ denominator, to two decimals (a percent's figure)")
    def percent(self) -> float | None:
        if self.numerator is None or not self.denominator:
            return None
        return round(float(100 * self.numerator / self.denominator), 2)


class IndicatorCreate(RequestBody):
    """An indicator of an area (TH, a region or a province), measured per tambon, optionally attached to a
    plan, a project or an activity (both `attached_kind` and `attached_id`). Its rules say how tambons'
    figures roll up: `area_rule` over areas (a percent always by `ratio`, Σ numerator ÷ Σ denominator) and
    `period_rule` over a fiscal year's quarters."""

    model_config = {"json_schema_extra": RULES_FIT_THE_MEASURE}

    area_code: WideAreaCode
    title_th: Name
    title_en: Name | None = None
    description: LongText = ""
    unit_th: Label | None = None
    measure: Measure
    direction: Direction = Direction.ascending
    period_kind: PeriodKind = PeriodKind.fiscal_year
    area_rule: AreaRule | None = Field(default=None, description="Default: `ratio` for a percent, else `sum`")
    period_rule: PeriodRule = Field(default=PeriodRule.latest, description="Default `latest` (a stock)")
    dimensions: list[Dimension] = Field(
        default_factory=list, max_length=MAX_DIMENSIONS, json_schema_extra={"uniqueItems": True}
    )
    baseline_year: FiscalYear | None = None
    baseline_value: Quantity | None = None
    baseline_numerator: Quantity | None = None
    baseline_denominator: PositiveQuantity | None = None
    attached_kind: AttachedKind | None = None
    attached_id: uuid.UUID | None = None


class IndicatorUpdate(PatchModel):
    """Its words and baseline may change; its measure, rules, periods and dimensions stay (values were
    counted by them)."""

    title_th: Name | None = None
    title_en: Name | None = None
    description: LongText | None = None
    unit_th: Label | None = None
    direction: Direction | None = None
    baseline_year: FiscalYear | None = None
    baseline_value: Quantity | None = None
    baseline_numerator: Quantity | None = None
    baseline_denominator: PositiveQuantity | None = None


class IndicatorPublic(Shown, IndicatorBase):
    baseline_value: Quantity | None
    baseline_numerator: Quantity | None
    baseline_denominator: Quantity | None


class TargetIn(FigureIn):
    area_code: AreaCode
    period: Period
    dimension: Dimension | None = None


class TargetsSet(RequestBody):
    """Targets to set, each by area, period and dimension: setting one again replaces it."""

    targets: list[TargetIn] = Field(min_length=1, max_length=1_000)


ShownDimension = Annotated[str | None, BeforeValidator(lambda code: code or None)]  # stored '' is none


class TargetPublic(FigureOut):
    area_code: str
    period: str
    dimension: ShownDimension
    updated_at: datetime
