"""`make run` comes with demo funds: Phatthalung and Chai Nat pools with contributions of four kinds and
disbursements in every state, on ledgers that verify."""

from __future__ import annotations

import httpx
import pytest

from services.funds.disbursements.models import DisbursementStatus
from tests.funds.conftest import FundsClient


@pytest.mark.parametrize("area", ["93", "18"])
async def test_the_demo_pool_has_contributions_of_four_kinds_and_disbursements_in_every_state(
    gateway: httpx.AsyncClient, funds: FundsClient, area: str
) -> None:
    listed = await gateway.get("/v1/funds", params={"area": area, "kind": "pooled_province", "limit": 200})
    [pool] = [fund for fund in listed.json()["items"] if fund["name_th"].endswith("(สาธิต)")]

    contributions = (await gateway.get(f"/v1/funds/{pool['id']}/contributions")).json()["items"]
    disbursements = (await gateway.get(f"/v1/funds/{pool['id']}/disbursements")).json()["items"]

    assert {c["source_kind"] for c in contributions} >= {
        "savings_group",
        "welfare_fund",
        "codi_grant",
        "partner",
    }
    assert {d["status"] for d in disbursements} == {status.value for status in DisbursementStatus}
    assert pool["reserved_satang"] == sum(
        d["amount_satang"] for d in disbursements if d["status"] == "approved"
    )
    assert (await funds.verify(pool["id"]))["verified"] is True
