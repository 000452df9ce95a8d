"""An XLSX workbook written as a stream: bytes leave as rows are added, in constant memory, with no row cap.

Spreadsheet libraries assemble the zip at the end (XlsxWriter's constant_memory mode included), so the first
byte would wait for the last row — longer than a proxy's read timeout for a big ledger. Here the zip is
written with data descriptors (Python's zipfile does so on an unseekable stream): each worksheet is
deflated as it is written and the workbook parts that list the sheets come last, which the format allows
(readers go by the zip's central directory). Cells are inline strings and numbers, so there is no shared
string table to hold in memory. A sheet holds at most 1,048,575 rows under its header; more rows go on to
the next sheet.
"""

from __future__ import annotations

import io
import re
import time
import zipfile
from collections.abc import Sequence
from decimal import Decimal
from typing import IO
from xml.sax.saxutils import escape, quoteattr

MAX_DATA_ROWS = 1_048_575  # Excel's 1,048,576 rows less the header
NUMBER_STYLE, HEADER_STYLE = 1, 2
Cell = str | int | Decimal | None  # a Decimal is shown with two decimals and thousands separators
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_SHEET_START = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{_MAIN}"><sheetData>'
)
_SHEET_END = "</sheetData></worksheet>"
_STYLES = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet xmlns="{_MAIN}">'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="4" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
)


class _Chunks(io.RawIOBase):
    """An unseekable sink that keeps what zipfile wrote until it is taken."""

    def __init__(self) -> None:
        self._chunks: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data: bytes | bytearray | memoryview) -> int:  # type: ignore[override]
        self._chunks.append(bytes(data))
        return len(data)

    def take(self) -> bytes:
        data = b"".join(self._chunks)
        self._chunks.clear()
        return data


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _cell(reference: str, value: Cell, style: int) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, Decimal):
        return f'<c r="{reference}" s="{NUMBER_STYLE}"><v>{value:f}</v></c>'
    if isinstance(value, int):
        return f'<c r="{reference}"><v>{value}</v></c>'
    text = _ILLEGAL_XML.sub("", str(value))
    space = ' xml:space="preserve"' if text != text.strip() else ""
    style_attribute = f' s="{style}"' if style else ""
    return f'<c r="{reference}"{style_attribute} t="inlineStr"><is><t{space}>{escape(text)}</t></is></c>'


class StreamingWorkbook:
    """`add_rows` returns the bytes ready to send; `close` returns the rest (the workbook's index parts)."""

    def __init__(
        self, sheet_name: str, header: Sequence[str], *, rows_per_sheet: int = MAX_DATA_ROWS
    ) -> None:
        self._sink = _Chunks()
        self._rows_per_sheet = rows_per_sheet
        self._zip = zipfile.ZipFile(self._sink, "w", compression=zipfile.ZIP_DEFLATED)
        self._sheet_name = sheet_name
        self._header = list(header)
        self._letters = [column_letter(i) for i in range(len(header))]
        self._sheets: list[str] = []
        self._sheet: IO[bytes] | None = None
        self._row = 0

    def add_rows(self, rows: Sequence[Sequence[Cell]]) -> bytes:
        parts: list[str] = []
        for row in rows:
            if self._sheet is None or self._row > self._rows_per_sheet:
                self._flush(parts)
                self._start_sheet()
                parts.append(self._row_xml(self._header, HEADER_STYLE))
            parts.append(self._row_xml(row, 0))
        self._flush(parts)
        return self._sink.take()

    def close(self) -> bytes:
        if self._sheet is None:
            self._start_sheet()
            self._flush([self._row_xml(self._header, HEADER_STYLE)])
        self._end_sheet()
        self._write_index()
        self._zip.close()
        return self._sink.take()

    def _row_xml(self, values: Sequence[Cell], style: int) -> str:
        self._row += 1
        number = self._row
        cells = "".join(
            _cell(f"{letter}{number}", value, style)
            for letter, value in zip(self._letters, values, strict=False)
        )
        return f'<row r="{number}">{cells}</row>'

    def _flush(self, parts: list[str]) -> None:
        if parts and self._sheet is not None:
            self._sheet.write("".join(parts).encode())
        parts.clear()

    def _start_sheet(self) -> None:
        self._end_sheet()
        self._sheets.append(
            self._sheet_name if not self._sheets else f"{self._sheet_name} ({len(self._sheets) + 1})"
        )
        part = zipfile.ZipInfo(f"xl/worksheets/sheet{len(self._sheets)}.xml", time.gmtime()[:6])
        part.compress_type = zipfile.ZIP_DEFLATED
        self._sheet = self._zip.open(part, "w")
        self._sheet.write(_SHEET_START.encode())
        self._row = 0

    def _end_sheet(self) -> None:
        if self._sheet is not None:
            self._sheet.write(_SHEET_END.encode())
            self._sheet.close()
            self._sheet = None

    def _write_index(self) -> None:
        count = range(1, len(self._sheets) + 1)
        sheets = "".join(
            f'<sheet name={quoteattr(name[:31])} sheetId="{i}" r:id="rId{i}"/>'
            for i, name in zip(count, self._sheets, strict=True)
        )
        self._zip.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="{_MAIN}" '
            f'xmlns:r="{_REL}"><sheets>{sheets}</sheets></workbook>',
        )
        sheet_type = f"{_REL}/worksheet"
        relationships = "".join(
            f'<Relationship Id="rId{i}" Type="{sheet_type}" Target="worksheets/sheet{i}.xml"/>' for i in count
        )
        styles = len(self._sheets) + 1
        self._zip.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'{relationships}<Relationship Id="rId{styles}" Type="{_REL}/styles" Target="styles.xml"/>'
            "</Relationships>",
        )
        self._zip.writestr("xl/styles.xml", _STYLES)
        self._zip.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>",
        )
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            for i in count
        )
        self._zip.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            f"{overrides}</Types>",
        )
