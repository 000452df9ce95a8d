"""A round's report: an XLSX of its results per province and its ranking, built by the assessment worker
(`POST /v1/rounds/{id}/reports` → 202 and the job; its steps are its progress; then the download). Whoever
may read the round may ask for one and read it; it counts what they would see when it is built."""

from __future__ import annotations

import io
import uuid
from typing import Any

import structlog
from openpyxl import Workbook
from sqlmodel.ext.asyncio.session import AsyncSession

from services.assessment.frameworks.repository import FRAMEWORKS
from services.assessment.rounds import results
from services.assessment.rounds.models import ReportStatus, RoundReport
from services.assessment.rounds.repository import ROUNDS
from services.assessment.rounds.schemas import ReportPublic, Results
from services.assessment.rounds.service import readable
from services.common import errors
from services.common.auth import Principal
from services.common.clock import utcnow
from services.common.i18n import Text
from services.common.jobs import enqueue

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
log = structlog.get_logger()


async def request(session: AsyncSession, principal: Principal, round_id: uuid.UUID) -> ReportPublic:
    """Queue a report of a round the principal may read."""
    row = await ROUNDS.get(session, round_id)
    await readable(session, principal, row)
    report = RoundReport(round_id=row.id, requested_by=principal.subject)
    session.add(report)
    await session.flush()
    await enqueue("assessment", "build_round_report", str(report.id))
    log.info("round.report_requested", round_id=str(row.id), report_id=str(report.id))
    return shown(report)


async def get(
    session: AsyncSession, principal: Principal | None, round_id: uuid.UUID, report_id: uuid.UUID
) -> RoundReport:
    row = await ROUNDS.get(session, round_id)
    await readable(session, principal, row)
    report = await session.get(RoundReport, report_id)
    if report is None or report.round_id != row.id:
        raise errors.NotFound(
            Text(f"Round {row.id} has no report {report_id}.", f"รอบ {row.id} ไม่มีรายงาน รหัส {report_id}")
        )
    return report


async def content(
    session: AsyncSession, principal: Principal | None, round_id: uuid.UUID, report_id: uuid.UUID
) -> tuple[bytes, str]:
    """The XLSX and its file name; 409 while it is being built (or if it failed)."""
    report = await get(session, principal, round_id, report_id)
    if report.status is not ReportStatus.completed or report.content is None:
        raise errors.Conflict(
            Text(
                f"The report is {report.status.value}: nothing to download yet.", "รายงานยังไม่พร้อมให้ดาวน์โหลด"
            ),
            extensions={"current_status": report.status.value},
        )
    return report.content, f"round-{round_id}.xlsx"


async def build(session: AsyncSession, report: RoundReport, step: Any) -> None:
    """The workbook: results per province, then the ranking; `step(report)` saves the progress."""
    row = await ROUNDS.get(session, report.round_id)
    framework = await FRAMEWORKS.get(session, row.framework_id)
    statuses = results.counted_statuses(row)
    by_province = await results.counted_results(session, row, framework, statuses, "province")
    await step(1)
    ranking = await results.counted_ranking(session, row, framework, statuses)
    await step(2)
    report.content = _workbook(row.title_th, by_province, ranking.model_dump(mode="json"))
    report.status, report.steps_done, report.finished_at = ReportStatus.completed, 3, utcnow()
    report.updated_at, report.version = utcnow(), report.version + 1
    session.add(report)


def _workbook(title: str, found: Results, ranking: dict[str, Any]) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("ผลรายจังหวัด")
    codes = [c.code for c in found.criteria]
    sheet.append([title])
    sheet.append(
        ["จังหวัด", "พื้นที่ในรอบ", "ประเมินครบ", "ความครอบคลุม", "มัธยฐาน", "สัดส่วนแข็งแรงขึ้นไป"]
        + [f"{code} มัธยฐาน" for code in codes]
        + [f"{code} แข็งแรงขึ้นไป" for code in codes]
    )
    for group in [*found.groups, found.whole]:
        by_code = {c.code: c for c in group.criteria}
        sheet.append(
            [group.area_code, group.areas_in_round, group.areas_scored, group.coverage]
            + [group.overall.median, group.overall.strong_share]
            + [by_code[code].median for code in codes]
            + [by_code[code].strong_share for code in codes]
        )
    ranked = book.create_sheet("ลำดับความพร้อม")
    ranked.append(["ลำดับ", "จังหวัด", "คะแนน (ร้อยละ × 100)", "ความครอบคลุม"] + [f"{code}" for code in codes])
    for province in ranking["provinces"]:
        contributions = {c["code"]: c["contribution"] for c in province["contributions"]}
        ranked.append(
            [province["rank"], province["province_code"], province["score"], province["coverage"]]
            + [contributions.get(code) for code in codes]
        )
    ranked.append([ranking["method"]])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def shown(report: RoundReport) -> ReportPublic:
    done = report.status is ReportStatus.completed
    return ReportPublic(
        id=report.id,
        round_id=report.round_id,
        status=report.status.value,
        steps_total=report.steps_total,
        steps_done=report.steps_done,
        download=f"/v1/rounds/{report.round_id}/reports/{report.id}/content" if done else None,
        created_at=report.created_at,
        finished_at=report.finished_at,
    )
