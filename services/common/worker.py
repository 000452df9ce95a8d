"""What every service's arq worker shares: Redis settings, queue name, logging and a heartbeat."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

import structlog
from arq import cron
from arq.connections import RedisSettings
from prometheus_client import start_http_server

from services.common.logging import configure_logging
from services.common.metrics import WORKER_JOBS, WORKER_UP
from services.common.settings import get_settings

HEARTBEAT_SECONDS = 10
log = structlog.get_logger()


def queue_name(service: str) -> str:
    return f"khabuan:{service}:queue"


def heartbeat_key(service: str) -> str:
    return f"khabuan:{service}:worker-heartbeat"


def worker_settings(
    service: str,
    functions: Sequence[Callable[..., Any]] = (),
    cron_jobs: Sequence[Any] = (),
) -> type:
    """Build an arq WorkerSettings class for one service's worker."""
    settings = get_settings()
    if not settings.redis_url:
        raise RuntimeError("REDIS_URL is not set: start Khabuan with `make run` or set REDIS_URL")

    async def heartbeat(ctx: dict[str, Any]) -> None:
        """Tell /health this worker is alive (the key expires if the worker stops)."""
        stamp = f"{datetime.now(UTC).isoformat()} pid={os.getpid()}"
        await ctx["redis"].set(heartbeat_key(service), stamp, ex=HEARTBEAT_SECONDS * 3)

    process = f"{service}-worker"

    async def on_startup(ctx: dict[str, Any]) -> None:
        configure_logging(process, level=settings.log_level, json=settings.log_json)
        if settings.metrics_port:
            start_http_server(settings.metrics_port, addr="127.0.0.1")
        WORKER_UP.labels(process).set(1)
        await heartbeat(ctx)
        log.info("worker.started", queue=queue_name(service), metrics_port=settings.metrics_port)

    async def on_job_start(ctx: dict[str, Any]) -> None:
        WORKER_JOBS.labels(process, "started").inc()

    async def after_job_end(ctx: dict[str, Any]) -> None:
        WORKER_JOBS.labels(process, "ended").inc()

    heartbeat.__qualname__ = heartbeat.__name__ = f"{service}_heartbeat"
    every = set(range(0, 60, HEARTBEAT_SECONDS))
    return type(
        f"{service.title()}WorkerSettings",
        (),
        {
            "redis_settings": RedisSettings.from_dsn(settings.redis_url),
            "queue_name": queue_name(service),
            "functions": list(functions),
            "cron_jobs": [*cron_jobs, cron(heartbeat, second=every, run_at_startup=False)],
            "on_startup": on_startup,
            "on_job_start": on_job_start,
            "after_job_end": after_job_end,
            "health_check_interval": HEARTBEAT_SECONDS,
            "handle_signals": True,
        },
    )
