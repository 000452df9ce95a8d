"""The funds' input rules through the gateway: what cannot be stored is refused at its pointer, a sum the
ledger cannot hold is a 409 problem, and nothing a refused request sent is posted."""

from __future__ import annotations

import uuid

import asyncpg
import httpx

from tests.e2e.test_input_rules import refusal_in
from tests.e2e.test_problems import THAI, assert_problem
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

    key = recorder.keyed(str(uuid.uuid4()))
    refused = await gateway.post(f"/v1/funds/{fund['id']}/contributions", json=body, headers=key)
    retried = await gateway.post(f"/v1/funds/{fund['id']}/contributions", json=body, headers=key)
    thai = await gateway.post(
        f"/v1/funds/{fund['id']}/contributions",
        json=body,
        headers={**recorder.keyed(str(uuid.uuid4())), "Accept-Language": "th"},
    )

    refusal_in(refused, "/reference")
    assert retried.json() == refused.json()  # the same key answers the same refusal
    assert THAI.search(str(refusal_in(thai, "/reference")["errors"]))
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


async def test_a_buddhist_era_or_implausible_date_is_refused_with_a_hint_and_nothing_is_posted(
    gateway: httpx.AsyncClient, funds: FundsClient, person: People
) -> None:
    recorder = await person("demo-provincial-93")
    fund = await funds.open(recorder, committee=[])
    url = f"/v1/funds/{fund['id']}/contributions"
    body = {"amount_satang": 100, "source_kind": "individual"}

    buddhist = await gateway.post(url, json={**body, "received_on": "2569-11-30"}, headers=recorder.headers)
    thai = await gateway.post(
        url, json={**body, "received_on": "2569-11-30"}, headers={**recorder.headers, "Accept-Language": "th"}
    )
    ancient = await gateway.post(url, json={**body, "received_on": "0001-01-01"}, headers=recorder.headers)
    # BE 2400 would be CE 1857, itself refused: no hint of it, only the range
    no_hint = await gateway.post(url, json={**body, "received_on": "2400-01-01"}, headers=recorder.headers)

    assert "2026-11-30" in str(refusal_in(buddhist, "/received_on")["errors"])
    thai_errors = str(refusal_in(thai, "/received_on")["errors"])
    assert "พุทธศักราช" in thai_errors
    assert "2026-11-30" in thai_errors
    assert "1900-01-01" in str(refusal_in(ancient, "/received_on")["errors"])
    assert "1857" not in str(refusal_in(no_hint, "/received_on")["errors"])
    assert "2399-12-31" in str(refusal_in(no_hint, "/received_on")["errors"])
    assert (await funds.fund(fund["id"]))["balance_satang"] == 0


async def test_a_kind_tied_to_a_level_must_fit_its_area_when_opened_or_changed(
    gateway: httpx.AsyncClient, person: People
) -> None:
    opener = await person("demo-provincial-93")
    fund = {"name_th": f"กองทุนระดับ {uuid.uuid4().hex[:6]}", "area_code": "93"}

    tambon_at_a_province = await gateway.post(
        "/v1/funds", json={**fund, "kind": "tambon"}, headers=opener.keyed()
    )
    pooled_at_a_tambon = await gateway.post(
        "/v1/funds",
        json={**fund, "kind": "pooled_province", "area_code": "930101"},
        headers={**opener.keyed(), "Accept-Language": "th"},
    )
    project = await gateway.post("/v1/funds", json={**fund, "kind": "project"}, headers=opener.keyed())
    changed = await gateway.patch(
        f"/v1/funds/{project.json()['id']}",
        json={"kind": "tambon"},
        headers={**opener.headers, "If-Match": "*"},
    )

    assert "tambon (6 digits)" in str(refusal_in(tambon_at_a_province, "/area_code")["errors"])
    assert "จังหวัด" in str(refusal_in(pooled_at_a_tambon, "/area_code")["errors"])
    assert project.status_code == 201
    # the fund's area is what the new kind conflicts with: 409, still naming the field and the level
    assert changed.status_code == 409
    assert changed.json()["errors"][0]["pointer"] == "/kind"
    assert "tambon (6 digits)" in changed.json()["errors"][0]["detail"]


async def test_a_date_sent_as_a_number_is_refused_not_read_as_a_timestamp(
    gateway: httpx.AsyncClient, funds: FundsClient, person: People
) -> None:
    recorder = await person("demo-provincial-93")
    fund = await funds.open(recorder, committee=[])
    body = {"amount_satang": 100, "source_kind": "individual", "received_on": 0}

    refused = await gateway.post(f"/v1/funds/{fund['id']}/contributions", json=body, headers=recorder.headers)

    refusal_in(refused, "/received_on")
    assert (await funds.fund(fund["id"]))["balance_satang"] == 0
