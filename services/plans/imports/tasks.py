"""The plans worker's import job: the file checked and written in one transaction, its progress saved in
transactions of their own so the job's page moves while it runs."""

from __future__ import annotations

import uuid
from typing import Any

from services.common import jobs
from services.common.clock import utcnow
from services.plans.imports import repository, service
from services.plans.imports.models import ImportJob, ImportStatus


async def run_import(ctx: dict[str, Any], import_id: str) -> str:
    sessions = ctx["sessions"]
    taken = await jobs.claim(
        sessions, ImportJob, import_id, queued=ImportStatus.queued, running=ImportStatus.running
    )
    if taken is not None:
        return taken

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
