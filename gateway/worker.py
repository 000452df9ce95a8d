"""The gateway's arq worker (`python -m gateway worker`): webhook fan-out and delivery, the audit log (from
every service's events), the gateway's own outbox relay, and pruning of the 90-day event and delivery logs."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import timedelta
from typing import Any

import structlog
from arq import cron
from sqlalchemy.ext.asyncio import AsyncEngine

from gateway.audit.actions import AUDITED
from gateway.audit.writer import AuditWriter
from gateway.events import EVENT_TYPES
from gateway.webhooks.dispatcher import QUEUE_PLANNER, Dispatcher
from gateway.webhooks.fanout import FanOut
from gateway.webhooks.history import prune_history
from services.common.clock import utcnow
from services.common.db import create_engine
from services.common.events.consumer import EventConsumer, stream_reader
from services.common.geo.regions import keep_region_map_fresh, region_map_from_gateway
from services.common.settings import get_settings
from services.common.worker import worker_settings

FANOUT_GROUP = "gateway-webhooks"
AUDIT_GROUP = "gateway-audit"
log = structlog.get_logger()


def fan_out_consumer(settings: Any, engine: AsyncEngine) -> EventConsumer:
    return stream_reader(settings, FANOUT_GROUP, FanOut(engine))


def audit_consumer(settings: Any, engine: AsyncEngine) -> EventConsumer:
    return stream_reader(settings, AUDIT_GROUP, AuditWriter(engine), types=AUDITED)


async def start_webhooks(ctx: dict[str, Any]) -> None:
    settings = get_settings()
    # area scope reads the live province → region map, as the services do
    regions = region_map_from_gateway(settings.geo_url)
    consumer = fan_out_consumer(settings, ctx["engine"])
    auditor = audit_consumer(settings, ctx["engine"])  # the audit log, from every service's events
    ctx["consumer_redis"] = [consumer.redis, auditor.redis]
    ctx["webhook_tasks"] = [
        asyncio.create_task(keep_region_map_fresh(regions, settings.geo_refresh_seconds), name="geo-regions"),
        asyncio.create_task(consumer.run(), name="webhook-fanout"),
        asyncio.create_task(auditor.run(), name="audit-log"),
    ]
    engine = create_engine(
        settings, application_name="khabuan-gateway-dispatcher", server_settings=QUEUE_PLANNER
    )
    ctx["dispatcher_engine"] = engine
    ctx["dispatcher"] = Dispatcher(engine, settings)
    ctx["dispatcher"].start()
    log.info("webhooks.started", group=FANOUT_GROUP, consumer=consumer.consumer)


async def stop_webhooks(ctx: dict[str, Any]) -> None:
    for task in ctx.get("webhook_tasks", []):
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task
    if "dispatcher" in ctx:
        await ctx["dispatcher"].stop()
    for redis in ctx.get("consumer_redis", []):
        await redis.aclose()
    if "dispatcher_engine" in ctx:
        await ctx["dispatcher_engine"].dispose()


async def prune_webhook_history(ctx: dict[str, Any]) -> int:
    """Delete events logged longer ago than the retention period (90 days), their messages with them."""
    settings = get_settings()
    older_than = utcnow() - timedelta(seconds=settings.webhook_history_retention_seconds)
    pruned = await prune_history(ctx["engine"], older_than=older_than)
    log.info("webhooks.history_pruned", events=pruned)
    return pruned


WorkerSettings = worker_settings(
    "gateway",
    event_types=EVENT_TYPES,
    functions=[prune_webhook_history],
    cron_jobs=[cron(prune_webhook_history, minute=41, second=0, run_at_startup=False)],
    on_start=[start_webhooks],
    on_stop=[stop_webhooks],
)
