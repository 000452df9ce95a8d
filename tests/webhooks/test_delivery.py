"""Delivery per Standard Webhooks: signed, retried with the same webhook-id, ordered per aggregate."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from datetime import UTC, datetime

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from standardwebhooks.webhooks import WebhookVerificationError

from tests.conftest import Login
from tests.webhooks.conftest import OpenStrategy, Subscribe, deliveries, revise_strategy
from tests.webhooks.receiver import Answer, Receiver

N = 120


async def test_every_one_of_n_events_arrives_verified_by_the_official_package_across_a_secret_rotation(
    gateway: httpx.AsyncClient, receiver: Receiver, subscribe: Subscribe, open_strategy: OpenStrategy
) -> None:
    endpoint = await subscribe("demo-provincial-93", ["strategy.created"])
    before = [await open_strategy("93") for _ in range(N // 2)]
    await receiver.wait_for(endpoint.path, N // 2)

    rotated = await gateway.post(f"{endpoint.url}/rotate-secret", headers=endpoint.headers)
    assert rotated.status_code == 200, rotated.text
    new_secret = rotated.json()["secret"]
    assert new_secret.startswith("whsec_")
    assert new_secret != endpoint.secret
    after = [await open_strategy("93") for _ in range(N - N // 2)]
    received = await receiver.wait_for(endpoint.path, N)

    by_strategy = {r.event.aggregate_id: r for r in received}
    assert set(by_strategy) == set(before) | set(after)
    assert len(received) == N, "no event twice: every attempt succeeded the first time"
    for strategy_id in before:
        by_strategy[strategy_id].verify(endpoint.secret)
        with pytest.raises(WebhookVerificationError):
            by_strategy[strategy_id].verify(new_secret)
    for strategy_id in after:  # during the overlap both secrets verify: two signatures in the header
        message = by_strategy[strategy_id]
        assert message.verify(new_secret)["aggregate_id"] == strategy_id
        assert message.verify(endpoint.secret)["aggregate_id"] == strategy_id
        assert len(message.headers["webhook-signature"].split(" ")) == 2
    assert all(r.webhook_id == str(r.event.id) for r in received)


async def test_a_receiver_failing_twice_gets_the_event_on_the_third_attempt_with_the_same_webhook_id(
    gateway: httpx.AsyncClient, receiver: Receiver, subscribe: Subscribe, open_strategy: OpenStrategy
) -> None:
    endpoint = await subscribe("demo-provincial-93", ["strategy.created"])
    receiver.script(endpoint.path, [500, Answer(503, delay=0.1), 200])
    strategy_id = await open_strategy("93")

    attempts = await receiver.wait_for(endpoint.path, 3)

    assert len(attempts) == 3
    assert len({a.webhook_id for a in attempts}) == 1
    assert attempts[0].body == attempts[2].body
    attempts[2].verify(endpoint.secret)
    [logged] = await deliveries(gateway, endpoint)
    assert logged["event_id"] == attempts[0].webhook_id
    assert (logged["status"], logged["attempts"], logged["last_status_code"]) == ("succeeded", 3, 200)
    assert logged["last_response_body"] == '{"received":true}'
    assert logged["last_latency_ms"] is not None
    assert logged["next_attempt_at"] is None
    assert attempts[0].event.aggregate_id == strategy_id


async def test_retry_after_is_honoured(
    gateway: httpx.AsyncClient, receiver: Receiver, subscribe: Subscribe, open_strategy: OpenStrategy
) -> None:
    endpoint = await subscribe("demo-provincial-93", ["strategy.created"])
    receiver.script(endpoint.path, [Answer(429, headers={"retry-after": "2"}), 200])
    await open_strategy("93")

    first, second = await receiver.wait_for(endpoint.path, 2)

    assert first.webhook_id == second.webhook_id
    [logged] = await deliveries(gateway, endpoint)
    assert (logged["status"], logged["attempts"]) == ("succeeded", 2)
    # the schedule's next delay is 0.3 s; the receiver asked for 2 s, and got them (whole-second stamps)
    assert int(second.headers["webhook-timestamp"]) - int(first.headers["webhook-timestamp"]) >= 2


async def test_a_message_whose_retries_are_exhausted_fails_and_releases_its_aggregate(
    gateway: httpx.AsyncClient,
    receiver: Receiver,
    subscribe: Subscribe,
    open_strategy: OpenStrategy,
    login: Login,
) -> None:
    endpoint = await subscribe("demo-provincial-93", ["strategy.*"])
    receiver.script(endpoint.path, [500, 500, 500, 500, 204])  # four attempts in the compressed schedule
    strategy_id = await open_strategy("93", username="demo-provincial-93")
    await revise_strategy(gateway, await login("demo-provincial-93"), strategy_id, "ชื่อใหม่หลังล้มเหลว")

    received = await receiver.wait_for(endpoint.path, 5)

    types = [(r.event.type, r.event.sequence) for r in received]
    assert types == [("strategy.created", 1)] * 4 + [("strategy.updated", 2)]
    log = {d["event_type"]: d for d in await deliveries(gateway, endpoint)}
    assert (log["strategy.created"]["status"], log["strategy.created"]["attempts"]) == ("failed", 4)
    assert log["strategy.created"]["last_status_code"] == 500
    assert log["strategy.updated"]["status"] == "succeeded"


async def test_a_later_event_of_an_aggregate_waits_while_an_earlier_one_is_retried(
    gateway: httpx.AsyncClient,
    receiver: Receiver,
    subscribe: Subscribe,
    open_strategy: OpenStrategy,
    login: Login,
) -> None:
    token = await login("demo-provincial-93")
    endpoint = await subscribe("demo-provincial-93", ["strategy.*"])
    receiver.script(endpoint.path, [503, 503, 204])
    held = await open_strategy("93", username="demo-provincial-93")
    await revise_strategy(gateway, token, held, "แก้ครั้งที่หนึ่ง")
    await revise_strategy(gateway, token, held, "แก้ครั้งที่สอง")

    received = await receiver.wait_for(endpoint.path, 5)

    sequences: dict[str, list[int]] = defaultdict(list)
    for r in received:
        sequences[r.event.aggregate_id].append(r.event.sequence)
    assert sequences[held] == [1, 1, 1, 2, 3]


async def test_410_gone_disables_the_endpoint_and_its_owner_is_told_on_another_endpoint(
    gateway: httpx.AsyncClient, receiver: Receiver, subscribe: Subscribe, open_strategy: OpenStrategy
) -> None:
    watcher = await subscribe("demo-provincial-93", ["webhook.*"])
    gone = await subscribe("demo-provincial-93", ["strategy.created"], token=watcher.token)
    receiver.script(gone.path, [410])
    await open_strategy("93")

    await receiver.wait_for(gone.path, 1)
    [notice] = await receiver.wait_for(watcher.path, 1)

    endpoint = (await gateway.get(gone.url, headers=gone.headers)).json()
    assert (endpoint["disabled"], endpoint["disabled_reason"]) == (True, "gone")
    assert notice.event.type == "webhook.endpoint.disabled"
    assert notice.event.data["endpoint_id"] == gone.id
    assert notice.event.data["reason"] == "gone"
    notice.verify(watcher.secret)
    await open_strategy("93")
    await asyncio.sleep(1.0)
    assert len(receiver.received(gone.path)) == 1, "a disabled endpoint receives nothing more"


async def test_redeliver_sends_that_one_message_again_with_its_original_webhook_id(
    gateway: httpx.AsyncClient, receiver: Receiver, subscribe: Subscribe, open_strategy: OpenStrategy
) -> None:
    endpoint = await subscribe("demo-provincial-93", ["strategy.created"])
    await open_strategy("93")
    await open_strategy("93")
    first, _ = await receiver.wait_for(endpoint.path, 2)
    logged = next(d for d in await deliveries(gateway, endpoint) if d["event_id"] == first.webhook_id)

    response = await gateway.post(
        f"{endpoint.url}/deliveries/{logged['id']}/redeliver", headers=endpoint.headers
    )

    assert response.status_code == 202, response.text
    assert response.json()["origin"] == "redelivery"
    received = await receiver.wait_for(endpoint.path, 3)
    assert len(received) == 3
    assert received[2].webhook_id == first.webhook_id
    assert received[2].body == first.body
    received[2].verify(endpoint.secret)


async def test_replay_sends_exactly_the_matching_events_since_a_time_in_per_aggregate_order(
    gateway: httpx.AsyncClient,
    receiver: Receiver,
    subscribe: Subscribe,
    open_strategy: OpenStrategy,
    login: Login,
) -> None:
    token = await login("demo-provincial-93")
    endpoint = await subscribe("demo-provincial-93", ["strategy.*"])
    await open_strategy("93", username="demo-provincial-93")
    await receiver.wait_for(endpoint.path, 1)
    since = datetime.now(UTC)
    late = [await open_strategy("93", username="demo-provincial-93") for _ in range(3)]
    for strategy_id in late:
        await revise_strategy(gateway, token, strategy_id, f"แก้ {strategy_id[:6]}")
    await open_strategy("18")  # outside the subscriber's area: never sent, not even by a replay
    live = await receiver.wait_for(endpoint.path, 1 + 6)

    response = await gateway.post(
        f"{endpoint.url}/replay", json={"since": since.isoformat()}, headers=endpoint.headers
    )

    assert response.status_code == 202, response.text
    assert response.json()["queued"] == 6
    replayed = (await receiver.wait_for(endpoint.path, len(live) + 6))[len(live) :]
    assert len(replayed) == 6
    assert sorted(r.webhook_id for r in replayed) == sorted(r.webhook_id for r in live[1:])
    assert all(r.event.occurred_at >= since for r in replayed)
    for strategy_id in late:
        assert [r.event.sequence for r in replayed if r.event.aggregate_id == strategy_id] == [1, 2]
    for r in replayed:
        r.verify(endpoint.secret)


async def test_an_endpoint_whose_saved_url_cannot_be_used_fails_its_attempts_with_the_reason_and_goes_on(
    gateway: httpx.AsyncClient,
    receiver: Receiver,
    subscribe: Subscribe,
    open_strategy: OpenStrategy,
    engine: AsyncEngine,
) -> None:
    endpoint = await subscribe("demo-provincial-93", ["strategy.created"])
    watcher = await subscribe("demo-provincial-93", ["strategy.created"], token=endpoint.token)
    async with engine.begin() as connection:  # as saved before URLs were checked this closely
        await connection.execute(
            text("UPDATE gateway.webhook_endpoints SET url = :url WHERE id = CAST(:id AS uuid)"),
            {"url": "http://127.0.0.1:99999/hook", "id": endpoint.id},
        )
    await open_strategy("93")
    await receiver.wait_for(watcher.path, 1)

    for _ in range(300):
        [logged] = await deliveries(gateway, endpoint)
        if logged["status"] != "pending":
            break
        await asyncio.sleep(0.1)

    assert (logged["status"], logged["attempts"], logged["last_status_code"]) == ("failed", 4, None)
    assert "Port out of range" in logged["last_error"]
    assert logged["last_attempt_at"] is not None
