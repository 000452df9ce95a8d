"""Disbursements under maker-checker: requested by one, approved by others, reserved, paid once."""

from __future__ import annotations

import uuid

import asyncpg
import httpx

from tests.funds.conftest import FundsClient, People, transfer_sums


async def test_a_disbursement_is_reserved_on_its_last_approval_and_paid_from_the_reservation(
    gateway: httpx.AsyncClient, funds: FundsClient, person: People, database: asyncpg.Connection
) -> None:
    requester, national, south = (
        await person("demo-provincial-93"),
        await person("demo-national"),
        await person("demo-regional-south"),
    )
    fund = await funds.open(requester, committee=[national, south, requester])
    await funds.contribute(requester, fund["id"], 100_000)
    disbursement = await funds.request(requester, fund["id"], 60_000)

    one = await funds.approve(national, fund["id"], disbursement["id"])
    reserved_after_one = (await funds.fund(fund["id"]))["reserved_satang"]
    two = await funds.approve(south, fund["id"], disbursement["id"])
    reserved_after_two = await funds.fund(fund["id"])
    paid = await funds.pay(requester, fund["id"], disbursement["id"])
    after = await funds.fund(fund["id"])
    paid_again = await funds.act(requester, fund["id"], disbursement["id"], "pay", {"payment_reference": "x"})

    assert (one["status"], one["approvals_count"], reserved_after_one) == ("requested", 1, 0)
    assert (two["status"], two["approvals_count"]) == ("approved", 2)
    assert (reserved_after_two["reserved_satang"], reserved_after_two["available_satang"]) == (60_000, 40_000)
    assert paid["status"] == "paid"
    assert paid["payment_reference"] == "KTB-0001"
    assert (after["balance_satang"], after["reserved_satang"], after["available_satang"]) == (
        40_000,
        0,
        40_000,
    )
    assert paid_again.status_code == 409
    assert paid_again.json()["type"].endswith("/wrong-status")
    in_thai = await gateway.post(
        f"/v1/funds/{fund['id']}/disbursements/{disbursement['id']}/pay",
        json={"payment_reference": "x"},
        headers={**requester.keyed(), "Accept-Language": "th"},
    )
    assert in_thai.json()["detail"] == "คำขออยู่ในสถานะจ่ายเงินแล้ว จึงจ่ายเงินไม่ได้"
    [payment] = [e for e in await funds.ledger(fund["id"]) if e["kind"] == "disbursement"]
    assert (payment["amount_satang"], payment["transfer_id"]) == (-60_000, paid["transfer_id"])
    assert await transfer_sums(database, fund["id"]) == [0, 0]
    detail = await gateway.get(
        f"/v1/funds/{fund['id']}/disbursements/{disbursement['id']}", headers=national.headers
    )
    steps = [(step["action"], step["actor"]) for step in detail.json()["history"]]
    assert steps == [
        ("requested", requester.id),
        ("approved", national.id),
        ("approved", south.id),
        ("reserved", south.id),
        ("paid", requester.id),
    ]


async def test_the_requester_cannot_approve_their_own_disbursement(
    funds: FundsClient, person: People
) -> None:
    requester, national = await person("demo-provincial-93"), await person("demo-national")
    fund = await funds.open(requester, committee=[requester, national], approvals_required=1)
    await funds.contribute(requester, fund["id"], 10_000)
    disbursement = await funds.request(requester, fund["id"], 1_000)

    own = await funds.act(requester, fund["id"], disbursement["id"], "approve")

    assert own.status_code == 403
    assert own.json()["type"].endswith("/own-request")
    assert (await funds.fund(fund["id"]))["reserved_satang"] == 0
    assert (await funds.approve(national, fund["id"], disbursement["id"]))["status"] == "approved"


async def test_only_committee_members_approve_and_each_counts_once(
    funds: FundsClient, person: People
) -> None:
    requester, national, south = (
        await person("demo-provincial-93"),
        await person("demo-national"),
        await person("demo-regional-south"),
    )
    fund = await funds.open(requester, committee=[national, south])
    disbursement = await funds.request(requester, fund["id"], 1_000)
    tambon_staff = await person("demo-tambon-930101")

    await funds.approve(national, fund["id"], disbursement["id"])
    twice = await funds.act(national, fund["id"], disbursement["id"], "approve")
    outsider = await funds.act(tambon_staff, fund["id"], disbursement["id"], "approve")

    assert twice.status_code == 409
    assert twice.json()["type"].endswith("/already-approved")
    assert outsider.status_code == 403


async def test_the_last_approval_fails_with_insufficient_funds_and_leaves_the_request_waiting(
    gateway: httpx.AsyncClient, funds: FundsClient, person: People
) -> None:
    requester, national = await person("demo-provincial-93"), await person("demo-national")
    fund = await funds.open(requester, committee=[national], approvals_required=1)
    await funds.contribute(requester, fund["id"], 5_000)
    disbursement = await funds.request(requester, fund["id"], 8_000)
    url = f"/v1/funds/{fund['id']}/disbursements/{disbursement['id']}/approve"
    headers = national.keyed()

    refused = await gateway.post(url, headers={**headers, "Accept-Language": "th"})
    retried = await gateway.post(url, headers=headers)
    await funds.contribute(requester, fund["id"], 3_000)
    later = await gateway.post(url, headers=national.keyed())

    assert refused.status_code == 409
    assert refused.json()["type"].endswith("/insufficient-funds")
    assert refused.json()["available_satang"] == 5_000
    assert "เงินที่ใช้ได้" in refused.json()["title"]
    assert retried.status_code == 409
    assert retried.headers["idempotency-replayed"] == "true"
    assert retried.json() == refused.json()
    assert later.status_code == 200
    assert later.json()["status"] == "approved"


async def test_rejecting_or_cancelling_an_approved_disbursement_releases_its_reservation(
    funds: FundsClient, person: People
) -> None:
    requester, national = await person("demo-provincial-93"), await person("demo-national")
    fund = await funds.open(requester, committee=[national], approvals_required=1)
    await funds.contribute(requester, fund["id"], 10_000)
    rejected = await funds.request(requester, fund["id"], 4_000)
    cancelled = await funds.request(requester, fund["id"], 3_000)
    await funds.approve(national, fund["id"], rejected["id"])
    await funds.approve(national, fund["id"], cancelled["id"])
    assert (await funds.fund(fund["id"]))["reserved_satang"] == 7_000

    reject = await funds.act(national, fund["id"], rejected["id"], "reject", {"reason": "เกินแผน"})
    cancel = await funds.act(requester, fund["id"], cancelled["id"], "cancel")
    pay_rejected = await funds.act(requester, fund["id"], rejected["id"], "pay", {"payment_reference": "x"})

    assert (reject.status_code, reject.json()["status"], reject.json()["decision_reason"]) == (
        200,
        "rejected",
        "เกินแผน",
    )
    assert (cancel.status_code, cancel.json()["status"]) == (200, "cancelled")
    assert pay_rejected.status_code == 409
    seen = await funds.fund(fund["id"])
    assert (seen["balance_satang"], seen["reserved_satang"]) == (10_000, 0)


async def test_a_disbursement_to_a_fund_moves_money_between_funds_under_the_same_rule(
    gateway: httpx.AsyncClient, funds: FundsClient, person: People, database: asyncpg.Connection
) -> None:
    tambon, provincial, south = (
        await person("demo-tambon-930101"),
        await person("demo-provincial-93"),
        await person("demo-regional-south"),
    )
    tambon_fund = await funds.open(tambon, committee=[provincial, south], area="930101")
    pool = await funds.open(provincial, committee=[south], approvals_required=1)
    await funds.contribute(tambon, tambon_fund["id"], 40_000)
    disbursement = await funds.request(
        tambon, tambon_fund["id"], 25_000, payee_kind="fund", payee_name=None, to_fund_id=pool["id"]
    )

    await funds.approve(provincial, tambon_fund["id"], disbursement["id"])
    await funds.approve(south, tambon_fund["id"], disbursement["id"])
    paid = await funds.pay(tambon, tambon_fund["id"], disbursement["id"])

    assert disbursement["payee_name"] == pool["name_th"]
    assert (await funds.fund(tambon_fund["id"]))["balance_satang"] == 15_000
    assert (await funds.fund(pool["id"]))["balance_satang"] == 25_000
    [incoming] = await funds.ledger(pool["id"])
    assert (incoming["kind"], incoming["amount_satang"], incoming["transfer_id"]) == (
        "fund_transfer",
        25_000,
        paid["transfer_id"],
    )
    assert incoming["counterparty_name"] == tambon_fund["name_th"]
    assert await transfer_sums(database, pool["id"]) == [0]


async def test_a_fund_payee_needs_another_existing_fund(
    gateway: httpx.AsyncClient, funds: FundsClient, person: People
) -> None:
    requester = await person("demo-provincial-93")
    fund = await funds.open(requester, committee=[])
    url = f"/v1/funds/{fund['id']}/disbursements"
    base = {"amount_satang": 100, "purpose": "โอน", "payee_kind": "fund"}

    itself = await gateway.post(url, json={**base, "to_fund_id": fund["id"]}, headers=requester.headers)
    missing = await gateway.post(
        url, json={**base, "to_fund_id": str(uuid.uuid4())}, headers=requester.headers
    )
    stray = await gateway.post(
        url,
        json={**base, "payee_kind": "organisation", "payee_name": "x", "to_fund_id": fund["id"]},
        headers=requester.headers,
    )

    assert itself.status_code == missing.status_code == stray.status_code == 422
    assert {r.json()["errors"][0]["pointer"] for r in (itself, missing, stray)} == {"/to_fund_id"}


async def test_an_approval_counts_only_while_its_member_is_on_the_committee(
    gateway: httpx.AsyncClient, funds: FundsClient, person: People
) -> None:
    requester, national, south, provincial = (
        await person("demo-tambon-930101"),
        await person("demo-national"),
        await person("demo-regional-south"),
        await person("demo-provincial-93"),
    )
    fund = await funds.open(
        requester, committee=[national, south, provincial], approvals_required=2, area="930101"
    )
    await funds.contribute(requester, fund["id"], 5_000)
    disbursement = await funds.request(requester, fund["id"], 1_000)
    await funds.approve(national, fund["id"], disbursement["id"])
    changed = await gateway.patch(
        f"/v1/funds/{fund['id']}",
        json={"committee": [south.id, provincial.id]},
        headers={**requester.headers, "If-Match": "*"},
    )
    assert changed.status_code == 200, changed.text

    after_south = await funds.approve(south, fund["id"], disbursement["id"])

    assert (after_south["status"], after_south["approvals_count"]) == ("requested", 1)
    after_provincial = await funds.approve(provincial, fund["id"], disbursement["id"])
    assert after_provincial["status"] == "approved"
