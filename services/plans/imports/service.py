"""Imports (CSV or XLSX, told apart by content): a file is stored with its job and imported by the plans
worker whole or not at all — one bad row and nothing is written, its row and column named; a dry run only
checks. Rows carry their natural key (area, period, dimension), so importing a file twice changes nothing
the second time. Exports write the same columns, so an export re-imports unchanged."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Awaitable, Callable

import structlog
from sqlmodel.ext.asyncio.session import AsyncSession

from services.common import errors
from services.common.auth import Principal
from services.common.clock import utcnow
from services.common.events import record_event
from services.common.i18n import Text
from services.common.jobs import enqueue
from services.plans.imports import checks, files, repository
from services.plans.imports.access import IMPORTERS
from services.plans.imports.events import IMPORT_COMPLETED
from services.plans.imports.models import FileFormat, ImportFile, ImportJob, ImportKind, ImportStatus
from services.plans.imports.schemas import ImportPublic
from services.plans.indicators.models import Target
from services.plans.indicators.repository import INDICATORS
from services.plans.reporting import chain
from services.plans.reporting.access import STAFF
from services.plans.reporting.models import Value

XLSX_MAGIC = b"PK\x03\x04"  # an XLSX workbook is a ZIP archive
PROGRESS_EVERY = 5_000
log = structlog.get_logger()


async def create(
    session: AsyncSession,
    principal: Principal,
    *,
    indicator_id: uuid.UUID,
    kind: ImportKind,
    dry_run: bool,
    file_name: str,
    content: bytes,
) -> ImportPublic:
    """Store the file and queue its import (202): the job's page shows its progress and errors."""
    indicator = await INDICATORS.referenced(session, indicator_id, pointer="/indicator_id")
    principal.require(IMPORTERS, indicator.area_code)
    if not content:
        raise errors.at_field(errors.ValidationFailed, "/file", Text("The file is empty.", "ไฟล์ว่าง"))
    job = ImportJob(
        indicator_id=indicator.id,
        area_code=indicator.area_code,
        kind=kind,
        file_format=FileFormat.xlsx if content.startswith(XLSX_MAGIC) else FileFormat.csv,
        file_name=file_name[:300] or "upload",
        file_bytes=len(content),
        file_sha256=hashlib.sha256(content).hexdigest(),
        dry_run=dry_run,
        created_by=principal.subject,
    )
    session.add(job)
    await session.flush()
    session.add(ImportFile(import_id=job.id, content=content))
    await session.flush()
    await enqueue("plans", "run_import", str(job.id))
    log.info("import.queued", import_id=str(job.id), kind=kind, bytes=len(content), dry_run=dry_run)
    return ImportPublic.model_validate(job)


async def get(session: AsyncSession, principal: Principal, import_id: uuid.UUID) -> ImportPublic:
    """A job is seen by the indicator area's staff."""
    job = await repository.get(session, import_id)
    principal.require((*IMPORTERS, *STAFF), job.area_code)
    return ImportPublic.model_validate(job)


Progress = Callable[[ImportJob], Awaitable[None]]


async def run(session: AsyncSession, job: ImportJob, content: bytes, progress: Progress) -> ImportJob:
    """Check every row, then write them all in `session`'s one transaction (nothing when a row is wrong
    or for a dry run). `progress` is told how far the checking is (in a transaction of its own)."""
    indicator = await INDICATORS.get(session, job.indicator_id)
    checker = checks.Checker(indicator, job.kind)
    try:
        names, records = files.rows(content, job.file_format)
        table = list(records)
    except files.Unreadable as unreadable:
        checker.checked.refuse(1, None, unreadable.detail)
        names, table = [], []
    job.rows_total = len(table)
    if names and checker.header(names):
        for done, (number, row) in enumerate(table, start=1):
            checker.row(number, row)
            if done % PROGRESS_EVERY == 0:
                job.rows_done = done
                await progress(job)
    checked = checker.checked
    if not checked.error_count:
        if not job.dry_run:  # held to the commit: no tambon verified nor province certified under the rows
            places = ((record["area_code"], record["period"]) for record in checked.records)
            await chain.hold_provinces(
                session, indicator.id, places, figures=job.kind is not ImportKind.indicator_targets
            )
        checker.refuse_locked(*await repository.locked_places(session, indicator.id))
    job.rows_done, job.finished_at = len(table), utcnow()
    if checked.error_count:
        job.status, job.errors = ImportStatus.failed, checked.errors
        log.info("import.refused", import_id=str(job.id), errors=checked.error_count)
        return job
    if not job.dry_run:
        target = Target if job.kind is ImportKind.indicator_targets else Value
        job.rows_written = await repository.merge(
            session, target, indicator.id, checked.records, by=job.created_by, at=utcnow()
        )
    job.status = ImportStatus.completed
    await record_event(session, IMPORT_COMPLETED, aggregate_id=str(job.id), area_code=job.area_code, data=job)
    log.info("import.completed", import_id=str(job.id), rows=len(table), written=job.rows_written)
    return job


async def broke(session: AsyncSession, import_id: uuid.UUID) -> None:
    """A job that failed for a reason of ours, not of the file: failed, and nothing written."""
    job = await repository.get(session, import_id)
    job.status, job.finished_at, job.updated_at = ImportStatus.failed, utcnow(), utcnow()
    job.errors = [
        {
            "row": 0,
            "column": None,
            "message_en": "The import stopped on an error of ours; nothing was written. Upload it again.",
            "message_th": "การนำเข้าหยุดเพราะข้อผิดพลาดของระบบ ยังไม่ได้บันทึกข้อมูล กรุณาอัปโหลดไฟล์อีกครั้ง",
        }
    ]
    session.add(job)
