"""The plans worker's import job: the file checked and written in one transaction, its progress saved in
transactions of their own so the job's page moves while it runs."""

from __future__ import annotations

import uuid
from typing import Any

from arq import Retry

from services.common.clock import utcnow
from services.plans.imports import repository, service
from services.plans.imports.models import ImportJob, ImportStatus

NOT_YET_COMMITTED_RETRY_SECONDS = 1


async def run_import(ctx: dict[str, Any], import_id: str) -> str:
    sessions = ctx["sessions"]
    async with sessions() as session:
        job = await session.get(ImportJob, uuid.UUID(import_id))
        if job is None:  # the request that queued it has not committed yet (or rolled back)
            raise Retry(defer=NOT_YET_COMMITTED_RETRY_SECONDS)
        if job.status is not ImportStatus.queued:
            return str(job.status)
        job.status, job.updated_at = ImportStatus.running, utcnow()
        await session.commit()

    async def progress(running: ImportJob) -> None:
        async with sessions() as side:
            stored = await repository.get(side, running.id)
            stored.rows_total, stored.rows_done, stored.updated_at = (
                running.rows_total,
                running.rows_done,
                utcnow(),
            )
            await side.commit()

    try:
        async with sessions() as session:
            job = await repository.get(session, uuid.UUID(import_id))  # not locked: progress writes it
            content = await repository.file_of(session, job.id)
            job = await service.run(session, job, content, progress)
            job.updated_at, job.version = utcnow(), job.version + 1
            session.add(job)
            await session.commit()
    except Exception:
        async with sessions() as side:  # nothing of the file was written; the job says so
            await service.broke(side, uuid.UUID(import_id))
            await side.commit()
        raise
    return str(job.status)
