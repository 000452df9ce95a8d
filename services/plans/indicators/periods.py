"""Periods of an indicator: a Buddhist-era fiscal year ("2569") or one of its quarters ("2569-Q1" is
October–December 2568, as the fiscal year starts on 1 October)."""

from __future__ import annotations

from dataclasses import dataclass

from services.common import errors
from services.common.i18n import Text
from services.plans.indicators.models import PeriodKind


@dataclass(frozen=True)
class PeriodOf:
    name: str
    fiscal_year: int
    quarter: int  # 0: the whole fiscal year


def parse(
    name: str, kind: PeriodKind, *, pointer: str = "/period", problem: type[errors.Problem] = errors.Conflict
) -> PeriodOf:
    """The period a name gives; unless it is of the indicator's kind, `problem` (409: it conflicts with the
    stored indicator; 404 for a path) at `pointer`."""
    year, _, quarter = name.partition("-Q")
    period = PeriodOf(name=name, fiscal_year=int(year), quarter=int(quarter or 0))
    if (period.quarter == 0) != (kind is PeriodKind.fiscal_year):
        example = f"{year}-Q1" if kind is PeriodKind.quarter else year
        raise errors.at_field(
            problem,
            pointer,
            Text(
                f"This indicator is reported by {kind.value.replace('_', ' ')}: "
                f"write the period as {example}.",
                f"ตัวชี้วัดนี้รายงาน{'รายไตรมาส' if kind is PeriodKind.quarter else 'รายปีงบประมาณ'} "
                f"กรุณาระบุช่วงเวลาเป็น {example}",
            ),
        )
    return period
