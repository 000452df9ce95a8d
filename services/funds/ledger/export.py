"""Exporting a fund's whole ledger as CSV or XLSX, streamed batch by batch (no row cap, constant memory),
with Thai headers and labels when asked and amounts in baht with two decimals."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator, Sequence
from decimal import Decimal
from enum import StrEnum

from services.common.i18n import Language, Text
from services.common.money import format_baht
from services.funds.ledger.chain import canonical_time
from services.funds.ledger.public import FundLedger, every_entry
from services.funds.ledger.schemas import LedgerEntryPublic
from services.funds.ledger.xlsx import Cell, StreamingWorkbook
from services.funds.reads import Reader


class ExportFormat(StrEnum):
    csv = "csv"
    xlsx = "xlsx"


MEDIA_TYPES = {
    ExportFormat.csv: "text/csv; charset=utf-8",
    ExportFormat.xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
COLUMNS = (
    Text("sequence", "ลำดับ"),
    Text("posted_at (UTC)", "วันเวลาที่บันทึก (UTC)"),
    Text("kind", "ประเภทรายการ"),
    Text("counterparty_kind", "ประเภทคู่รายการ"),
    Text("counterparty", "คู่รายการ"),
    Text("memo", "รายละเอียด"),
    Text("amount (baht)", "จำนวนเงิน (บาท)"),
    Text("balance before (baht)", "ยอดยกมา (บาท)"),
    Text("balance after (baht)", "ยอดคงเหลือ (บาท)"),
    Text("transfer_id", "รหัสรายการโอน"),
    Text("reverses_transfer_id", "กลับรายการของ"),
    Text("prev_hash", "ค่าแฮชก่อนหน้า"),
    Text("hash", "ค่าแฮช"),
)
SHEET = Text("Ledger", "บัญชีแยกประเภท")
LABELS = {
    "contribution": Text("contribution", "เงินสมทบ"),
    "disbursement": Text("disbursement", "เบิกจ่าย"),
    "fund_transfer": Text("fund transfer", "โอนระหว่างกองทุน"),
    "reversal": Text("reversal", "กลับรายการ"),
    "savings_group": Text("savings group", "กลุ่มออมทรัพย์"),
    "welfare_fund": Text("welfare fund", "กองทุนสวัสดิการชุมชน"),
    "codi_grant": Text("CODI grant", "งบประมาณ พอช."),
    "partner": Text("partner", "ภาคี"),
    "local_government": Text("local government", "องค์กรปกครองส่วนท้องถิ่น"),
    "individual": Text("individual", "บุคคล"),
    "other": Text("other", "อื่น ๆ"),
    "organisation": Text("organisation", "องค์กร"),
    "fund": Text("fund", "กองทุน"),
}
# a spreadsheet runs a CSV cell that starts like a formula; such text gets a leading apostrophe
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def filename(ledger: FundLedger, export_format: ExportFormat) -> str:
    return f"fund-{ledger.fund_id}-ledger.{export_format.value}"


async def export(
    reader: Reader, ledger: FundLedger, export_format: ExportFormat, language: Language
) -> AsyncIterator[bytes]:
    header = [column(language) for column in COLUMNS]
    if export_format == ExportFormat.csv:
        yield "\ufeff".encode()  # a BOM, so spreadsheet programs read the Thai as UTF-8
        yield _csv([header])
        async for entries in every_entry(reader, ledger):
            yield _csv([_csv_row(entry, language) for entry in entries])
        return
    workbook = StreamingWorkbook(SHEET(language), header)
    async for entries in every_entry(reader, ledger):
        chunk = workbook.add_rows([_xlsx_row(entry, language) for entry in entries])
        if chunk:
            yield chunk
    yield workbook.close()


def _label(value: str | None, language: Language) -> str:
    if value is None:
        return ""
    label = LABELS.get(value)
    return label(language) if label else value


def _text_cells(entry: LedgerEntryPublic, language: Language) -> tuple[str, str, str, str]:
    counterparty = entry.counterparty_name or ""
    if entry.counterparty_kind == "individual":
        counterparty = _label("individual", language)
    return (
        _label(entry.kind.value, language),
        _label(entry.counterparty_kind, language),
        counterparty,
        entry.memo or "",
    )


def _csv_row(entry: LedgerEntryPublic, language: Language) -> list[str]:
    kind, counterparty_kind, counterparty, memo = (_safe(cell) for cell in _text_cells(entry, language))
    return [
        str(entry.sequence),
        canonical_time(entry.posted_at),
        kind,
        counterparty_kind,
        counterparty,
        memo,
        format_baht(entry.amount_satang, grouping=False),
        format_baht(entry.balance_before_satang, grouping=False),
        format_baht(entry.balance_after_satang, grouping=False),
        str(entry.transfer_id),
        str(entry.reverses_transfer_id or ""),
        entry.prev_hash,
        entry.hash,
    ]


def _xlsx_row(entry: LedgerEntryPublic, language: Language) -> list[Cell]:
    kind, counterparty_kind, counterparty, memo = _text_cells(entry, language)
    return [
        entry.sequence,
        canonical_time(entry.posted_at),
        kind,
        counterparty_kind,
        counterparty,
        memo,
        _baht(entry.amount_satang),
        _baht(entry.balance_before_satang),
        _baht(entry.balance_after_satang),
        str(entry.transfer_id),
        str(entry.reverses_transfer_id or ""),
        entry.prev_hash,
        entry.hash,
    ]


def _baht(satang: int) -> Decimal:
    return Decimal(satang).scaleb(-2)


def _safe(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_START) else text


def _csv(rows: Sequence[Sequence[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode()
