"""A figure fits its indicator's measure: a unit's `value`; a percent's `numerator` and `denominator`; a
qualitative indicator's `text`. Targets, updates and baselines are all checked here."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol

from services.common import errors
from services.common.i18n import Text
from services.plans.indicators.models import Measure

FIELDS: dict[Measure, tuple[str, ...]] = {
    Measure.unit: ("value",),
    Measure.percent: ("numerator", "denominator"),
    Measure.qualitative: ("text",),
}
ALL_FIELDS = ("value", "numerator", "denominator", "text")


class HasFigure(Protocol):
    @property
    def value(self) -> Decimal | None: ...
    @property
    def numerator(self) -> Decimal | None: ...
    @property
    def denominator(self) -> Decimal | None: ...
    @property
    def text(self) -> str | None: ...


@dataclass(frozen=True)
class Plain:
    """A figure held apart from any row (a merged PATCH, a baseline)."""

    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    text: str | None = None


def baseline(source: Any, changes: Mapping[str, Any] | None = None) -> Plain:
    """An indicator's (or a body's) baseline figure, with a PATCH's `changes` applied."""
    changes = changes or {}
    return Plain(
        **{
            name: changes.get(f"baseline_{name}", getattr(source, f"baseline_{name}"))
            for name in ("value", "numerator", "denominator")
        }
    )


def check(measure: Measure, figure: HasFigure, *, at: str = "", required: bool = True) -> None:
    """422 at the field that does not fit `measure` (`at` prefixes the pointers, e.g. `/targets/3`);
    with `required=False` a figure may be left out altogether (a baseline)."""
    wanted = FIELDS[measure]
    given = [name for name in ALL_FIELDS if getattr(figure, name) is not None]
    for name in given:
        if name not in wanted:
            raise _misfit(f"{at}/{name}", measure, wanted)
    if not given and not required:
        return
    for name in wanted:
        if getattr(figure, name) is None:
            raise _misfit(f"{at}/{name}", measure, wanted)
    if measure is Measure.percent:
        numerator, denominator = figure.numerator or Decimal(0), figure.denominator or Decimal(0)
        if denominator <= 0 or numerator > denominator:
            raise errors.at_field(
                errors.ValidationFailed,
                f"{at}/denominator" if denominator <= 0 else f"{at}/numerator",
                Text(
                    "A percent is a share: the denominator is more than 0 and the numerator no more than it.",
                    "ค่าร้อยละคือสัดส่วน: ตัวหารต้องมากกว่า 0 และตัวตั้งต้องไม่เกินตัวหาร",
                ),
            )


def _misfit(pointer: str, measure: Measure, wanted: tuple[str, ...]) -> errors.ValidationFailed:
    names = " and ".join(f"`{name}`" for name in wanted)
    return errors.at_field(
        errors.ValidationFailed,
        pointer,
        Text(
            f"A {measure.value} indicator's figure is {names}, and nothing else.",
            f"ตัวเลขของตัวชี้วัดแบบ {measure.value} ระบุด้วย {names} เท่านั้น",
        ),
    )
