"""Consumer groups: an entry a consumer took and never acknowledged is claimed by another consumer."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Sequence

import httpx
from redis.asyncio import Redis

from services.common.events import EventEnvelope
from services.common.events.consumer import EventConsumer
from tests.conftest import Login, bearer
from tests.events.streams import STREAM, wait_for_events


async def test_entries_a_dead_consumer_left_unacknowledged_are_claimed_and_handled_by_another(
    gateway: httpx.AsyncClient, login: Login, redis_client: Redis
) -> None:
    group = f"test-{uuid.uuid4().hex[:8]}"
    handled: list[EventEnvelope] = []

    async def remember(event: EventEnvelope) -> None:
        handled.append(event)

    survivor = EventConsumer(
        redis_client,
        stream=STREAM,
        group=group,
        consumer="survivor",
        handle=remember,
        start_id="$",
        min_idle_ms=300,
        block_ms=50,
    )
    await survivor.ensure_group()
    ids = await _create_funds(gateway, await login("demo-provincial-93"), 3)
    await wait_for_events(redis_client, set(ids), 3)

    # the doomed consumer takes everything new and dies before acknowledging anything
    taken = await redis_client.xreadgroup(group, "doomed", {STREAM: ">"}, count=1000)
    doomed_entries = [entry for _, entries in taken for entry in entries]
    assert {EventEnvelope.from_stream_fields(f).aggregate_id for _, f in doomed_entries} >= set(ids)

    assert await survivor.claim_stale() == 0  # not idle long enough yet
    assert await survivor.read_new() == 0  # nothing new for the group: it is all pending with "doomed"
    await asyncio.sleep(0.4)
    assert await survivor.claim_stale() == len(doomed_entries)

    assert {e.aggregate_id for e in handled if e.type == "fund.created"} >= set(ids)
    pending = await redis_client.xpending(STREAM, group)
    assert pending["pending"] == 0
    await redis_client.xgroup_destroy(STREAM, group)


async def test_a_failing_handler_leaves_its_entry_pending_for_a_retry(
    gateway: httpx.AsyncClient, login: Login, redis_client: Redis
) -> None:
    group = f"test-{uuid.uuid4().hex[:8]}"
    attempts: list[str] = []

    async def flaky(event: EventEnvelope) -> None:
        attempts.append(str(event.id))
        if attempts.count(str(event.id)) == 1:
            raise RuntimeError("receiver unavailable")

    consumer = EventConsumer(
        redis_client, stream=STREAM, group=group, consumer="only", handle=flaky, start_id="$", min_idle_ms=100
    )
    await consumer.ensure_group()
    [fund_id] = await _create_funds(gateway, await login("demo-provincial-93"), 1)
    await wait_for_events(redis_client, {fund_id}, 1)

    first = await consumer.read_new()
    assert (await redis_client.xpending(STREAM, group))["pending"] >= 1
    await asyncio.sleep(0.2)
    retried = await consumer.claim_stale()

    assert first == 0
    assert retried >= 1
    assert (await redis_client.xpending(STREAM, group))["pending"] == 0
    await redis_client.xgroup_destroy(STREAM, group)


async def test_a_consumer_retries_what_it_failed_before_reading_anything_newer(
    gateway: httpx.AsyncClient, login: Login, redis_client: Redis
) -> None:
    group = f"test-{uuid.uuid4().hex[:8]}"
    handled: list[str] = []
    calls = 0

    async def flaky_batch(events: Sequence[EventEnvelope]) -> None:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise RuntimeError("database unavailable")
        handled.extend(event.aggregate_id for event in events)

    consumer = EventConsumer(
        redis_client,
        stream=STREAM,
        group=group,
        consumer="only",
        handle_batch=flaky_batch,
        start_id="$",
        block_ms=100,
    )
    await consumer.ensure_group()
    token = await login("demo-provincial-93")
    [first] = await _create_funds(gateway, token, 1)
    await wait_for_events(redis_client, {first}, 1)
    assert await consumer.read_new() == 0
    assert consumer.backlog
    [second] = await _create_funds(gateway, token, 1)
    await wait_for_events(redis_client, {second}, 1)

    running = asyncio.create_task(consumer.run())
    try:
        for _ in range(100):
            if {first, second} <= set(handled):
                break
            await asyncio.sleep(0.05)
    finally:
        running.cancel()

    assert handled.index(first) < handled.index(second)
    assert (await redis_client.xpending(STREAM, group))["pending"] == 0
    await redis_client.xgroup_destroy(STREAM, group)


async def _create_funds(gateway: httpx.AsyncClient, token: str, count: int) -> list[str]:
    ids = []
    for _ in range(count):
        body = {"name_th": f"กองทุนกลุ่มผู้อ่าน {uuid.uuid4().hex[:6]}", "kind": "tambon", "area_code": "930101"}
        response = await gateway.post("/v1/funds", json=body, headers=bearer(token))
        assert response.status_code == 201
        ids.append(response.json()["id"])
    return ids


async def test_a_reader_of_some_types_acknowledges_the_others_unread(
    gateway: httpx.AsyncClient, login: Login, redis_client: Redis
) -> None:
    group = f"test-{uuid.uuid4().hex[:8]}"
    handled: list[EventEnvelope] = []

    async def remember(events: Sequence[EventEnvelope]) -> None:
        handled.extend(events)

    consumer = EventConsumer(
        redis_client,
        stream=STREAM,
        group=group,
        consumer="only",
        handle_batch=remember,
        start_id="$",
        block_ms=100,
        types={"fund.updated"},
    )
    await consumer.ensure_group()
    token = await login("demo-provincial-93")
    created, renamed = await _create_funds(gateway, token, 2)
    edit = {"name_th": f"กองทุนที่เปลี่ยนชื่อ {uuid.uuid4().hex[:6]}"}
    response = await gateway.patch(
        f"/v1/funds/{renamed}", json=edit, headers={**bearer(token), "If-Match": "*"}
    )
    assert response.status_code == 200
    await wait_for_events(redis_client, {created, renamed}, 3)

    for _ in range(20):
        await consumer.read_new()
        if handled:
            break

    assert {(event.type, event.aggregate_id) for event in handled} == {("fund.updated", renamed)}
    assert (await redis_client.xpending(STREAM, group))["pending"] == 0  # the fund.created ones acknowledged
    await redis_client.xgroup_destroy(STREAM, group)
