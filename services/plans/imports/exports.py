"""Exports of an indicator's data in the import's own columns (so an export re-imports unchanged): CSV
(UTF-8 with a BOM, which spreadsheet programs read as UTF-8) or XLSX (openpyxl, write-only)."""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.common.auth import Principal
from services.common.geo.queries import within_area
from services.common.resources import confined
from services.plans.imports.models import FileFormat, ImportKind
from services.plans.indicators.models import Target
from services.plans.indicators.repository import INDICATORS
from services.plans.reporting.models import Value

COLUMNS: dict[ImportKind, tuple[str, ...]] = {
    ImportKind.indicator_values: (
        "area_code",
        "period",
        "dimension",
        "value",
        "numerator",
        "denominator",
        "text",
    ),
    ImportKind.indicator_targets: (
        "area_code",
        "period",
        "dimension",
        "value",
        "numerator",
        "denominator",
        "text",
    ),
    ImportKind.tpmap_households: ("tambon_code", "dimension", "fiscal_year", "households"),
}
MEDIA = {
    FileFormat.csv: "text/csv; charset=utf-8",
    FileFormat.xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


async def export(
    session: AsyncSession,
    principal: Principal | None,
    indicator_id: uuid.UUID,
    *,
    kind: ImportKind,
    file_format: FileFormat,
    fiscal_year: int | None,
    area: str | None,
) -> tuple[bytes, str, str]:
    """The file's bytes, media type and name."""
    indicator = await INDICATORS.get(session, indicator_id)
    area = confined(principal, area)
    model: Any = Target if kind is ImportKind.indicator_targets else Value
    statement = select(model).where(model.indicator_id == indicator.id)
    if fiscal_year is not None:
        statement = statement.where(model.fiscal_year == fiscal_year)
    if area:
        statement = statement.where(within_area(col(model.area_code), area))
    statement = statement.order_by(col(model.area_code), col(model.period), col(model.dimension))
    rows = [_cells(kind, row) for row in (await session.exec(statement)).all()]
    content = _csv(COLUMNS[kind], rows) if file_format is FileFormat.csv else _xlsx(COLUMNS[kind], rows)
    return content, MEDIA[file_format], f"{kind.value}-{indicator.id}.{file_format.value}"


def _cells(kind: ImportKind, row: Any) -> list[Any]:
    if kind is ImportKind.tpmap_households:
        return [row.area_code, row.dimension or None, row.fiscal_year, _number(row.value)]
    return [
        row.area_code,
        row.period,
        row.dimension or None,
        _number(row.value),
        _number(row.numerator),
        _number(row.denominator),
        row.text,
    ]


def _number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _csv(header: Sequence[str], rows: list[list[Any]]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([["" if cell is None else cell for cell in row] for row in rows])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _xlsx(header: Sequence[str], rows: list[list[Any]]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("data")
    sheet.append(list(header))
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
