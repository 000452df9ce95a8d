"""No event is lost when the delivering worker dies mid-attempt or Redis stops while writes go on."""

from __future__ import annotations

import asyncio
import os
import signal
from collections import defaultdict

import httpx
import pytest

from tests.conftest import Login
from tests.stackrunner import RunningStack
from tests.webhooks.conftest import OpenStrategy, Subscribe, deliveries, revise_strategy
from tests.webhooks.receiver import Answer, Received, Receiver


def _by_event(received: list[Received]) -> dict[str, list[Received]]:
    grouped: dict[str, list[Received]] = defaultdict(list)
    for r in received:
        grouped[r.webhook_id].append(r)
    return grouped


def _assert_order_per_aggregate(received: list[Received]) -> None:
    """Each aggregate's first arrivals come in sequence order (repeats may follow, never jump ahead)."""
    seen: dict[str, int] = {}
    for r in received:
        event = r.event
        last = seen.get(event.aggregate_id, 0)
        assert event.sequence <= last + 1, f"{event.aggregate_id}: {event.sequence} arrived after {last}"
        seen[event.aggregate_id] = max(last, event.sequence)


async def test_a_worker_killed_mid_delivery_loses_no_event(
    stack: RunningStack,
    gateway: httpx.AsyncClient,
    receiver: Receiver,
    subscribe: Subscribe,
    open_strategy: OpenStrategy,
) -> None:
    endpoint = await subscribe("demo-provincial-93", ["strategy.created"])
    # the receiver holds every request for 1 s: the kill lands while attempts are in flight
    receiver.script(endpoint.path, [Answer(204, delay=1.0)])
    first = [await open_strategy("93") for _ in range(5)]
    await receiver.wait_for(endpoint.path, 1)
    worker = stack.pid("gateway-worker")
    assert worker is not None
    os.kill(worker, signal.SIGKILL)
    second = [await open_strategy("93") for _ in range(5)]  # written while the worker is dead

    expected = set(first) | set(second)
    for _ in range(600):
        got = {r.event.aggregate_id for r in receiver.received(endpoint.path)}
        if got >= expected:
            break
        await asyncio.sleep(0.1)

    received = receiver.received(endpoint.path)
    assert {r.event.aggregate_id for r in received} == expected
    assert all(len({r.body for r in copies}) == 1 for copies in _by_event(received).values())
    for r in received:
        r.verify(endpoint.secret)
    restarted = stack.pid("gateway-worker")
    assert restarted is not None
    assert restarted != worker
    for _ in range(100):  # the outcome of the re-sent attempt is recorded too
        log = await deliveries(gateway, endpoint)
        if all(d["status"] == "succeeded" for d in log):
            break
        await asyncio.sleep(0.1)
    assert len(log) == 10
    assert all(d["status"] == "succeeded" for d in log)


@pytest.mark.skipif(
    bool(os.environ.get("REDIS_URL")), reason="pauses the embedded Redis; an external one is not ours to stop"
)
async def test_redis_stopped_while_writes_go_on_every_event_arrives_after_in_order_repeats_identical(
    stack: RunningStack,
    gateway: httpx.AsyncClient,
    receiver: Receiver,
    subscribe: Subscribe,
    open_strategy: OpenStrategy,
    login: Login,
) -> None:
    token = await login("demo-provincial-93")
    endpoint = await subscribe("demo-provincial-93", ["strategy.*"])
    redis_pid = stack.pid("redis")
    assert redis_pid is not None
    # SIGSTOP, not a kill: the supervisor would restart a dead Redis at once; a paused one hangs every client
    os.kill(redis_pid, signal.SIGSTOP)
    try:
        strategies = []
        for n in range(6):
            strategy_id = await open_strategy("93", username="demo-provincial-93")
            strategies.append(strategy_id)
            for edit in range(2):
                await revise_strategy(gateway, token, strategy_id, f"แก้ {n}.{edit} ระหว่าง Redis หยุด")
        await asyncio.sleep(3)  # several seconds stopped, writes going on
    finally:
        os.kill(redis_pid, signal.SIGCONT)

    received = await receiver.wait_for(endpoint.path, 6 * 3, timeout=90)

    by_event = _by_event(received)
    assert len(by_event) == 18
    assert {r.event.aggregate_id for r in received} == set(strategies)
    assert all(len({r.body for r in copies}) == 1 for copies in by_event.values()), "a repeat differs"
    _assert_order_per_aggregate(received)
    for strategy_id in strategies:
        firsts = [r.event.sequence for r in received if r.event.aggregate_id == strategy_id]
        assert sorted(set(firsts)) == [1, 2, 3]
