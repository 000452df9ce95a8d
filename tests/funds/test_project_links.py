"""Links to money: a disbursement's project is checked with the plans service (an unknown one is 422; plans
out of reach is 503 and nothing is written), and a paid one shows on the project, learnt from the funds'
events — plans never reads the funds' tables."""

from __future__ import annotations

import asyncio
import uuid

import httpx
import pytest

from services.common import errors
from services.common.peers import Peer
from services.common.settings import Settings
from tests.funds.conftest import FundsClient, People
from tests.plans.test_projects import project

PROJECT_YEAR = 2642


async def shown_on_project(gateway: httpx.AsyncClient, project_id: str, count: int) -> dict[str, object]:
    """The project's payments once `count` arrived (the plans worker reads the events as they come)."""
    for _ in range(300):
        response = await gateway.get(f"/v1/projects/{project_id}/disbursements")
        assert response.status_code == 200, response.text
        if len(response.json()["items"]) >= count:
            return dict(response.json())
        await asyncio.sleep(0.1)
    raise AssertionError(f"project {project_id} never showed {count} payment(s)")


async def test_a_disbursement_naming_an_unknown_project_is_422_and_writes_nothing(
    gateway: httpx.AsyncClient, funds: FundsClient, person: People
) -> None:
    requester, national = await person("demo-provincial-93"), await person("demo-national")
    fund = await funds.open(requester, committee=[requester, national], approvals_required=1)
    await funds.contribute(requester, fund["id"], 10_000)
    body = {
        "amount_satang": 1_000,
        "purpose": "ค่าวัสดุ",
        "payee_kind": "organisation",
        "payee_name": "กลุ่มออมทรัพย์",
        "project_id": str(uuid.uuid4()),
    }

    refused = await gateway.post(
        f"/v1/funds/{fund['id']}/disbursements", json=body, headers=requester.keyed()
    )
    listed = await gateway.get(f"/v1/funds/{fund['id']}/disbursements")

    assert refused.status_code == 422, refused.text
    assert [error["pointer"] for error in refused.json()["errors"]] == ["/project_id"]
    assert listed.json()["items"] == []


async def test_a_paid_disbursement_shows_on_its_project(
    gateway: httpx.AsyncClient, funds: FundsClient, person: People
) -> None:
    requester, national = await person("demo-provincial-93"), await person("demo-national")
    opened = await gateway.post("/v1/projects", json=project("93", PROJECT_YEAR), headers=national.headers)
    assert opened.status_code == 201, opened.text
    project_id = opened.json()["id"]
    fund = await funds.open(requester, committee=[requester, national], approvals_required=1)
    await funds.contribute(requester, fund["id"], 50_000)
    other_province = await gateway.post(
        "/v1/projects", json=project("18", PROJECT_YEAR), headers=national.headers
    )

    disbursement = await funds.request(requester, fund["id"], 20_000, project_id=project_id)
    await funds.approve(national, fund["id"], disbursement["id"])
    await funds.pay(requester, fund["id"], disbursement["id"])
    elsewhere = await gateway.post(
        f"/v1/funds/{fund['id']}/disbursements",
        json={
            "amount_satang": 1_000,
            "purpose": "ค่าวัสดุ",
            "payee_kind": "organisation",
            "payee_name": "กลุ่มออมทรัพย์",
            "project_id": other_province.json()["id"],
        },
        headers=requester.keyed(),
    )
    shown = await shown_on_project(gateway, project_id, 1)

    assert disbursement["project_verification"] == "verified"
    assert elsewhere.status_code == 422  # a Phatthalung fund does not pay for Chai Nat's project
    assert shown["paid_satang"] == 20_000
    items: list[dict[str, object]] = shown["items"]  # type: ignore[assignment]
    [payment] = items
    assert payment["disbursement_id"] == disbursement["id"]
    assert payment["status"] == "paid"


async def test_a_peer_out_of_reach_is_503_to_retry() -> None:
    peer = Peer(
        Settings(token_url="http://127.0.0.1:9/v1/auth/token"),
        caller="funds",
        name="plans",
        base_url="http://127.0.0.1:9",
    )

    with pytest.raises(errors.ServiceUnavailable) as raised:
        await peer.get(f"/v1/projects/{uuid.uuid4()}")

    assert raised.value.headers["Retry-After"] == "5"
