"""The funds service announces every money movement and decision as events, in each fund's order, with no
personal data in them."""

from __future__ import annotations

import typing

import httpx
import pytest
from redis.asyncio import Redis

from services.funds.events import EVENT_TYPES
from tests.events.streams import wait_for_events
from tests.funds.conftest import FundsClient, People
from tests.stackrunner import RunningStack


@pytest.fixture
async def redis_client(stack: RunningStack) -> typing.AsyncIterator[Redis]:
    client = Redis.from_url(stack.state["redis_url"], socket_timeout=10)
    yield client
    await client.aclose()


def test_the_funds_service_records_every_fund_event() -> None:
    assert {t.name for t in EVENT_TYPES} == {
        "fund.created",
        "fund.updated",
        "fund.contribution.posted",
        "fund.disbursement.requested",
        "fund.reversal.requested",
        "fund.reversal.approval_added",
        "fund.reversal.approved",
        "fund.reversal.rejected",
        "fund.reversal.cancelled",
        "fund.disbursement.approval_added",
        "fund.disbursement.approved",
        "fund.disbursement.rejected",
        "fund.disbursement.cancelled",
        "fund.disbursement.paid",
        "fund.transfer.posted",
        "fund.transfer.reversed",
        "fund.reconciliation.failed",
        "fund.disbursement.reversed",
        "fund.ledger.exported",
    }


async def test_money_moving_between_funds_publishes_each_step_in_each_funds_order(
    gateway: httpx.AsyncClient, funds: FundsClient, person: People, redis_client: Redis
) -> None:
    tambon, provincial, south = (
        await person("demo-tambon-930101"),
        await person("demo-provincial-93"),
        await person("demo-regional-south"),
    )
    source = await funds.open(tambon, committee=[provincial], approvals_required=1, area="930101")
    pool = await funds.open(provincial, committee=[south], approvals_required=1)
    await funds.contribute(tambon, source["id"], 10_000, kind="individual", name="นายใจดี มีสุข")
    moved = await funds.request(
        tambon, source["id"], 4_000, payee_kind="fund", payee_name=None, to_fund_id=pool["id"]
    )
    await funds.approve(provincial, source["id"], moved["id"])
    await funds.pay(tambon, source["id"], moved["id"])
    dropped = await funds.request(
        tambon, source["id"], 1_000, payee_kind="individual", payee_name="นายใจดี มีสุข"
    )
    await funds.act(tambon, source["id"], dropped["id"], "cancel")

    events = await wait_for_events(redis_client, {source["id"], pool["id"]}, 11)

    of_source = [(e.type, e.sequence) for e in events if e.aggregate_id == source["id"]]
    assert of_source == [
        ("fund.created", 1),
        ("fund.contribution.posted", 2),
        ("fund.disbursement.requested", 3),
        ("fund.disbursement.approval_added", 4),
        ("fund.disbursement.approved", 5),
        ("fund.disbursement.paid", 6),
        ("fund.transfer.posted", 7),
        ("fund.disbursement.requested", 8),
        ("fund.disbursement.cancelled", 9),
    ]
    assert [(e.type, e.sequence) for e in events if e.aggregate_id == pool["id"]] == [
        ("fund.created", 1),
        ("fund.transfer.posted", 2),
    ]
    incoming = next(e for e in events if e.aggregate_id == pool["id"] and e.type == "fund.transfer.posted")
    assert (incoming.data["amount_satang"], incoming.data["balance_after_satang"]) == (4_000, 4_000)
    assert incoming.area_code == "93"
    for event in events:
        text = event.to_json().decode()
        for secret in ("นายใจดี มีสุข", tambon.id, provincial.id, south.id):
            assert secret not in text, (event.type, secret)
