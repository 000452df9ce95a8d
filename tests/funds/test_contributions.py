"""Contributions: one balanced transfer each, once per Idempotency-Key however often a phone retries."""

from __future__ import annotations

import asyncio
import uuid
from datetime import datetime

import asyncpg
import httpx

from tests.funds.conftest import FundsClient, People, transfer_sums, yesterday


async def test_a_contribution_is_one_balanced_transfer_and_raises_the_balance(
    funds: FundsClient, person: People, database: asyncpg.Connection
) -> None:
    recorder = await person("demo-provincial-93")
    fund = await funds.open(recorder, committee=[])

    first = await funds.contribute(
        recorder, fund["id"], 120_000, kind="welfare_fund", name="กองทุนสวัสดิการหนองสาหร่าย"
    )
    second = await funds.contribute(recorder, fund["id"], 30_050)

    assert second["balance_after_satang"] == 150_050
    assert (await funds.fund(fund["id"]))["balance_satang"] == 150_050
    ledger = await funds.ledger(fund["id"])
    assert [(e["sequence"], e["amount_satang"], e["balance_after_satang"]) for e in ledger] == [
        (1, 120_000, 120_000),
        (2, 30_050, 150_050),
    ]
    assert ledger[0]["transfer_id"] == first["transfer_id"]
    assert ledger[0]["counterparty_name"] == "กองทุนสวัสดิการหนองสาหร่าย"
    assert await transfer_sums(database, fund["id"]) == [0, 0]


async def test_a_partner_budget_is_recorded_as_joint_budget_with_the_partner_named(
    funds: FundsClient, person: People
) -> None:
    recorder = await person("demo-provincial-93")
    fund = await funds.open(recorder, committee=[])

    partner = await funds.contribute(recorder, fund["id"], 80_000, kind="partner", name="สมัชชาสุขภาพจังหวัดพัทลุง")
    agency = await funds.contribute(recorder, fund["id"], 90_000, kind="local_government", name="อบจ.พัทลุง")
    savings = await funds.contribute(recorder, fund["id"], 10_000)

    assert (partner["is_joint_budget"], agency["is_joint_budget"], savings["is_joint_budget"]) == (
        True,
        True,
        False,
    )
    assert partner["source_name"] == "สมัชชาสุขภาพจังหวัดพัทลุง"


async def test_a_contribution_needs_a_named_source_and_a_date_that_has_come(
    gateway: httpx.AsyncClient, funds: FundsClient, person: People
) -> None:
    recorder = await person("demo-provincial-93")
    fund = await funds.open(recorder, committee=[])
    url = f"/v1/funds/{fund['id']}/contributions"

    unnamed = await gateway.post(
        url,
        json={"amount_satang": 100, "source_kind": "partner", "received_on": yesterday()},
        headers=recorder.headers,
    )
    future = await gateway.post(
        url,
        json={"amount_satang": 100, "source_kind": "individual", "received_on": "2999-01-01"},
        headers=recorder.headers,
    )
    fractional = await gateway.post(
        url,
        json={"amount_satang": 10.5, "source_kind": "individual", "received_on": yesterday()},
        headers=recorder.headers,
    )

    assert unnamed.status_code == future.status_code == fractional.status_code == 422
    assert unnamed.json()["errors"][0]["pointer"] == "/source_name"
    assert future.json()["errors"][0]["pointer"] == "/received_on"
    assert fractional.json()["errors"][0]["pointer"] == "/amount_satang"
    assert (await funds.fund(fund["id"]))["balance_satang"] == 0


async def test_100_concurrent_posts_with_one_key_make_exactly_one_contribution(
    gateway: httpx.AsyncClient, funds: FundsClient, person: People
) -> None:
    recorder = await person("demo-provincial-93")
    fund = await funds.open(recorder, committee=[])
    url = f"/v1/funds/{fund['id']}/contributions"
    body = {
        "amount_satang": 5_000,
        "source_kind": "savings_group",
        "source_name": "กลุ่มออมทรัพย์",
        "received_on": yesterday(),
    }
    headers = recorder.keyed(str(uuid.uuid4()))

    answers = await asyncio.gather(*(gateway.post(url, json=body, headers=headers) for _ in range(100)))

    first = [a for a in answers if a.status_code == 201 and "idempotency-replayed" not in a.headers]
    replayed = [a for a in answers if a.headers.get("idempotency-replayed") == "true"]
    in_flight = [a for a in answers if a.status_code == 409]
    assert len(first) == 1
    assert len(first) + len(replayed) + len(in_flight) == 100
    assert all(a.status_code == 201 and a.json() == first[0].json() for a in replayed)
    assert all(a.json()["type"].endswith("/idempotency-key-in-flight") for a in in_flight)
    listed = await gateway.get(url)
    assert [c["id"] for c in listed.json()["items"]] == [first[0].json()["id"]]
    assert (await funds.fund(fund["id"]))["balance_satang"] == 5_000

    other_body = await gateway.post(url, json={**body, "amount_satang": 6_000}, headers=headers)
    assert other_body.status_code == 422
    assert other_body.json()["type"].endswith("/idempotency-key-reused")
    assert (await funds.fund(fund["id"]))["balance_satang"] == 5_000


async def test_50_concurrent_contributions_to_one_fund_each_post_once_and_the_chain_verifies(
    funds: FundsClient, person: People, database: asyncpg.Connection
) -> None:
    recorder = await person("demo-provincial-93")
    fund = await funds.open(recorder, committee=[])

    posted = await asyncio.gather(*(funds.contribute(recorder, fund["id"], 1_000 + n) for n in range(50)))

    total = sum(1_000 + n for n in range(50))
    assert sorted(c["balance_after_satang"] for c in posted)[-1] == total
    assert len({c["balance_after_satang"] for c in posted}) == 50  # each saw the one before it
    assert (await funds.fund(fund["id"]))["balance_satang"] == total
    verification = await funds.verify(fund["id"])
    assert verification["first_broken_link"] is None
    assert verification["entries_checked"] == 100  # holdings and contributions accounts
    assert await transfer_sums(database, fund["id"]) == [0] * 50


async def test_the_ledger_s_times_never_run_backwards_along_its_chain_under_concurrent_contributions(
    funds: FundsClient, person: People
) -> None:
    recorder = await person("demo-provincial-93")
    fund = await funds.open(recorder, committee=[])

    await asyncio.gather(*(funds.contribute(recorder, fund["id"], 1_000 + n) for n in range(30)))

    entries = await funds.ledger(fund["id"])
    assert [entry["sequence"] for entry in entries] == list(range(1, 31))
    times = [datetime.fromisoformat(entry["posted_at"]) for entry in entries]
    assert times == sorted(times), "an entry is dated before the one it follows"


async def test_a_contribution_to_a_fund_that_does_not_exist_is_404_and_writes_nothing(
    gateway: httpx.AsyncClient, person: People, database: asyncpg.Connection
) -> None:
    recorder = await person("demo-provincial-93")
    missing = uuid.uuid4()
    body = {
        "amount_satang": 5_000,
        "source_kind": "savings_group",
        "source_name": "กลุ่ม",
        "received_on": yesterday(),
    }

    answer = await gateway.post(f"/v1/funds/{missing}/contributions", json=body, headers=recorder.keyed())

    assert answer.status_code == 404
    assert answer.headers["content-type"] == "application/problem+json"
    assert (
        await database.fetchval("SELECT count(*) FROM funds.contributions WHERE fund_id = $1", missing) == 0
    )


async def test_a_refused_contribution_keeps_its_key_so_another_body_under_it_is_422(
    gateway: httpx.AsyncClient, funds: FundsClient, person: People
) -> None:
    owner, outsider = await person("demo-provincial-93"), await person("demo-provincial-18")
    fund = await funds.open(owner, committee=[])
    url = f"/v1/funds/{fund['id']}/contributions"
    body = {"amount_satang": 5_000, "source_kind": "individual", "received_on": yesterday()}
    headers = {**outsider.headers, "Idempotency-Key": f"refused-{uuid.uuid4()}"}

    refused = await gateway.post(url, json=body, headers=headers)
    again = await gateway.post(url, json=body, headers=headers)
    other_body = await gateway.post(url, json={**body, "amount_satang": 6_000}, headers=headers)

    assert refused.status_code == again.status_code == 403
    assert again.headers["Idempotency-Replayed"] == "true"
    assert again.json() == refused.json()
    assert other_body.status_code == 422
    assert other_body.json()["type"].endswith("/idempotency-key-reused")
    assert (await funds.fund(fund["id"]))["balance_satang"] == 0


async def test_an_expired_key_posts_again_instead_of_replaying(
    gateway: httpx.AsyncClient, funds: FundsClient, person: People, database: asyncpg.Connection
) -> None:
    recorder = await person("demo-provincial-93")
    fund = await funds.open(recorder, committee=[])
    url = f"/v1/funds/{fund['id']}/contributions"
    body = {"amount_satang": 7_000, "source_kind": "individual", "received_on": yesterday()}
    key = f"expiring-{uuid.uuid4()}"
    headers = {**recorder.headers, "Idempotency-Key": key}

    first = await gateway.post(url, json=body, headers=headers)
    replayed = await gateway.post(url, json=body, headers=headers)
    await database.execute(
        "UPDATE funds.idempotency_keys SET expires_at = now() - interval '1 second' WHERE key = $1", key
    )
    after_expiry = await gateway.post(url, json=body, headers=headers)

    assert first.status_code == replayed.status_code == after_expiry.status_code == 201
    assert replayed.headers["Idempotency-Replayed"] == "true"
    assert replayed.content == first.content
    assert "Idempotency-Replayed" not in after_expiry.headers
    assert after_expiry.json()["id"] != first.json()["id"]
    assert after_expiry.json()["balance_after_satang"] == 14_000


async def test_one_contribution_carries_an_etag_and_a_current_copy_is_304(
    gateway: httpx.AsyncClient, funds: FundsClient, person: People
) -> None:
    recorder = await person("demo-provincial-93")
    fund = await funds.open(recorder, committee=[])
    posted = await funds.contribute(recorder, fund["id"], 1_000)
    url = f"/v1/funds/{fund['id']}/contributions/{posted['id']}"

    first = await gateway.get(url)
    again = await gateway.get(url, headers={"If-None-Match": first.headers["etag"]})

    assert (first.status_code, first.json()["amount_satang"]) == (200, 1_000)
    assert (again.status_code, again.content) == (304, b"")


async def test_a_field_the_contribution_does_not_know_is_refused_not_dropped(
    gateway: httpx.AsyncClient, funds: FundsClient, person: People
) -> None:
    recorder = await person("demo-provincial-93")
    fund = await funds.open(recorder, committee=[])
    body = {
        "amount_satang": 500,
        "source_kind": "individual",
        "received_on": yesterday(),
        "refrence": "KTB-1",
    }

    refused = await gateway.post(f"/v1/funds/{fund['id']}/contributions", json=body, headers=recorder.keyed())

    assert refused.status_code == 422
    assert [e["pointer"] for e in refused.json()["errors"]] == ["/refrence"]
    assert (await funds.fund(fund["id"]))["balance_satang"] == 0
