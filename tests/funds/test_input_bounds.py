"""The funds' input rules through the gateway: what cannot be stored is refused at its pointer, a sum the
ledger cannot hold is a 409 problem, and nothing a refused request sent is posted."""

from __future__ import annotations

import uuid

import asyncpg
import httpx

from tests.e2e.test_input_rules import refusal_in
from tests.e2e.test_problems import assert_problem
from tests.funds.conftest import FundsClient, People, yesterday


async def test_a_nul_in_a_contributions_reference_is_refused_and_nothing_is_posted(
    gateway: httpx.AsyncClient, funds: FundsClient, person: People
) -> None:
    recorder = await person("demo-provincial-93")
    fund = await funds.open(recorder, committee=[])
    body = {
        "amount_satang": 100,
        "source_kind": "individual",
        "received_on": yesterday(),
        "reference": "slip\x00",
    }

    refused = await gateway.post(
        f"/v1/funds/{fund['id']}/contributions", json=body, headers=recorder.keyed(str(uuid.uuid4()))
    )

    refusal_in(refused, "/reference")
    assert (await funds.fund(fund["id"]))["balance_satang"] == 0


async def test_a_balance_the_ledger_cannot_hold_is_a_409_and_a_retry_answers_the_same(
    gateway: httpx.AsyncClient, funds: FundsClient, person: People, database: asyncpg.Connection
) -> None:
    recorder = await person("demo-provincial-93")
    fund = await funds.open(recorder, committee=[])
    near_the_limit = 2**63 - 1 - 10**14
    await database.execute(
        "UPDATE funds.ledger_accounts SET balance_satang = CASE purpose WHEN 'holdings' THEN $2::bigint"
        " ELSE -$2::bigint END WHERE owner_id = $1 AND purpose IN ('holdings', 'contributions')",
        uuid.UUID(fund["id"]),
        near_the_limit,
    )
    body = {"amount_satang": 10**15, "source_kind": "individual", "received_on": yesterday()}
    headers = recorder.keyed(str(uuid.uuid4()))
    url = f"/v1/funds/{fund['id']}/contributions"

    refused = await gateway.post(url, json=body, headers=headers)
    again = await gateway.post(url, json=body, headers={**headers, "Accept-Language": "th"})

    problem = assert_problem(refused, 409)
    assert problem["type"].endswith("/balance-out-of-range")
    assert again.status_code == 409
    assert again.json() == problem  # the stored refusal, replayed as it was first given
    assert again.headers["idempotency-replayed"] == "true"
    assert (await funds.fund(fund["id"]))["balance_satang"] == near_the_limit
    written = await database.fetchval(
        "SELECT count(*) FROM funds.contributions WHERE fund_id = $1", uuid.UUID(fund["id"])
    )
    assert written == 0
