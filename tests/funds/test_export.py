"""The ledger export: the whole ledger streamed as CSV or XLSX, Thai headers when asked, baht with two
decimals; the XLSX writer itself rolls over to a new sheet instead of capping rows."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from decimal import Decimal
from xml.etree import ElementTree

import httpx

from services.funds.ledger.xlsx import StreamingWorkbook
from tests.funds.conftest import FundsClient, People

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def sheet_rows(workbook: zipfile.ZipFile, name: str) -> list[list[str]]:
    """Each row's cells by column (an empty cell is left out of the XML, so columns come from `r`)."""
    root = ElementTree.fromstring(workbook.read(name))
    rows = []
    for row in root.iter(f"{MAIN}row"):
        cells: dict[int, str] = {}
        for cell in row.iter(f"{MAIN}c"):
            column = ord(re.sub(r"\d", "", cell.get("r", ""))) - ord("A")
            found = cell.find(f"{MAIN}is/{MAIN}t")
            found = found if found is not None else cell.find(f"{MAIN}v")
            cells[column] = (found.text or "") if found is not None else ""
        rows.append([cells.get(i, "") for i in range(max(cells) + 1)])
    return rows


def sheet_names(workbook: zipfile.ZipFile) -> list[str]:
    root = ElementTree.fromstring(workbook.read("xl/workbook.xml"))
    return [sheet.get("name", "") for sheet in root.iter(f"{MAIN}sheet")]


async def test_the_csv_export_has_thai_headers_and_baht_with_two_decimals(
    gateway: httpx.AsyncClient, funds: FundsClient, person: People
) -> None:
    recorder = await person("demo-provincial-93")
    fund = await funds.open(recorder, committee=[])
    await funds.contribute(recorder, fund["id"], 123_456, kind="welfare_fund", name='=HYPERLINK("x")')
    await funds.contribute(recorder, fund["id"], 5)

    thai = await gateway.get(f"/v1/funds/{fund['id']}/ledger/export", headers={"Accept-Language": "th"})
    english = await gateway.get(f"/v1/funds/{fund['id']}/ledger/export", params={"format": "csv"})

    assert thai.status_code == 200
    assert thai.headers["content-type"].startswith("text/csv")
    assert "attachment" in thai.headers["content-disposition"]
    header, first, second = csv.reader(io.StringIO(thai.text.lstrip("\ufeff")))
    assert header[:3] == ["ลำดับ", "วันเวลาที่บันทึก (UTC)", "ประเภทรายการ"]
    assert header[6:9] == ["จำนวนเงิน (บาท)", "ยอดยกมา (บาท)", "ยอดคงเหลือ (บาท)"]
    assert (first[2], first[3], first[6], first[7], first[8]) == (
        "เงินสมทบ",
        "กองทุนสวัสดิการชุมชน",
        "1234.56",
        "0.00",
        "1234.56",
    )
    assert first[4] == '\'=HYPERLINK("x")', "a formula-like name must not run in a spreadsheet"
    assert (second[6], second[7], second[8]) == ("0.05", "1234.56", "1234.61")
    assert header[-2:] == ["ค่าแฮชก่อนหน้า", "ค่าแฮช"]
    assert (first[-2], second[-2]) == ("0" * 64, first[-1]), "each row links to the one before"
    assert next(csv.reader(io.StringIO(english.text.lstrip("\ufeff"))))[:3] == [
        "sequence",
        "posted_at (UTC)",
        "kind",
    ]


async def test_the_xlsx_export_is_a_workbook_with_amounts_as_numbers(
    gateway: httpx.AsyncClient, funds: FundsClient, person: People
) -> None:
    recorder = await person("demo-provincial-93")
    fund = await funds.open(recorder, committee=[])
    for amount in (100_050, 20_000):
        await funds.contribute(recorder, fund["id"], amount)

    response = await gateway.get(
        f"/v1/funds/{fund['id']}/ledger/export", params={"format": "xlsx"}, headers={"Accept-Language": "th"}
    )

    assert (
        response.headers["content-type"]
        == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    with zipfile.ZipFile(io.BytesIO(response.content)) as workbook:
        assert workbook.testzip() is None
        assert sheet_names(workbook) == ["บัญชีแยกประเภท"]
        header, *rows = sheet_rows(workbook, "xl/worksheets/sheet1.xml")
    assert header[6] == "จำนวนเงิน (บาท)"
    assert [(row[0], Decimal(row[6]), Decimal(row[7]), Decimal(row[8])) for row in rows] == [
        ("1", Decimal("1000.50"), Decimal("0.00"), Decimal("1000.50")),
        ("2", Decimal("200.00"), Decimal("1000.50"), Decimal("1200.50")),
    ]


def test_the_workbook_streams_as_rows_arrive_and_starts_a_new_sheet_instead_of_dropping_rows() -> None:
    workbook = StreamingWorkbook("Ledger", ["n", "baht", "note"], rows_per_sheet=3)
    chunks = [workbook.add_rows([[n, Decimal(n).scaleb(-2), f"row {n} <&>"]]) for n in range(1, 8)]
    chunks.append(workbook.close())

    assert chunks[0], "bytes leave before the workbook is closed"
    with zipfile.ZipFile(io.BytesIO(b"".join(chunks))) as archive:
        assert sheet_names(archive) == ["Ledger", "Ledger (2)", "Ledger (3)"]
        sheets = [sheet_rows(archive, f"xl/worksheets/sheet{i}.xml") for i in (1, 2, 3)]
    assert [len(rows) for rows in sheets] == [4, 4, 2]  # a header and up to three rows each
    assert all(rows[0] == ["n", "baht", "note"] for rows in sheets)
    assert [row[0] for rows in sheets for row in rows[1:]] == [str(n) for n in range(1, 8)]
    assert sheets[2][1] == ["7", "0.07", "row 7 <&>"]
    assert re.fullmatch(r"\d+", sheets[0][1][0])
