"""A figure fits its indicator's measure: a unit's `value`; a percent's `numerator` and `denominator`; a
qualitative indicator's `text`. Targets, updates and baselines are all checked here."""

from __future__ import annotations

from collections.abc import Collection, Mapping
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


def check(
    measure: Measure,
    figure: HasFigure,
    *,
    at: str = "/",
    required: bool = True,
    stored: bool = True,
    sent: Collection[str] | None = None,
) -> None:
    """A problem at the field that does not fit `measure` (`at` begins each field's pointer: `/targets/3/`
    for `/targets/3/value`, `/baseline_` for `/baseline_value`):
    409 when the measure is the stored indicator's, 422 when it came in the same body (`stored=False`).
    With `required=False` a figure may be left out altogether (a baseline). `sent` names the parts a PATCH
    brought (the rest are stored): a share that no longer holds with a stored part is 409, not 422."""
    kind: type[errors.Problem] = errors.Conflict if stored else errors.ValidationFailed
    wanted = FIELDS[measure]
    given = [name for name in ALL_FIELDS if getattr(figure, name) is not None]
    for name in given:
        if name not in wanted:
            raise _misfit(kind, at, name, measure, wanted)
    if not given and not required:
        return
    for name in wanted:
        if getattr(figure, name) is None:
            raise _misfit(kind, at, name, measure, wanted)
    both_sent = sent is None or {f"{at.rsplit('/', 1)[-1]}{part}" for part in SHARE} <= set(sent)
    check_share(figure, at=at, kind=errors.ValidationFailed if both_sent else errors.Conflict)


SHARE = ("numerator", "denominator")


def check_share(
    figure: HasFigure, *, at: str = "/", kind: type[errors.Problem] = errors.ValidationFailed
) -> None:
    """422 (or `kind`) when a percent's parts make no share: a denominator of 0, or a numerator above its
    denominator."""
    numerator, denominator = figure.numerator, figure.denominator
    if denominator is not None and denominator <= 0:
        raise errors.at_field(
            kind,
            f"{at}denominator",
            Text("A denominator is more than 0.", "ตัวหารต้องมากกว่า 0"),
        )
    if numerator is not None and denominator is not None and numerator > denominator:
        raise errors.at_field(
            kind,
            f"{at}numerator",
            Text(
                f"The numerator ({numerator:f}) is a part of the denominator ({denominator:f}), no larger.",
                f"ตัวตั้ง ({numerator:f}) เป็นส่วนหนึ่งของตัวหาร ({denominator:f}) จึงต้องไม่มากกว่าตัวหาร",
            ),
        )


def _misfit(
    kind: type[errors.Problem], at: str, name: str, measure: Measure, wanted: tuple[str, ...]
) -> errors.Problem:
    field = at.rsplit("/", 1)[-1]  # what the body calls a figure's parts: `value`, `baseline_value`
    names = [f"`{field}{wanted_name}`" for wanted_name in wanted]
    return errors.at_field(
        kind,
        f"{at}{name}",
        Text(
            f"A {measure.value} indicator's figure is {' and '.join(names)}, and nothing else.",
            f"ตัวเลขของตัวชี้วัดแบบ {measure.value} ระบุด้วย {' และ '.join(names)} เท่านั้น",
        ),
    )
