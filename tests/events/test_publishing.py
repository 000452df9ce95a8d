"""Funds, strategies and teams publish their changes: one event per change, numbered per aggregate."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

import asyncpg
import httpx
from redis.asyncio import Redis

from tests.conftest import Login, bearer
from tests.events.streams import stream_events, wait_for_events


def fund_body(name: str = "กองทุนทดสอบเหตุการณ์") -> dict[str, str]:
    return {"name_th": f"{name} {uuid.uuid4().hex[:8]}", "kind": "tambon", "area_code": "930101"}


async def test_creating_a_fund_publishes_one_fund_created_with_the_full_envelope(
    gateway: httpx.AsyncClient, login: Login, redis_client: Redis
) -> None:
    token = await login("demo-provincial-93")
    before = datetime.now().astimezone()
    created = await gateway.post("/v1/funds", json=fund_body(), headers=bearer(token))
    assert created.status_code == 201
    fund = created.json()

    [event] = await wait_for_events(redis_client, {fund["id"]}, 1)

    assert event.type == "fund.created"
    assert event.source == "funds"
    assert event.aggregate_type == "fund"
    assert event.aggregate_id == fund["id"]
    assert event.sequence == 1
    assert event.area_code == "930101"
    assert event.schema_version == 1
    assert (
        before - timedelta(seconds=5) < event.occurred_at < datetime.now().astimezone() + timedelta(seconds=5)
    )
    assert event.data == {key: fund[key] for key in event.data}
    assert set(event.data) == {"id", "name_th", "kind", "area_code", "version", "created_at", "updated_at"}
    assert "created_by" not in event.data


async def test_an_update_is_the_second_event_of_the_same_fund(
    gateway: httpx.AsyncClient, login: Login, redis_client: Redis
) -> None:
    token = await login("demo-provincial-93")
    fund = (await gateway.post("/v1/funds", json=fund_body(), headers=bearer(token))).json()
    changed = await gateway.patch(
        f"/v1/funds/{fund['id']}", json={"kind": "project"}, headers={**bearer(token), "If-Match": "*"}
    )
    assert changed.status_code == 200

    created, updated = await wait_for_events(redis_client, {fund["id"]}, 2)

    assert (created.type, created.sequence) == ("fund.created", 1)
    assert (updated.type, updated.sequence) == ("fund.updated", 2)
    assert updated.data["kind"] == "project"
    assert updated.data["version"] == 2
    assert created.id != updated.id


async def test_an_edit_that_changes_nothing_publishes_nothing(
    gateway: httpx.AsyncClient, login: Login, redis_client: Redis, database: asyncpg.Connection
) -> None:
    token = await login("demo-provincial-93")
    fund = (await gateway.post("/v1/funds", json=fund_body(), headers=bearer(token))).json()
    same = await gateway.patch(
        f"/v1/funds/{fund['id']}", json={"kind": fund["kind"]}, headers={**bearer(token), "If-Match": "*"}
    )
    assert same.status_code == 200

    await wait_for_events(redis_client, {fund["id"]}, 1)
    rows = await database.fetchval("SELECT count(*) FROM funds.outbox WHERE aggregate_id = $1", fund["id"])
    assert rows == 1


async def test_a_refused_request_records_no_event(
    gateway: httpx.AsyncClient, login: Login, redis_client: Redis, database: asyncpg.Connection
) -> None:
    owner, outsider = await login("demo-provincial-93"), await login("demo-provincial-18")
    fund = (await gateway.post("/v1/funds", json=fund_body(), headers=bearer(owner))).json()
    body = fund_body("กองทุนที่ไม่ควรเกิด")

    refused_create = await gateway.post("/v1/funds", json=body, headers=bearer(outsider))
    refused_edit = await gateway.patch(
        f"/v1/funds/{fund['id']}", json={"kind": "project"}, headers={**bearer(outsider), "If-Match": "*"}
    )

    assert refused_create.status_code == refused_edit.status_code == 403
    await wait_for_events(redis_client, {fund["id"]}, 1)
    assert [e.type for e in await stream_events(redis_client, {fund["id"]})] == ["fund.created"]
    outbox = await database.fetch(
        "SELECT type FROM funds.outbox WHERE aggregate_id = $1 OR data->>'name_th' = $2",
        fund["id"],
        body["name_th"],
    )
    assert [row["type"] for row in outbox] == ["fund.created"]
    sequence = await database.fetchval(
        "SELECT last_sequence FROM funds.event_sequences WHERE aggregate_id = $1", fund["id"]
    )
    assert sequence == 1


async def test_strategies_and_teams_publish_their_creation_and_updates(
    gateway: httpx.AsyncClient, login: Login, redis_client: Redis
) -> None:
    token = await login("demo-provincial-93")
    tag = uuid.uuid4().hex[:8]
    strategy = await gateway.post(
        "/v1/strategies", json={"province_code": "93", "title_th": f"ยุทธศาสตร์ {tag}"}, headers=bearer(token)
    )
    team = await gateway.post(
        "/v1/teams",
        json={"kind": "outcome", "name": f"ทีมประเมินผลลัพธ์ {tag}", "area_code": "93"},
        headers=bearer(token),
    )
    assert strategy.status_code == team.status_code == 201
    strategy_id, team_id = strategy.json()["id"], team.json()["id"]
    revised = await gateway.patch(
        f"/v1/strategies/{strategy_id}",
        json={"vision": "ชุมชนจัดการตนเอง"},
        headers={**bearer(token), "If-Match": "*"},
    )
    renamed = await gateway.patch(
        f"/v1/teams/{team_id}", json={"name": f"ทีม {tag}"}, headers={**bearer(token), "If-Match": "*"}
    )
    assert revised.status_code == renamed.status_code == 200

    events = await wait_for_events(redis_client, {strategy_id, team_id}, 4)

    seen = {(e.source, e.type, e.aggregate_id, e.sequence, e.area_code) for e in events}
    assert seen == {
        ("plans", "strategy.created", strategy_id, 1, "93"),
        ("plans", "strategy.updated", strategy_id, 2, "93"),
        ("assessment", "team.created", team_id, 1, "93"),
        ("assessment", "team.updated", team_id, 2, "93"),
    }
    assert all("created_by" not in e.data for e in events)
    assert next(e for e in events if e.type == "strategy.updated").data["vision"] == "ชุมชนจัดการตนเอง"
