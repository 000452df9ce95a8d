"""Rows out of an uploaded file, CSV (UTF-8, a BOM allowed) or XLSX (its first sheet, read by calamine):
a header row naming the columns, then one record per row; every cell as text (a number written as a whole
number, `930101` not `930101.0`), an empty cell as None. Row numbers are the spreadsheet's (header: 1)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

from python_calamine import CalamineWorkbook

from services.common.i18n import Text
from services.plans.imports.models import FileFormat

Row = dict[str, str | None]


class Unreadable(Exception):
    def __init__(self, detail: Text) -> None:
        super().__init__(detail.en)
        self.detail = detail


def rows(content: bytes, file_format: FileFormat) -> tuple[list[str], Iterator[tuple[int, Row]]]:
    """The header's column names (trimmed, lower case) and the data rows with their row numbers."""
    table = _csv(content) if file_format is FileFormat.csv else _xlsx(content)
    try:
        header = next(table)
    except StopIteration:
        raise Unreadable(Text("The file is empty: it needs a header row.", "ไฟล์ว่าง ต้องมีแถวหัวตาราง")) from None
    names = [(_text(cell) or "").strip().lower() for cell in header]

    columns = [(i, name) for i, name in enumerate(names) if name]

    def records() -> Iterator[tuple[int, Row]]:
        for number, cells in enumerate(table, start=2):
            values = [_text(cell) for cell in cells]
            if not any(values):
                continue  # a blank line ends nothing and counts for nothing
            width = len(values)
            yield number, {name: values[i] if i < width else None for i, name in columns}

    return names, records()


def _csv(content: bytes) -> Iterator[list[Any]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise Unreadable(Text("A CSV file must be UTF-8 text.", "ไฟล์ CSV ต้องเป็นข้อความ UTF-8")) from exc
    return iter(csv.reader(io.StringIO(text, newline="")))


def _xlsx(content: bytes) -> Iterator[list[Any]]:
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(content))
        sheet = workbook.get_sheet_by_index(0)
        return iter(sheet.to_python(skip_empty_area=False))
    except Exception as exc:  # calamine raises its own errors for anything that is not a workbook
        raise Unreadable(
            Text("The file is not an XLSX workbook that can be read.", "อ่านไฟล์ XLSX นี้ไม่ได้")
        ) from exc


def _text(cell: Any) -> str | None:
    if type(cell) is str:  # every CSV cell, most XLSX ones
        return cell.strip() or None
    if cell is None:
        return None
    if isinstance(cell, bool):
        return "true" if cell else "false"
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, datetime | date):
        return cell.isoformat()
    text = str(cell).strip()
    return text or None
