"""Changing a fund's committee or approval rule settles the requests waiting on the committee: approvals
already given are counted again under the new rule, in the same transaction as the change."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import asyncpg
import httpx

from tests.funds.conftest import FundsClient, People, Person
from tests.funds.test_reversals import reverse


async def lower_the_rule(
    gateway: httpx.AsyncClient, editor: Person, fund_id: str, to: int
) -> dict[str, object]:
    changed = await gateway.patch(
        f"/v1/funds/{fund_id}", json={"approvals_required": to}, headers={**editor.headers, "If-Match": "*"}
    )
    assert changed.status_code == 200, changed.text
    return dict(changed.json())


async def all_three_needed(
    funds: FundsClient, person: People
) -> tuple[Person, Person, Person, dict[str, Any]]:
    """A fund whose committee of three must all approve, one of them the requester: whatever the requester
    asks for, the two others' approvals are all it can ever get."""
    requester, national, south = (
        await person("demo-provincial-93"),
        await person("demo-national"),
        await person("demo-regional-south"),
    )
    fund = await funds.open(requester, committee=[requester, national, south], approvals_required=3)
    return requester, national, south, fund


async def test_lowering_the_rule_approves_a_request_whose_every_possible_approval_is_already_in(
    gateway: httpx.AsyncClient, funds: FundsClient, person: People
) -> None:
    requester, national, south, fund = await all_three_needed(funds, person)
    await funds.contribute(requester, fund["id"], 10_000)
    disbursement = await funds.request(requester, fund["id"], 6_000)
    await funds.approve(national, fund["id"], disbursement["id"])
    stuck = await funds.approve(south, fund["id"], disbursement["id"])
    assert (stuck["status"], stuck["approvals_count"]) == ("requested", 2)

    changed = await lower_the_rule(gateway, requester, fund["id"], 2)

    assert (changed["reserved_satang"], changed["available_satang"]) == (6_000, 4_000)
    now = (
        await gateway.get(
            f"/v1/funds/{fund['id']}/disbursements/{disbursement['id']}", headers=requester.headers
        )
    ).json()
    assert (now["status"], now["approvals_count"], now["approvals_required"]) == ("approved", 2, 2)
    assert (now["history"][-1]["action"], now["history"][-1]["actor"]) == ("reserved", requester.id)
    paid = await funds.pay(requester, fund["id"], disbursement["id"])
    assert paid["status"] == "paid"
    assert (await funds.fund(fund["id"]))["balance_satang"] == 4_000


async def test_a_request_the_fund_cannot_cover_stays_requested_when_the_rule_is_lowered(
    gateway: httpx.AsyncClient, funds: FundsClient, person: People
) -> None:
    requester, national, south, fund = await all_three_needed(funds, person)
    await funds.contribute(requester, fund["id"], 5_000)
    covered = await funds.request(requester, fund["id"], 4_000)
    too_big = await funds.request(requester, fund["id"], 4_000)
    for disbursement in (covered, too_big):
        await funds.approve(national, fund["id"], disbursement["id"])
        await funds.approve(south, fund["id"], disbursement["id"])

    changed = await lower_the_rule(gateway, requester, fund["id"], 2)

    statuses = [
        (await gateway.get(f"/v1/funds/{fund['id']}/disbursements/{d['id']}")).json()["status"]
        for d in (covered, too_big)
    ]
    assert statuses == ["approved", "requested"]  # the earlier request first; the later one does not fit
    assert (changed["reserved_satang"], changed["available_satang"]) == (4_000, 1_000)
    assert (await funds.verify(fund["id"]))["verified"] is True


async def test_a_member_taken_off_the_committee_no_longer_counts_on_a_waiting_request(
    gateway: httpx.AsyncClient, funds: FundsClient, person: People
) -> None:
    requester, national, south = (
        await person("demo-provincial-93"),
        await person("demo-national"),
        await person("demo-regional-south"),
    )
    fund = await funds.open(requester, committee=[national, south, requester], approvals_required=2)
    await funds.contribute(requester, fund["id"], 5_000)
    disbursement = await funds.request(requester, fund["id"], 1_000)
    await funds.approve(national, fund["id"], disbursement["id"])

    changed = await gateway.patch(
        f"/v1/funds/{fund['id']}",
        json={"committee": [south.id, requester.id]},
        headers={**requester.headers, "If-Match": "*"},
    )

    assert changed.status_code == 200, changed.text
    now = (await gateway.get(f"/v1/funds/{fund['id']}/disbursements/{disbursement['id']}")).json()
    assert (now["status"], now["approvals_count"]) == ("requested", 0)


async def test_lowering_the_rule_posts_a_reversal_that_now_has_its_approvals(
    gateway: httpx.AsyncClient, funds: FundsClient, person: People
) -> None:
    requester, national, south, fund = await all_three_needed(funds, person)
    await funds.contribute(requester, fund["id"], 7_000)
    twice = await funds.contribute(requester, fund["id"], 7_000)
    reversal = (await reverse(gateway, requester, fund["id"], twice["transfer_id"])).json()
    for member in (national, south):
        approved = await gateway.post(
            f"/v1/funds/{fund['id']}/reversals/{reversal['id']}/approve", headers=member.keyed()
        )
        assert approved.json()["status"] == "requested", approved.text

    changed = await lower_the_rule(gateway, requester, fund["id"], 2)

    assert changed["balance_satang"] == 7_000
    now = (await gateway.get(f"/v1/funds/{fund['id']}/reversals/{reversal['id']}")).json()
    assert (now["status"], now["approvals_count"]) == ("approved", 2)
    assert now["reversal_transfer_id"] is not None
    assert (await funds.verify(fund["id"]))["verified"] is True


async def test_a_member_completes_a_request_that_had_enough_approvals_but_not_enough_money(
    gateway: httpx.AsyncClient, funds: FundsClient, person: People
) -> None:
    requester, national, south, fund = await all_three_needed(funds, person)
    disbursement = await funds.request(requester, fund["id"], 4_000)
    await funds.approve(national, fund["id"], disbursement["id"])
    await funds.approve(south, fund["id"], disbursement["id"])
    await lower_the_rule(gateway, requester, fund["id"], 2)  # enough approvals now, but no money yet
    short = await funds.act(national, fund["id"], disbursement["id"], "approve")
    await funds.contribute(requester, fund["id"], 5_000)

    completed = await funds.approve(national, fund["id"], disbursement["id"])

    assert short.status_code == 409
    assert short.json()["type"].endswith("/insufficient-funds")
    assert (completed["status"], completed["approvals_count"]) == ("approved", 2)
    assert (await funds.fund(fund["id"]))["reserved_satang"] == 4_000


async def test_a_rule_change_waits_for_an_approval_in_flight_instead_of_deadlocking_with_it(
    gateway: httpx.AsyncClient, funds: FundsClient, person: People, database: asyncpg.Connection
) -> None:
    requester, national, _, fund = await all_three_needed(funds, person)
    await funds.contribute(requester, fund["id"], 10_000)
    disbursement = await funds.request(requester, fund["id"], 1_000)
    await funds.approve(national, fund["id"], disbursement["id"])

    # an approval in flight, played on the database: it holds the request's row, then takes the fund's
    # account and its event sequence, as approve does
    async with database.transaction():
        await database.execute(
            "SELECT 1 FROM funds.disbursements WHERE id = $1 FOR UPDATE", uuid.UUID(disbursement["id"])
        )
        patch = asyncio.create_task(
            gateway.patch(
                f"/v1/funds/{fund['id']}",
                json={"approvals_required": 2},
                headers={**requester.headers, "If-Match": "*"},
            )
        )
        await asyncio.sleep(1.0)  # the PATCH is on its way to the locks
        await database.execute(
            "UPDATE funds.ledger_accounts SET revision = revision"
            " WHERE owner_id = $1 AND purpose = 'holdings'",
            uuid.UUID(fund["id"]),
        )
        await database.execute(
            "INSERT INTO funds.event_sequences (aggregate_type, aggregate_id, last_sequence)"
            " VALUES ('fund', $1, 1) ON CONFLICT (aggregate_type, aggregate_id)"
            " DO UPDATE SET last_sequence = funds.event_sequences.last_sequence",
            fund["id"],
        )
    patched = await patch

    assert patched.status_code == 200, patched.text
    now = (await gateway.get(f"/v1/funds/{fund['id']}/disbursements/{disbursement['id']}")).json()
    assert now["status"] == "requested"  # one approval of the two now needed


async def test_renaming_a_fund_while_a_request_records_a_step_on_it_does_not_deadlock(
    gateway: httpx.AsyncClient, funds: FundsClient, person: People, database: asyncpg.Connection
) -> None:
    requester = await person("demo-provincial-93")
    fund = await funds.open(requester, committee=[])
    await funds.contribute(requester, fund["id"], 1_000)
    fund_id = uuid.UUID(fund["id"])

    # an approval in flight, played on the database: recording its step checks the fund's key (FOR KEY
    # SHARE, as the history row's foreign key does), then it reserves on the fund's account
    async with database.transaction():
        await database.execute("SELECT 1 FROM funds.funds WHERE id = $1 FOR KEY SHARE", fund_id)
        patch = asyncio.create_task(
            gateway.patch(
                f"/v1/funds/{fund['id']}",
                json={"name_en": "Renamed"},
                headers={**requester.headers, "If-Match": "*"},
            )
        )
        await asyncio.sleep(1.0)  # the PATCH is on its way to the locks
        await database.execute(
            "UPDATE funds.ledger_accounts SET revision = revision"
            " WHERE owner_id = $1 AND purpose = 'holdings'",
            fund_id,
        )
    patched = await patch

    assert patched.status_code == 200, patched.text
    assert patched.json()["name_en"] == "Renamed"
