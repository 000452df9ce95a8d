"""Handing work to a service's arq worker from a request: one Redis pool per process, the service's queue.

A job is enqueued before the request's transaction commits, so a job reads its row and, if the row is not
there yet, asks to be retried (arq's `Retry`); if the request rolled back, its retries run out."""

from __future__ import annotations

from typing import Any

from arq import create_pool
from arq.connections import ArqRedis, RedisSettings

from services.common.settings import get_settings
from services.common.worker import queue_name

_pools: dict[str, ArqRedis] = {}


async def enqueue(service: str, function: str, *args: Any) -> None:
    pool = _pools.get(service)
    if pool is None:
        pool = _pools[service] = await create_pool(RedisSettings.from_dsn(get_settings().redis_url))
    await pool.enqueue_job(function, *args, _queue_name=queue_name(service))
