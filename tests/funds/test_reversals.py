"""Corrections only by reversal: a whole transfer undone by its opposite, approved like a disbursement."""

from __future__ import annotations

import asyncio

import asyncpg
import httpx

from tests.funds.conftest import FundsClient, People, Person, transfer_sums


async def reverse(
    gateway: httpx.AsyncClient, requester: Person, fund_id: str, transfer_id: str
) -> httpx.Response:
    return await gateway.post(
        f"/v1/funds/{fund_id}/transfers/{transfer_id}/reversal",
        json={"reason": "บันทึกซ้ำ"},
        headers=requester.keyed(),
    )


async def test_a_contribution_recorded_twice_is_reversed_once_the_committee_approves(
    gateway: httpx.AsyncClient, funds: FundsClient, person: People, database: asyncpg.Connection
) -> None:
    requester, national, south = (
        await person("demo-provincial-93"),
        await person("demo-national"),
        await person("demo-regional-south"),
    )
    fund = await funds.open(requester, committee=[requester, national, south])
    await funds.contribute(requester, fund["id"], 20_000)
    twice = await funds.contribute(requester, fund["id"], 20_000)

    requested = await reverse(gateway, requester, fund["id"], twice["transfer_id"])
    reversal = requested.json()
    url = f"/v1/funds/{fund['id']}/reversals/{reversal['id']}"
    own = await gateway.post(f"{url}/approve", headers=requester.keyed())
    first = await gateway.post(f"{url}/approve", headers=national.keyed())
    balance_while_waiting = (await funds.fund(fund["id"]))["balance_satang"]
    second = await gateway.post(f"{url}/approve", headers=south.keyed())

    assert requested.status_code == 201, requested.text
    assert own.status_code == 403
    assert (first.json()["status"], balance_while_waiting) == ("requested", 40_000)
    assert second.json()["status"] == "approved"
    assert (await funds.fund(fund["id"]))["balance_satang"] == 20_000
    entries = await funds.ledger(fund["id"])
    assert [(e["kind"], e["amount_satang"]) for e in entries] == [
        ("contribution", 20_000),
        ("contribution", 20_000),
        ("reversal", -20_000),
    ]
    assert (
        entries[1]["reversed_by_transfer_id"]
        == entries[2]["transfer_id"]
        == second.json()["reversal_transfer_id"]
    )
    assert entries[2]["reverses_transfer_id"] == twice["transfer_id"]
    assert set(await transfer_sums(database, fund["id"])) == {0}
    assert (await funds.verify(fund["id"]))["verified"] is True


async def test_a_transfer_is_reversed_at_most_once_and_a_reversal_is_never_reversed(
    gateway: httpx.AsyncClient, funds: FundsClient, person: People
) -> None:
    requester, national = await person("demo-provincial-93"), await person("demo-national")
    fund = await funds.open(requester, committee=[national], approvals_required=1)
    contribution = await funds.contribute(requester, fund["id"], 1_000)
    reversal = (await reverse(gateway, requester, fund["id"], contribution["transfer_id"])).json()

    while_open = await reverse(gateway, requester, fund["id"], contribution["transfer_id"])
    approved = await gateway.post(
        f"/v1/funds/{fund['id']}/reversals/{reversal['id']}/approve", headers=national.keyed()
    )
    again = await reverse(gateway, requester, fund["id"], contribution["transfer_id"])
    of_the_reversal = await reverse(gateway, requester, fund["id"], approved.json()["reversal_transfer_id"])

    assert approved.json()["status"] == "approved"
    for refused in (while_open, again, of_the_reversal):
        assert refused.status_code == 409
        assert refused.json()["type"].endswith("/not-reversible")


async def test_reversing_a_contribution_already_spent_fails_with_insufficient_funds(
    gateway: httpx.AsyncClient, funds: FundsClient, person: People
) -> None:
    requester, national = await person("demo-provincial-93"), await person("demo-national")
    fund = await funds.open(requester, committee=[national], approvals_required=1)
    contribution = await funds.contribute(requester, fund["id"], 10_000)
    spending = await funds.request(requester, fund["id"], 8_000)
    await funds.approve(national, fund["id"], spending["id"])
    reversal = (await reverse(gateway, requester, fund["id"], contribution["transfer_id"])).json()

    refused = await gateway.post(
        f"/v1/funds/{fund['id']}/reversals/{reversal['id']}/approve", headers=national.keyed()
    )

    assert refused.status_code == 409
    assert refused.json()["type"].endswith("/insufficient-funds")
    still = await gateway.get(f"/v1/funds/{fund['id']}/reversals/{reversal['id']}")
    assert (still.json()["status"], still.json()["approvals_count"]) == ("requested", 0)
    assert (await funds.fund(fund["id"]))["balance_satang"] == 10_000


async def test_a_paid_disbursement_reversed_returns_the_money_to_the_fund(
    gateway: httpx.AsyncClient, funds: FundsClient, person: People
) -> None:
    requester, national = await person("demo-provincial-93"), await person("demo-national")
    fund = await funds.open(requester, committee=[national], approvals_required=1)
    await funds.contribute(requester, fund["id"], 10_000)
    disbursement = await funds.request(requester, fund["id"], 4_000)
    await funds.approve(national, fund["id"], disbursement["id"])
    paid = await funds.pay(requester, fund["id"], disbursement["id"])
    reversal = (await reverse(gateway, requester, fund["id"], paid["transfer_id"])).json()

    await gateway.post(f"/v1/funds/{fund['id']}/reversals/{reversal['id']}/approve", headers=national.keyed())

    assert (await funds.fund(fund["id"]))["balance_satang"] == 10_000
    assert (await funds.verify(fund["id"]))["verified"] is True
    undone = (
        await gateway.get(
            f"/v1/funds/{fund['id']}/disbursements/{disbursement['id']}", headers=requester.headers
        )
    ).json()
    assert undone["status"] == "reversed"
    assert undone["transfer_id"] == paid["transfer_id"]
    assert [step["action"] for step in undone["history"]][-2:] == ["paid", "reversed"]
    assert undone["history"][-1]["actor"] == national.id


async def test_undoing_a_transfer_between_funds_needs_staff_of_both_funds(
    gateway: httpx.AsyncClient, funds: FundsClient, person: People
) -> None:
    phatthalung, chainat, national, south = (
        await person("demo-provincial-93"),
        await person("demo-provincial-18"),
        await person("demo-national"),
        await person("demo-regional-south"),
    )
    payer = await funds.open(phatthalung, committee=[national, south], approvals_required=1)
    payee = await funds.open(chainat, committee=[national, chainat], approvals_required=1, area="18")
    await funds.contribute(phatthalung, payer["id"], 10_000)
    sent = await funds.request(
        phatthalung, payer["id"], 10_000, payee_kind="fund", payee_name=None, to_fund_id=payee["id"]
    )
    await funds.approve(south, payer["id"], sent["id"])
    paid = await funds.pay(phatthalung, payer["id"], sent["id"])

    # staff of Phatthalung alone may not take the money back out of Chainat's fund
    refused = await reverse(gateway, phatthalung, payer["id"], paid["transfer_id"])
    assert refused.status_code == 403, refused.text
    # and it is Chainat's committee that approves money leaving Chainat's fund: asked through the payer, no
    via_payer = await reverse(gateway, national, payer["id"], paid["transfer_id"])
    assert via_payer.status_code == 409, via_payer.text
    assert via_payer.json()["type"].endswith("/not-reversible")
    assert via_payer.json()["through_fund_id"] == payee["id"]
    asked = await reverse(gateway, national, payee["id"], paid["transfer_id"])
    assert asked.status_code == 201, asked.text
    by_chainat = await gateway.post(
        f"/v1/funds/{payee['id']}/reversals/{asked.json()['id']}/approve", headers=chainat.keyed()
    )
    assert by_chainat.status_code == 403, by_chainat.text
    assert (await funds.fund(payee["id"]))["balance_satang"] == 10_000


async def test_undoing_a_transfer_the_payee_fund_has_spent_names_the_payee_fund_as_short(
    gateway: httpx.AsyncClient, funds: FundsClient, person: People
) -> None:
    requester, national = await person("demo-provincial-93"), await person("demo-national")
    payer = await funds.open(requester, committee=[national], approvals_required=1)
    payee = await funds.open(requester, committee=[national], approvals_required=1)
    await funds.contribute(requester, payer["id"], 10_000)
    sent = await funds.request(
        requester, payer["id"], 10_000, payee_kind="fund", payee_name=None, to_fund_id=payee["id"]
    )
    await funds.approve(national, payer["id"], sent["id"])
    paid = await funds.pay(requester, payer["id"], sent["id"])
    spending = await funds.request(requester, payee["id"], 8_000)
    await funds.approve(national, payee["id"], spending["id"])
    reversal = (await reverse(gateway, requester, payee["id"], paid["transfer_id"])).json()

    refused = await gateway.post(
        f"/v1/funds/{payee['id']}/reversals/{reversal['id']}/approve",
        headers={**national.keyed(), "Accept-Language": "th"},
    )

    assert refused.status_code == 409
    problem = refused.json()
    assert problem["type"].endswith("/insufficient-funds")
    assert (problem["fund_id"], problem["available_satang"], problem["amount_satang"]) == (
        payee["id"],
        2_000,
        10_000,
    )
    assert payee["id"] in problem["detail"]


async def test_reversals_asked_for_at_once_open_one_request_and_the_rest_name_it(
    gateway: httpx.AsyncClient, funds: FundsClient, person: People
) -> None:
    requester, national = await person("demo-provincial-93"), await person("demo-national")
    fund = await funds.open(requester, committee=[national], approvals_required=1)
    contribution = await funds.contribute(requester, fund["id"], 1_000)

    answers = await asyncio.gather(
        *(reverse(gateway, requester, fund["id"], contribution["transfer_id"]) for _ in range(24))
    )

    opened = [answer.json()["id"] for answer in answers if answer.status_code == 201]
    refused = [answer for answer in answers if answer.status_code != 201]
    assert len(opened) == 1
    assert {(answer.status_code, answer.json()["type"].rsplit("/", 1)[-1]) for answer in refused} == {
        (409, "not-reversible")
    }
    assert {str(answer.json().get("reversal_id")) for answer in refused} == {opened[0]}
