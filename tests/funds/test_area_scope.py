"""Area scope: a provincial user of Chai Nat (18) changes nothing in a fund of Phatthalung (93) — even when
named on its committee."""

from __future__ import annotations

import httpx

from tests.funds.conftest import FundsClient, People


async def test_a_provincial_user_of_18_is_refused_every_write_to_a_fund_of_93(
    gateway: httpx.AsyncClient, funds: FundsClient, person: People
) -> None:
    owner, national, outsider = (
        await person("demo-provincial-93"),
        await person("demo-national"),
        await person("demo-provincial-18"),
    )
    fund = await funds.open(owner, committee=[national], approvals_required=1)  # an outsider cannot sit on it
    contribution = await funds.contribute(owner, fund["id"], 50_000)
    waiting = await funds.request(owner, fund["id"], 1_000)
    approved = await funds.request(owner, fund["id"], 2_000)
    await funds.approve(national, fund["id"], approved["id"])
    base = f"/v1/funds/{fund['id']}"
    before = await funds.fund(fund["id"])

    attempts = {
        "contribute": await gateway.post(
            f"{base}/contributions",
            json={
                "amount_satang": 100,
                "source_kind": "other",
                "source_name": "x",
                "received_on": "2024-09-05",
            },
            headers=outsider.keyed(),
        ),
        "disburse": await gateway.post(
            f"{base}/disbursements",
            json={"amount_satang": 100, "purpose": "x", "payee_kind": "organisation", "payee_name": "x"},
            headers=outsider.keyed(),
        ),
        "approve": await funds.act(outsider, fund["id"], waiting["id"], "approve"),
        "pay": await funds.act(outsider, fund["id"], approved["id"], "pay", {"payment_reference": "x"}),
        "reverse": await gateway.post(
            f"{base}/transfers/{contribution['transfer_id']}/reversal",
            json={"reason": "x"},
            headers=outsider.keyed(),
        ),
        "patch": await gateway.patch(
            base, json={"committee": [outsider.id]}, headers={**outsider.headers, "If-Match": "*"}
        ),
    }

    assert {name: r.status_code for name, r in attempts.items()} == dict.fromkeys(attempts, 403)
    assert all(r.json()["type"].endswith("/outside-area") for r in attempts.values())
    assert await funds.fund(fund["id"]) == before
