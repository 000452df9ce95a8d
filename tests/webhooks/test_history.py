"""The event log (the replay source) and the delivery log are kept for the retention period, then pruned."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine

from gateway.webhooks.history import prune_history
from tests.webhooks.conftest import OpenStrategy, Subscribe, deliveries
from tests.webhooks.receiver import Receiver


async def test_events_older_than_the_retention_are_pruned_with_their_deliveries_and_no_longer_replayed(
    gateway: httpx.AsyncClient,
    receiver: Receiver,
    subscribe: Subscribe,
    open_strategy: OpenStrategy,
    engine: AsyncEngine,
) -> None:
    endpoint = await subscribe("demo-provincial-93", ["strategy.created"])
    before = datetime.now(UTC)
    await open_strategy("93")
    await receiver.wait_for(endpoint.path, 1)

    assert await prune_history(engine, older_than=before - timedelta(days=90)) == 0
    assert len(await deliveries(gateway, endpoint)) == 1

    pruned = await prune_history(engine, older_than=datetime.now(UTC) + timedelta(seconds=1))

    assert pruned >= 1
    assert await deliveries(gateway, endpoint) == []
    replay = await gateway.post(
        f"{endpoint.url}/replay", json={"since": before.isoformat()}, headers=endpoint.headers
    )
    assert replay.json()["queued"] == 0
