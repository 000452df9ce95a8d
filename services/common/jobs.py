"""Handing work to a service's arq worker from a request: one Redis pool per process, the service's queue.

A job is enqueued before the request's transaction commits, so a job reads its row and, if the row is not
there yet, asks to be retried (arq's `Retry`); if the request rolled back, its retries run out."""

from __future__ import annotations

import uuid
from enum import StrEnum
from typing import Any

from arq import Retry, create_pool
from arq.connections import ArqRedis, RedisSettings
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

from services.common.clock import utcnow
from services.common.settings import get_settings
from services.common.worker import queue_name

NOT_YET_COMMITTED_RETRY_SECONDS = 1
_pools: dict[str, ArqRedis] = {}


async def enqueue(service: str, function: str, *args: Any) -> None:
    pool = _pools.get(service)
    if pool is None:
        pool = _pools[service] = await create_pool(RedisSettings.from_dsn(get_settings().redis_url))
    await pool.enqueue_job(function, *args, _queue_name=queue_name(service))


async def claim(
    sessions: async_sessionmaker[AsyncSession],
    model: type[SQLModel],
    job_id: str,
    *,
    queued: StrEnum,
    running: StrEnum,
) -> str | None:
    """Mark the job's row (a `status` and an `updated_at`) `running` in a transaction of its own: None when
    this run now has it, else the status of a row another run already took (nothing left to do). A row not
    there yet is the queuing request's, not committed: retried until it is, or until its retries run out."""
    async with sessions() as session:
        row: Any = await session.get(model, uuid.UUID(job_id))
        if row is None:
            raise Retry(defer=NOT_YET_COMMITTED_RETRY_SECONDS)
        if row.status is not queued:
            return str(row.status)
        row.status, row.updated_at = running, utcnow()
        await session.commit()
    return None
