"""The overdraft race: many approvals at once never reserve more than the fund has; an approval that waited
for its request while the fund's committee or rule changed is judged by the fund as it is after the change."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable
from typing import Any

import asyncpg
import httpx

from tests.funds.conftest import FundsClient, People, Person, transfer_sums, yesterday


async def test_200_concurrent_approvals_reserve_exactly_what_is_available_and_paying_them_empties_the_fund(
    gateway: httpx.AsyncClient, funds: FundsClient, person: People, database: asyncpg.Connection
) -> None:
    requester, approver = await person("demo-provincial-93"), await person("demo-national")
    fund = await funds.open(requester, committee=[approver], approvals_required=1)
    await funds.contribute(requester, fund["id"], 100_000)
    requests = await asyncio.gather(*(funds.request(requester, fund["id"], 1_000) for _ in range(200)))
    observed: list[int] = []
    racing = True

    async def watch_available() -> None:
        while racing:
            observed.append((await funds.fund(fund["id"]))["available_satang"])

    watcher = asyncio.create_task(watch_available())
    answers = await asyncio.gather(
        *(funds.act(approver, fund["id"], request["id"], "approve") for request in requests)
    )
    racing = False
    await watcher

    approved = [a for a in answers if a.status_code == 200]
    refused = [a for a in answers if a.status_code == 409]
    assert [a.text for a in answers if a.status_code not in (200, 409)] == []
    assert len(approved) == 100
    assert len(refused) == 100
    assert all(a.json()["status"] == "approved" for a in approved)
    assert all(a.json()["type"].endswith("/insufficient-funds") for a in refused)
    assert observed
    assert min(observed) >= 0
    waiting = await gateway.get(
        f"/v1/funds/{fund['id']}/disbursements", params={"status": "requested", "limit": 200}
    )
    assert len(waiting.json()["items"]) == 100
    reserved = await funds.fund(fund["id"])
    assert (reserved["balance_satang"], reserved["reserved_satang"], reserved["available_satang"]) == (
        100_000,
        100_000,
        0,
    )

    payments = await asyncio.gather(
        *(
            funds.act(requester, fund["id"], a.json()["id"], "pay", {"payment_reference": "KTB"})
            for a in approved
        )
    )

    assert all(p.status_code == 200 for p in payments), [p.text for p in payments if p.status_code != 200]
    emptied = await funds.fund(fund["id"])
    assert (emptied["balance_satang"], emptied["reserved_satang"], emptied["available_satang"]) == (0, 0, 0)
    sums = await transfer_sums(database, fund["id"])
    assert len(sums) == 101
    assert set(sums) == {0}
    verification = await funds.verify(fund["id"])
    assert verification["verified"] is True
    assert verification["entries_checked"] == 101 + 1 + 100  # holdings, contributions, payouts


async def test_contributions_racing_approvals_and_payments_all_post_and_the_books_add_up(
    gateway: httpx.AsyncClient, funds: FundsClient, person: People, database: asyncpg.Connection
) -> None:
    # a contribution is one statement whose snapshot predates its account lock: payments releasing
    # reservations meanwhile must not make the overdraft guard refuse it
    requester, national, south = (
        await person("demo-provincial-93"),
        await person("demo-national"),
        await person("demo-regional-south"),
    )
    fund = await funds.open(requester, committee=[national, south], approvals_required=2)
    await funds.contribute(requester, fund["id"], 100_000)
    requests = [await funds.request(requester, fund["id"], 10_000) for _ in range(30)]
    for request in requests:
        await funds.approve(national, fund["id"], request["id"])

    async def approve_then_pay(request_id: str) -> list[int]:
        approved = await funds.act(south, fund["id"], request_id, "approve")
        if approved.status_code != 200:
            return [approved.status_code]
        paid = await funds.act(requester, fund["id"], request_id, "pay", {"payment_reference": "KTB"})
        return [approved.status_code, paid.status_code]

    async def contribute() -> list[int]:
        body = {"amount_satang": 5_000, "source_kind": "savings_group", "source_name": "กลุ่มออม"}
        posted = await gateway.post(
            f"/v1/funds/{fund['id']}/contributions",
            json={**body, "received_on": yesterday()},
            headers=requester.keyed(),
        )
        return [posted.status_code]

    answers = await asyncio.gather(
        *(approve_then_pay(r["id"]) for r in requests), *(contribute() for _ in range(30))
    )

    contributed = [codes for codes in answers[30:]]
    assert contributed == [[201]] * 30
    assert all(code in (200, 409) for codes in answers[:30] for code in codes)
    paid = sum(1 for codes in answers[:30] if codes == [200, 200])
    after = await funds.fund(fund["id"])
    assert after["balance_satang"] == 100_000 + 30 * 5_000 - paid * 10_000
    assert after["available_satang"] >= 0
    assert all(total == 0 for total in await transfer_sums(database, fund["id"]))
    assert (await funds.verify(fund["id"]))["verified"] is True


async def _changed_while_it_waits(
    database: asyncpg.Connection,
    disbursement_id: str,
    approval: Awaitable[httpx.Response],
    change: str,
    *args: object,
) -> httpx.Response:
    """`approval` sent while another transaction holds the request's row (as a PATCH of the committee or rule
    does) and, once the approval waits for that lock, makes `change` to the fund and commits."""
    async with database.transaction():
        await database.execute("SELECT 1 FROM funds.disbursements WHERE id = $1 FOR UPDATE", disbursement_id)
        sent = asyncio.ensure_future(approval)
        for _ in range(400):
            waiting = await database.fetchval(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                " AND query LIKE '%funds.disbursements%FOR NO KEY UPDATE%'"
            )
            if waiting or sent.done():
                break
            await asyncio.sleep(0.025)
        assert not sent.done(), (await sent).text
        await database.execute(change, *args)
    return await sent


async def _one_approval_needed(
    funds: FundsClient, person: People
) -> tuple[dict[str, Any], dict[str, Any], Person, Person]:
    """A funded fund whose committee (national, south) needs one approval; a disbursement waiting on it."""
    requester, national, south = (
        await person("demo-provincial-93"),
        await person("demo-national"),
        await person("demo-regional-south"),
    )
    fund = await funds.open(requester, committee=[national, south], approvals_required=1)
    await funds.contribute(requester, fund["id"], 10_000)
    disbursement = await funds.request(requester, fund["id"], 1_000)
    return fund, disbursement, national, south


async def test_an_approval_waiting_on_its_request_while_the_rule_is_raised_counts_under_the_new_rule(
    funds: FundsClient, person: People, database: asyncpg.Connection
) -> None:
    fund, disbursement, national, _ = await _one_approval_needed(funds, person)

    answer = await _changed_while_it_waits(
        database,
        disbursement["id"],
        funds.act(national, fund["id"], disbursement["id"], "approve"),
        "UPDATE funds.funds SET approvals_required = 2, version = version + 1 WHERE id = $1",
        fund["id"],
    )

    assert answer.status_code == 200, answer.text
    assert (answer.json()["status"], answer.json()["approvals_count"]) == ("requested", 1)
    assert (await funds.fund(fund["id"]))["reserved_satang"] == 0


async def test_an_approval_waiting_on_its_request_while_its_member_leaves_the_committee_is_refused(
    funds: FundsClient, person: People, database: asyncpg.Connection
) -> None:
    fund, disbursement, national, south = await _one_approval_needed(funds, person)

    answer = await _changed_while_it_waits(
        database,
        disbursement["id"],
        funds.act(national, fund["id"], disbursement["id"], "approve"),
        "UPDATE funds.funds SET committee = $2::jsonb, version = version + 1 WHERE id = $1",
        fund["id"],
        json.dumps([south.id]),
    )

    assert answer.status_code == 403, answer.text
    assert answer.json()["type"].endswith("/not-on-committee")
    assert (await funds.fund(fund["id"]))["reserved_satang"] == 0
