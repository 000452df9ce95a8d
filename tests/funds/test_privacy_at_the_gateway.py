"""What a data subject request does at the gateway itself: the account found by a national ID alone, the
gateway's own answers kept for retries erased too, and an erasure that replaces names only — never an amount
or a status in the audit log, whatever "name" it is given."""

from __future__ import annotations

import asyncio
import uuid

import asyncpg
import httpx

from tests.accounts.accounts import national_id
from tests.conftest import Login, bearer
from tests.funds.conftest import FundsClient, People


def _number() -> str:
    return national_id(f"1930{uuid.uuid4().int % 10**8:08d}")


async def _created_with_a_key(
    gateway: httpx.AsyncClient, admin: str, key: str, number: str
) -> httpx.Response:
    return await gateway.post(
        "/v1/users",
        json={
            "username": f"qa-{key[:8]}",
            "display_name": f"นางสาวทดสอบ ลบได้ {key[:6]}",
            "grants": [{"role": "tambon", "area": "930101"}],
            "national_id": number,
            "birth_date": "1990-03-04",
        },
        headers={**bearer(admin), "Idempotency-Key": key},
    )


async def test_a_request_by_national_id_alone_finds_the_account_and_its_erasure_reaches_the_kept_answers(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    provincial, national = await login("demo-provincial-93"), await login("demo-national")
    key, number = uuid.uuid4().hex, _number()
    created = await _created_with_a_key(gateway, provincial, key, number)
    assert created.status_code == 201, created.text
    name = created.json()["display_name"]

    access = await gateway.post(
        "/v1/privacy/requests", json={"kind": "access", "national_ids": [number]}, headers=bearer(national)
    )
    erasure = await gateway.post(
        "/v1/privacy/requests", json={"kind": "erasure", "national_ids": [number]}, headers=bearer(national)
    )
    replayed = await _created_with_a_key(gateway, provincial, key, number)
    account = await gateway.get(f"/v1/users/{created.json()['id']}", headers=bearer(national))

    assert access.status_code == 200, access.text
    assert access.json()["account"]["id"] == created.json()["id"]
    assert erasure.status_code == 200, erasure.text
    gateway_changed = next(e["changed"] for e in erasure.json()["erased"] if e["service"] == "gateway")
    assert gateway_changed["stored_answers"] >= 1
    assert account.json()["national_id_last4"] is None
    assert replayed.headers.get("idempotency-replayed") == "true"
    assert name not in replayed.text
    assert created.json()["username"] not in replayed.text
    assert replayed.json()["display_name"] == erasure.json()["pseudonym"]
    assert (replayed.json()["national_id_last4"], replayed.json()["birth_date"]) == (None, None)


async def _audited_contribution(database: asyncpg.Connection, amount: int) -> asyncpg.Record:
    """The contribution's audit entry (the audit reader follows its event a moment later)."""
    for _ in range(200):
        entry = await database.fetchrow(
            "SELECT seq, details FROM gateway.audit_entries WHERE action = 'fund.contribution.posted'"
            " AND (details->>'amount_satang')::bigint = $1",
            amount,
        )
        if entry is not None:
            return entry
        await asyncio.sleep(0.05)
    raise AssertionError(f"no audit entry for the contribution of {amount}")


async def test_an_erasure_given_an_amount_or_a_status_as_a_name_changes_no_figure_of_the_audit_log(
    gateway: httpx.AsyncClient, login: Login, funds: FundsClient, person: People, database: asyncpg.Connection
) -> None:
    national = await login("demo-national")
    owner = await person("demo-provincial-93")
    fund = await funds.open(owner, committee=[])
    amount = 7_000_000 + uuid.uuid4().int % 999_999
    await funds.contribute(owner, fund["id"], amount)
    entry = await _audited_contribution(database, amount)

    erasure = await gateway.post(
        "/v1/privacy/requests",
        json={"kind": "erasure", "names": [str(amount), "posted"]},
        headers=bearer(national),
    )
    after = await database.fetchval("SELECT details FROM gateway.audit_entries WHERE seq = $1", entry["seq"])
    await database.execute(
        "UPDATE gateway.audit_entries SET erased_at = now(),"
        " details = jsonb_set(details, '{amount_satang}', '\"ผู้ถูกลบข้อมูล-0a1b2c3d\"') WHERE seq = $1",
        entry["seq"],
    )
    forged = (await gateway.get("/v1/audit/verify", headers=bearer(national))).json()
    await database.execute(
        "UPDATE gateway.audit_entries SET erased_at = NULL, details = $2 WHERE seq = $1",
        entry["seq"],
        entry["details"],
    )

    assert erasure.status_code == 200, erasure.text
    assert after == entry["details"]
    assert forged["first_broken"] == {"seq": entry["seq"], "problem": "changed"}, forged


async def test_a_payee_erased_by_national_id_alone_is_gone_from_the_answer_kept_for_a_retry_too(
    gateway: httpx.AsyncClient, login: Login, funds: FundsClient, person: People
) -> None:
    requester, national = await person("demo-provincial-93"), await person("demo-national")
    fund = await funds.open(requester, committee=[national])
    number, name, key = _number(), f"นายผู้รับเงิน ลบได้ {uuid.uuid4().hex[:6]}", str(uuid.uuid4())
    body = {
        "amount_satang": 100,
        "purpose": "ค่าแรง",
        "payee_kind": "individual",
        "payee_name": name,
        "payee_national_id": number,
    }
    path = f"/v1/funds/{fund['id']}/disbursements"
    requested = await gateway.post(path, json=body, headers=requester.keyed(key))

    erasure = await gateway.post(
        "/v1/privacy/requests", json={"kind": "erasure", "national_ids": [number]}, headers=national.headers
    )
    replayed = await gateway.post(path, json=body, headers=requester.keyed(key))

    assert requested.status_code == 201, requested.text
    assert requested.json()["payee_national_id_last4"] == number[-4:]
    funds_changed = next(e["changed"] for e in erasure.json()["erased"] if e["service"] == "funds")
    assert (funds_changed["disbursements"], funds_changed["stored_answers"]) == (1, 1)
    assert replayed.headers.get("idempotency-replayed") == "true"
    assert name not in replayed.text
    assert replayed.json()["payee_name"] == erasure.json()["pseudonym"]
    assert replayed.json()["payee_national_id_last4"] is None
