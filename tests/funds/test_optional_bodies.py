"""A POST whose body the spec marks optional (approve, cancel) runs with no body at all, or with an empty one
under a JSON content type, as clients and generators send them."""

from __future__ import annotations

import httpx
import pytest

from tests.funds.conftest import FundsClient, People


@pytest.mark.parametrize(
    ("content", "extra"),
    [(None, {}), (b"", {"Content-Type": "application/json"})],
    ids=["no body", "empty JSON body"],
)
async def test_approve_and_cancel_take_no_body(
    gateway: httpx.AsyncClient,
    funds: FundsClient,
    person: People,
    content: bytes | None,
    extra: dict[str, str],
) -> None:
    requester, national = await person("demo-provincial-93"), await person("demo-national")
    fund = await funds.open(requester, committee=[national, requester])
    await funds.contribute(requester, fund["id"], 50_000)
    approved = await funds.request(requester, fund["id"], 10_000)
    withdrawn = await funds.request(requester, fund["id"], 10_000)
    base = f"/v1/funds/{fund['id']}/disbursements"

    approve = await gateway.post(
        f"{base}/{approved['id']}/approve",
        content=content,
        headers={**national.keyed(), **extra},
    )
    cancel = await gateway.post(
        f"{base}/{withdrawn['id']}/cancel",
        content=content,
        headers={**requester.keyed(), **extra},
    )

    assert approve.status_code == 200, approve.text
    assert approve.json()["approvals_count"] == 1
    assert cancel.status_code == 200, cancel.text
    assert cancel.json()["status"] == "cancelled"
