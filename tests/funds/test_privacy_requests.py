"""Data subject requests (PDPA): access shows what every service holds about a person; erasure leaves their
name and username nowhere — no table of any service, no event on the stream — while every ledger and the
audit log still verify."""

from __future__ import annotations

import uuid

import asyncpg
import httpx
from redis.asyncio import Redis

from tests.accounts.accounts import new_account, password_login
from tests.conftest import Login, bearer
from tests.e2e.test_problems import assert_problem, pointers
from tests.funds.conftest import FundsClient, People
from tests.stackrunner import RunningStack

SCHEMAS = ("gateway", "plans", "funds", "assessment")


async def _places_holding(database: asyncpg.Connection, needles: list[str]) -> list[str]:
    """Every (schema.table.column) of every service whose text somewhere contains one of `needles`."""
    columns = await database.fetch(
        """SELECT table_schema, table_name, column_name, data_type FROM information_schema.columns
           WHERE table_schema = ANY($1::text[])
             AND data_type IN ('text', 'character varying', 'jsonb', 'json', 'ARRAY', 'bytea')""",
        list(SCHEMAS),
    )
    found = []
    for column in columns:
        place = f'"{column["table_schema"]}"."{column["table_name"]}"'
        value = f'"{column["column_name"]}"'
        # bytes (a stored file) are searched as bytes; everything else as its text
        inside = (
            f"position(convert_to($1, 'UTF8') in {value})"
            if column["data_type"] == "bytea"
            else (f"position($1 in {value}::text)")
        )
        for needle in needles:
            if await database.fetchval(f"SELECT count(*) FROM {place} WHERE {inside} > 0", needle):
                found.append(f"{column['table_schema']}.{column['table_name']}.{column['column_name']}")
    return found


async def test_an_erasure_leaves_the_persons_names_nowhere_and_every_chain_still_verifies(
    gateway: httpx.AsyncClient,
    stack: RunningStack,
    funds: FundsClient,
    person: People,
    login: Login,
    database: asyncpg.Connection,
) -> None:
    national = await login("demo-national")
    owner, chair = await person("demo-provincial-93"), await person("demo-national")
    name = f"นางสมศรี ใจงาม {uuid.uuid4().hex[:6]}"
    account = await new_account(gateway, stack, national, [{"role": "tambon", "area": "930101"}])
    await gateway.patch(
        f"/v1/users/{account['id']}",
        json={"display_name": name},
        headers={**bearer(national), "If-Match": "*"},
    )
    await password_login(gateway, account["username"])
    await password_login(gateway, account["username"], "ไม่ใช่รหัสผ่าน")
    fund = await funds.open(owner, committee=[chair], approvals_required=1)
    await funds.contribute(owner, fund["id"], 20_000, kind="individual", name=name)
    paid = await funds.request(owner, fund["id"], 5_000, payee_kind="individual", payee_name=name)
    await funds.approve(chair, fund["id"], paid["id"])
    await funds.pay(owner, fund["id"], paid["id"])
    forum = await gateway.post(
        "/v1/forums",
        json={
            "area_code": "93",
            "title_th": "เวทีพื้นที่กลางจังหวัดพัทลุง",
            "held_on": "2026-11-20",
            "attendee_names": [name],
        },
        headers=owner.keyed(),
    )
    body = {"user_id": account["id"], "names": [name]}

    nobody = await gateway.post("/v1/privacy/requests", json={"kind": "access"}, headers=bearer(national))
    made_up = await gateway.post(
        "/v1/privacy/requests",
        json={"kind": "access", "user_id": str(uuid.uuid4())},
        headers=bearer(national),
    )
    as_provincial = await gateway.post(
        "/v1/privacy/requests", json={**body, "kind": "access"}, headers=owner.keyed()
    )
    access = await gateway.post(
        "/v1/privacy/requests", json={**body, "kind": "access"}, headers=bearer(national)
    )
    before = await _places_holding(database, [name, account["username"]])
    erasure = await gateway.post(
        "/v1/privacy/requests", json={**body, "kind": "erasure"}, headers=bearer(national)
    )
    after = await _places_holding(database, [name, account["username"]])
    redis = Redis.from_url(stack.state["redis_url"])
    try:
        stream = await redis.xrange("khabuan:events")
    finally:
        await redis.aclose()
    ledger = await gateway.get(f"/v1/funds/{fund['id']}/ledger/verify")
    audit = await gateway.get("/v1/audit/verify", headers=bearer(national))
    signs_in = await password_login(gateway, account["username"])
    logged = await gateway.get("/v1/audit", params={"action": "privacy."}, headers=bearer(national))

    assert forum.status_code == 201, forum.text
    assert_problem(nobody, 422)  # their account or a name, at least
    assert pointers(assert_problem(made_up, 422)) == {"/user_id"}
    assert_problem(as_provincial, 403)
    assert access.status_code == 200, access.text
    held = {entry["service"]: entry["records"] for entry in access.json()["held"]}
    assert [row["source_name"] for row in held["funds"]["contributions"]] == [name]
    assert [row["payee_name"] for row in held["funds"]["disbursements"]] == [name]
    assert [row["forum_id"] for row in held["plans"]["forum_attendance"]] == [forum.json()["id"]]
    assert access.json()["account"]["display_name"] == name
    assert len(held["gateway"]["audit_entries"]) >= 2  # their login and their failed one
    assert before, "the test must first put the name somewhere"
    assert erasure.status_code == 200, erasure.text
    assert after == []
    assert not any(
        name.encode() in value or account["username"].encode() in value
        for _, fields in stream
        for value in fields.values()
    )
    assert ledger.json()["verified"] is True, ledger.json()
    assert audit.json()["verified"] is True, audit.json()
    assert signs_in.status_code == 400  # the account is gone
    assert {entry["action"] for entry in logged.json()["items"]} >= {"privacy.access", "privacy.erasure"}
