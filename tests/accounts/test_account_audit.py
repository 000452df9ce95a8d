"""The account actions an auditor asks about leave entries: a one-time code sent, a password set with it or
changed; a regional administrator reads the entries filed under their region; a wrong current password is
counted as a wrong login is."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from tests.accounts.accounts import PASSWORD, code_from_log, new_account, password_login
from tests.conftest import Login, bearer
from tests.e2e.test_problems import assert_problem
from tests.stackrunner import RunningStack


def a_moment_ago() -> str:
    """A `since` for the entries a test is about to make (the log's first page holds 200 at the most)."""
    return (datetime.now(UTC) - timedelta(seconds=5)).isoformat()


async def audited(gateway: httpx.AsyncClient, token: str, count: int, **filters: str) -> list[dict[str, Any]]:
    """The entries matching `filters` once there are `count` of them (appended in the request's transaction,
    or by the audit reader a moment after an event)."""
    items: list[dict[str, Any]] = []
    for _ in range(100):
        response = await gateway.get("/v1/audit", params={**filters, "limit": 200}, headers=bearer(token))
        assert response.status_code == 200, response.text
        items = response.json()["items"]
        if len(items) >= count:
            return items
        await asyncio.sleep(0.05)
    raise AssertionError(f"{len(items)} entries for {filters}, not {count}")


async def test_a_code_sent_and_the_password_set_with_it_then_changed_are_each_an_entry(
    gateway: httpx.AsyncClient, stack: RunningStack, login: Login
) -> None:
    admin, national = await login("demo-provincial-93"), await login("demo-national")
    since = a_moment_ago()
    account = await new_account(gateway, stack, admin, [{"role": "tambon", "area": "930101"}])
    sent = await gateway.post(f"/v1/users/{account['id']}/codes", headers=bearer(admin))
    code = await code_from_log(stack, account["id"], after=1)
    reset = await gateway.post(
        "/v1/auth/password",
        json={"username": account["username"], "code": code, "password": PASSWORD + "-ใหม่"},
    )
    token = (await password_login(gateway, account["username"], PASSWORD + "-ใหม่")).json()["access_token"]
    changed = await gateway.post(
        "/v1/me/password",
        json={"current_password": PASSWORD + "-ใหม่", "new_password": PASSWORD + "-อีกครั้ง"},
        headers=bearer(token),
    )

    theirs = await audited(gateway, national, 3, actor=f"user:{account['id']}", action="user.password_")
    codes = [
        entry
        for entry in await audited(gateway, national, 1, action="user.code_sent", since=since)
        if entry["subject_id"] == account["id"]
    ]

    assert sent.status_code == 200, sent.text
    assert reset.status_code == 204, reset.text
    assert changed.status_code == 204, changed.text
    assert [entry["action"] for entry in theirs] == ["user.password_set"] * 2 + ["user.password_changed"]
    assert {entry["area_code"] for entry in theirs} == {"93"}  # the province their grants lie in
    assert [(entry["details"], entry["actor"]) for entry in codes] == [({"kind": "reset"}, codes[0]["actor"])]
    assert codes[0]["actor"].startswith("user:")


async def test_a_regional_administrator_reads_the_entries_filed_under_the_region_itself(
    gateway: httpx.AsyncClient, stack: RunningStack, login: Login
) -> None:
    south = await login("demo-regional-south")
    since = a_moment_ago()
    account = await new_account(
        gateway, stack, south, [{"role": "provincial", "area": "93"}, {"role": "provincial", "area": "80"}]
    )

    created = [
        entry
        for entry in await audited(gateway, south, 1, action="user.created", area="south", since=since)
        if entry["subject_id"] == account["id"]
    ]

    assert [entry["area_code"] for entry in created] == ["south"]


async def test_wrong_current_passwords_are_throttled_as_wrong_logins_are(
    gateway: httpx.AsyncClient, stack: RunningStack, login: Login
) -> None:
    account = await new_account(
        gateway, stack, await login("demo-provincial-93"), [{"role": "tambon", "area": "930101"}]
    )
    token = (await password_login(gateway, account["username"])).json()["access_token"]

    tries = [
        await gateway.post(
            "/v1/me/password",
            json={"current_password": f"ผิด-{n}", "new_password": PASSWORD + "-ใหม่"},
            headers={**bearer(token), "Accept-Language": "th"},
        )
        for n in range(6)
    ]
    right_one = await password_login(gateway, account["username"])

    assert [t.status_code for t in tries] == [422] * 5 + [429]
    assert "retry-after" in tries[-1].headers
    assert "รหัสผ่าน" in assert_problem(tries[-1], 429)["title"] + tries[-1].json()["detail"]
    assert right_one.status_code == 429  # the account's count is the login's
