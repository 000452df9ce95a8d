"""A committee member's account deactivated at the gateway stops counting toward the requests waiting on
their committee (the funds worker follows the gateway's account events), and counts again once reactivated."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from tests.accounts.accounts import new_account, password_login
from tests.conftest import Login, bearer
from tests.funds.conftest import FundsClient, Person
from tests.stackrunner import RunningStack


async def _member(gateway: httpx.AsyncClient, stack: RunningStack, admin: str) -> Person:
    account = await new_account(gateway, stack, admin, [{"role": "tambon", "area": "930101"}])
    token = (await password_login(gateway, account["username"])).json()["access_token"]
    return Person(account["username"], account["id"], token)


async def _approvals_become(
    gateway: httpx.AsyncClient, path: str, reader: Person, count: int
) -> dict[str, Any]:
    """The request once its approvals count is `count` (the worker follows the event a moment later)."""
    body: dict[str, Any] = {}
    for _ in range(200):
        body = (await gateway.get(path, headers=reader.headers)).json()
        if body["approvals_count"] == count:
            return body
        await asyncio.sleep(0.05)
    raise AssertionError(f"approvals_count stayed {body.get('approvals_count')}, not {count}")


async def test_a_deactivated_members_approval_stops_counting_and_counts_again_once_reactivated(
    gateway: httpx.AsyncClient, stack: RunningStack, login: Login, funds: FundsClient
) -> None:
    admin = await login("demo-provincial-93")
    requester, first, second, third = [await _member(gateway, stack, admin) for _ in range(4)]
    fund = await funds.open(requester, committee=[first, second, third], approvals_required=2, area="930101")
    await funds.contribute(requester, fund["id"], 500_000)
    disbursement = await funds.request(requester, fund["id"], 200_000)
    path = f"/v1/funds/{fund['id']}/disbursements/{disbursement['id']}"
    assert (await funds.approve(first, fund["id"], disbursement["id"]))["approvals_count"] == 1

    deactivated = await gateway.post(f"/v1/users/{first.id}/deactivate", headers=bearer(admin))
    assert deactivated.status_code == 200, deactivated.text
    await _approvals_become(gateway, path, requester, 0)
    after_second = await funds.approve(second, fund["id"], disbursement["id"])
    assert (after_second["approvals_count"], after_second["status"]) == (1, "requested")

    reactivated = await gateway.post(f"/v1/users/{first.id}/reactivate", headers=bearer(admin))
    assert reactivated.status_code == 200, reactivated.text
    waiting = await _approvals_become(gateway, path, requester, 2)
    assert waiting["status"] == "requested"  # counted again; the next member's call completes it
    completed = await funds.approve(third, fund["id"], disbursement["id"])
    assert (completed["approvals_count"], completed["status"]) == (2, "approved")
    history = await gateway.get(f"/v1/funds/{fund['id']}/history", headers=requester.headers)
    approvers = [row["actor"] for row in history.json()["items"] if row["action"] == "approved"]
    assert sorted(approvers) == sorted([first.id, second.id])  # completing it recorded nothing more
