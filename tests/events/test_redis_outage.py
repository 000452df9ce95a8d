"""Redis being down delays events, it never fails a write or loses an event (docs/architecture.md)."""

from __future__ import annotations

import asyncio
import os
import signal
import uuid
from collections import defaultdict

import asyncpg
import httpx
import pytest
from redis.asyncio import Redis

from tests.conftest import Login, bearer
from tests.events.streams import wait_for_events
from tests.stackrunner import RunningStack

pytestmark = pytest.mark.skipif(
    bool(os.environ.get("REDIS_URL")), reason="pauses the embedded Redis; an external one is not ours to stop"
)
FUNDS = 4
EDITS = 2


async def test_writes_succeed_while_redis_is_paused_and_every_event_arrives_once_in_order_after(
    stack: RunningStack,
    gateway: httpx.AsyncClient,
    login: Login,
    redis_client: Redis,
    database: asyncpg.Connection,
) -> None:
    token = await login("demo-provincial-93")
    redis_pid = stack.pid("redis")
    assert redis_pid is not None
    # SIGSTOP, not a kill: the supervisor would restart a dead Redis at once; a paused one hangs every client
    os.kill(redis_pid, signal.SIGSTOP)
    try:
        ids = await _write_funds(gateway, token)
        await asyncio.sleep(1.5)  # the relays try, time out or back off: nothing may be marked published
        waiting = await database.fetch(
            "SELECT aggregate_id, published_at FROM funds.outbox WHERE aggregate_id = ANY($1)", ids
        )
    finally:
        os.kill(redis_pid, signal.SIGCONT)

    assert len(waiting) == FUNDS * (1 + EDITS)
    assert all(row["published_at"] is None for row in waiting)

    events = await wait_for_events(redis_client, set(ids), FUNDS * (1 + EDITS), timeout=60)

    assert len({e.id for e in events}) == len(events), "an event id appears twice on the stream"
    sequences: dict[str, list[int]] = defaultdict(list)
    for event in events:
        sequences[event.aggregate_id].append(event.sequence)
    assert sequences == {fund_id: list(range(1, 2 + EDITS)) for fund_id in ids}
    for _ in range(50):  # the relay marks rows once Redis has taken them
        unpublished = await database.fetchval(
            "SELECT count(*) FROM funds.outbox WHERE aggregate_id = ANY($1) AND published_at IS NULL", ids
        )
        if unpublished == 0:
            break
        await asyncio.sleep(0.1)
    assert unpublished == 0


async def _write_funds(gateway: httpx.AsyncClient, token: str) -> list[str]:
    """Creates and edits, some at once; every one must succeed with Redis paused."""

    async def one_fund(n: int) -> str:
        body = {
            "name_th": f"กองทุนช่วง Redis หยุด {uuid.uuid4().hex[:6]}",
            "kind": "tambon",
            "area_code": "930101",
        }
        created = await gateway.post("/v1/funds", json=body, headers=bearer(token))
        assert created.status_code == 201, created.text
        fund_id: str = created.json()["id"]
        for kind in ("project", "revolving")[:EDITS]:
            edited = await gateway.patch(
                f"/v1/funds/{fund_id}", json={"kind": kind}, headers={**bearer(token), "If-Match": "*"}
            )
            assert edited.status_code == 200, edited.text
        return fund_id

    return list(await asyncio.gather(*(one_fund(n) for n in range(FUNDS))))
