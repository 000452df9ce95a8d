"""Each row of an import checked by the rules a single entry obeys (the area inside the indicator, a period
of its kind, one of its dimensions, a figure that fits its measure, a period not locked) and told apart from
the rows before it by its natural key (area, period, dimension): the same key twice in one file is an error,
the same key as a stored figure replaces it. Errors name the row and the column, in English and Thai."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from pydantic import TypeAdapter, ValidationError

from services.common import errors
from services.common.geo import area_level, covers, is_known_area
from services.common.i18n import Text
from services.common.types import QUANTITY_MAX, QUANTITY_PLACES, Sentence
from services.common.validation_text import thai_validation_message
from services.plans.imports.files import Row
from services.plans.imports.models import ImportKind
from services.plans.indicators import figures, periods
from services.plans.indicators.models import Indicator, Measure, PeriodKind
from services.plans.indicators.schemas import PERIOD_PATTERN
from services.plans.indicators.service import check_dimension

MAX_ERRORS = 1_000
PERIOD = re.compile(PERIOD_PATTERN)
FIGURE_COLUMNS = ("value", "numerator", "denominator", "text")
COLUMNS: dict[ImportKind, tuple[tuple[str, ...], tuple[str, ...]]] = {  # required, optional
    ImportKind.indicator_values: (("area_code", "period"), ("dimension", *FIGURE_COLUMNS)),
    ImportKind.indicator_targets: (("area_code", "period"), ("dimension", *FIGURE_COLUMNS)),
    ImportKind.tpmap_households: (("tambon_code", "dimension", "fiscal_year", "households"), ()),
}


@dataclass
class Checked:
    """What the file holds once every row passed: one record per natural key, in file order."""

    records: list[dict[str, Any]] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)
    error_count: int = 0

    def refuse(self, row: int, column: str | None, detail: Text) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(
                {"row": row, "column": column, "message_en": detail.en, "message_th": detail.th}
            )


class Checker:
    def __init__(
        self,
        indicator: Indicator,
        kind: ImportKind,
    ) -> None:
        self.indicator, self.kind = indicator, kind
        self.seen: dict[tuple[str, str, str], int] = {}
        # what a file repeats row after row is checked once per file: its areas, periods, dimensions, and
        # which of a figure's parts its rows fill in
        self.areas_seen: set[str] = set()
        self.periods_seen: dict[str, periods.PeriodOf] = {}
        self.dimensions_seen: dict[str | None, str] = {}
        self.figure_shapes_seen: set[tuple[bool, ...]] = set()
        self.checked = Checked()

    def header(self, names: Iterable[str]) -> bool:
        """Whether the header names the kind's columns (and only known ones); errors on row 1 otherwise."""
        required, optional = COLUMNS[self.kind]
        names = [name for name in names if name]
        for name in required:
            if name not in names:
                self.checked.refuse(
                    1, name, Text(f"The header has no column {name}.", f"หัวตารางไม่มีคอลัมน์ {name}")
                )
        for name in names:
            if name not in required and name not in optional:
                self.checked.refuse(
                    1,
                    name,
                    Text(
                        f"Unknown column {name}: the columns are {', '.join(required + optional)}.",
                        f"ไม่รู้จักคอลัมน์ {name} คอลัมน์ที่ใช้ได้คือ {', '.join(required + optional)}",
                    ),
                )
        if self.kind is ImportKind.tpmap_households and (
            self.indicator.measure is not Measure.unit
            or self.indicator.period_kind is not PeriodKind.fiscal_year
            or not self.indicator.dimensions
        ):
            self.checked.refuse(
                1,
                None,
                Text(
                    "TPMAP household counts go to a yearly `unit` indicator with dimensions.",
                    "ข้อมูลครัวเรือนเป้าหมาย TPMAP ใช้กับตัวชี้วัดแบบจำนวน รายปี ที่มีมิติ",
                ),
            )
        return not self.checked.errors

    def row(self, number: int, row: Row) -> None:
        if self.kind is ImportKind.tpmap_households:
            row = {
                "area_code": row.get("tambon_code"),
                "period": row.get("fiscal_year"),
                "dimension": row.get("dimension"),
                "value": row.get("households"),
            }
        column_of = _COLUMN_OF[self.kind]
        try:
            record = self._record(row)
        except errors.Problem as problem:
            pointer = _pointer(problem)
            self.checked.refuse(number, column_of.get(pointer, pointer), problem.detail or problem.title)
            return
        key = (record["area_code"], record["period"], record["dimension"])
        if (first := self.seen.get(key)) is not None:
            self.checked.refuse(
                number,
                column_of["area_code"],
                Text(
                    f"Row {first} has the same area, period and dimension: each appears once in a file.",
                    f"แถว {first} มีพื้นที่ ช่วงเวลา และมิติเดียวกันแล้ว แต่ละชุดมีได้แถวเดียวในไฟล์",
                ),
            )
            return
        self.seen[key] = number
        self.checked.records.append(record)

    def refuse_locked(self, verified: set[tuple[str, str]], certified: set[tuple[str, str]]) -> None:
        """Refuse the checked rows whose period is locked: a certified province's period keeps figures and
        targets, a verified tambon's keeps its figures."""
        for record in self.checked.records:
            area, period = record["area_code"], record["period"]
            locked = "certification" if (area[:2], period) in certified else None
            if self.kind is not ImportKind.indicator_targets:
                locked = locked or ("verification" if (area, period) in verified else None)
            if locked:
                self.checked.refuse(
                    self.seen[(area, period, record["dimension"])],
                    _COLUMN_OF[self.kind]["period"],
                    Text(
                        f"{area}'s figures for {period} are locked by {locked}.",
                        f"ข้อมูลของ {area} ช่วง {period} ถูกล็อกแล้ว",
                    ),
                )

    def _record(self, row: Row) -> dict[str, Any]:
        indicator = self.indicator
        area = row.get("area_code") or ""
        if area not in self.areas_seen:
            self._check_area(area)
            self.areas_seen.add(area)
        period_name = row.get("period") or ""
        if (period := self.periods_seen.get(period_name)) is None:
            period = self.periods_seen[period_name] = self._period(period_name)
        given_dimension = row.get("dimension")
        if (dimension := self.dimensions_seen.get(given_dimension)) is None:
            dimension = self.dimensions_seen[given_dimension] = check_dimension(indicator, given_dimension)
        figure = {name: _number(row.get(name), name) for name in ("value", "numerator", "denominator")}
        text = _sentence(row.get("text"))
        shape = (*(number is None for number in figure.values()), text is None)
        if shape not in self.figure_shapes_seen:
            figures.check(indicator.measure, figures.Plain(**figure, text=text))
            self.figure_shapes_seen.add(shape)
        figures.check_share(figures.Plain(**figure, text=text))
        return {
            "area_code": area,
            "period": period.name,
            "fiscal_year": period.fiscal_year,
            "quarter": period.quarter,
            "dimension": dimension,
            **figure,
            "text": text,
        }

    def _period(self, name: str) -> periods.PeriodOf:
        """The period a cell names, of the indicator's kind; parsed once per file."""
        if not PERIOD.fullmatch(name):
            raise _at(
                "/period",
                Text(
                    f"{name or 'An empty cell'} is not a period: write a Buddhist-era fiscal year "
                    "(2569) or one of its quarters (2569-Q1).",
                    f"{name or 'ช่องว่าง'} ไม่ใช่ช่วงเวลา กรุณาระบุปีงบประมาณ (2569) หรือไตรมาส (2569-Q1)",
                ),
            )
        return periods.parse(name, self.indicator.period_kind)

    def _check_area(self, area: str) -> None:
        """The area is a known one inside the indicator's (a tambon, for values); checked once per file."""
        indicator = self.indicator
        if not area or not is_known_area(area) or not covers(indicator.area_code, area):
            raise _at(
                "/area_code",
                Text(
                    f"{area or 'An empty cell'} is not an area inside {indicator.area_code}.",
                    f"{area or 'ช่องว่าง'} ไม่ใช่พื้นที่ใน {indicator.area_code}",
                ),
            )
        if self.kind is not ImportKind.indicator_targets and area_level(area) != "tambon":
            raise _at(
                "/area_code",
                Text(
                    "Values are a tambon's (6 digits); districts and provinces roll up from them.",
                    "ข้อมูลเป็นรายตำบล (รหัส 6 หลัก) อำเภอและจังหวัดคำนวณรวมจากตำบล",
                ),
            )


_SAME = {name: name for name in ("area_code", "period", "dimension", *FIGURE_COLUMNS)}
_COLUMN_OF: dict[ImportKind, dict[str, str]] = {
    ImportKind.indicator_values: _SAME,
    ImportKind.indicator_targets: _SAME,
    ImportKind.tpmap_households: {
        "area_code": "tambon_code",
        "period": "fiscal_year",
        "dimension": "dimension",
        "value": "households",
    },
}


def _pointer(problem: errors.Problem) -> str:
    found = (problem.extensions or {}).get("errors") or [{}]
    return str(found[0].get("pointer", "")).rsplit("/", 1)[-1] or "row"


def _at(pointer: str, detail: Text) -> errors.ValidationFailed:
    return errors.at_field(errors.ValidationFailed, pointer, detail)


_SENTENCE: TypeAdapter[str] = TypeAdapter(Sentence)


def _sentence(text: str | None) -> str | None:
    """A qualitative figure's words, by the rules the API's `text` obeys (folded, visible, not too long)."""
    if text is None:
        return None
    try:
        return _SENTENCE.validate_python(text)
    except ValidationError as invalid:
        error = invalid.errors()[0]
        thai = thai_validation_message(error["type"], error.get("ctx") or {}, error["msg"])
        raise _at("/text", Text(f"{error['msg']}.", thai)) from None


def _number(text: str | None, column: str) -> Decimal | None:
    if text is None:
        return None
    try:
        number = Decimal(text.replace(",", "") if "," in text else text)
    except InvalidOperation:
        raise _at(f"/{column}", Text(f"{text} is not a number.", f"{text} ไม่ใช่ตัวเลข")) from None
    if (
        not number.is_finite()
        or number < 0
        or number > QUANTITY_MAX  # before rounding: no number above it rounds down to it
    ):
        raise _at(
            f"/{column}",
            Text(
                f"{text}: a figure is a number from 0 to {QUANTITY_MAX:,}.",
                f"{text}: ตัวเลขต้องอยู่ระหว่าง 0 ถึง {QUANTITY_MAX:,}",
            ),
        )
    return number.quantize(QUANTITY_PLACES)
