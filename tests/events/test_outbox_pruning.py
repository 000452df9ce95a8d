"""Published outbox rows are pruned once older than the cutoff (the worker prunes past the retention)."""

from __future__ import annotations

import uuid
from datetime import timedelta

import asyncpg
import httpx
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import create_async_engine

from services.common.db import async_url
from services.common.events.outbox import event_source, prune_published
from tests.conftest import Login, bearer
from tests.events.streams import wait_for_events
from tests.stackrunner import RunningStack

COUNT = "SELECT count(*) FROM funds.outbox WHERE aggregate_id = $1"


async def test_pruning_removes_published_rows_older_than_the_cutoff_only(
    stack: RunningStack,
    gateway: httpx.AsyncClient,
    login: Login,
    redis_client: Redis,
    database: asyncpg.Connection,
) -> None:
    body = {"name_th": f"กองทุนเก่า {uuid.uuid4().hex[:6]}", "kind": "tambon", "area_code": "930101"}
    token = await login("demo-provincial-93")
    fund = (await gateway.post("/v1/funds", json=body, headers=bearer(token))).json()
    await wait_for_events(redis_client, {fund["id"]}, 1)
    published_at = await database.fetchval(
        "SELECT published_at FROM funds.outbox WHERE aggregate_id = $1", fund["id"]
    )
    assert published_at is not None
    source = event_source("funds", "funds")
    engine = create_async_engine(async_url(stack.state["database_url"]))
    try:
        await prune_published(engine, source, older_than=published_at)
        kept = await database.fetchval(COUNT, fund["id"])
        pruned = await prune_published(engine, source, older_than=published_at + timedelta(microseconds=1))
        gone = await database.fetchval(COUNT, fund["id"])
    finally:
        await engine.dispose()

    assert kept == 1
    assert pruned >= 1
    assert gone == 0
