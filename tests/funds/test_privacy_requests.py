"""Data subject requests (PDPA): access shows what every service holds about a person; erasure leaves their
name, username, national ID hash and birth date nowhere — no table of any service, no event on the stream —
while every ledger and the audit log still verify. The national ID itself is never stored at all."""

from __future__ import annotations

import asyncio
import uuid
from datetime import date

import asyncpg
import httpx
from redis.asyncio import Redis

from tests.accounts.accounts import national_id, new_account, password_login
from tests.conftest import Login, bearer
from tests.e2e.test_problems import assert_problem, pointers
from tests.funds.conftest import FundsClient, People
from tests.stackrunner import RunningStack

SCHEMAS = ("gateway", "plans", "funds", "assessment")


async def _places_holding(database: asyncpg.Connection, needles: list[str]) -> dict[str, str]:
    """Every (schema.table.column) of every service whose text somewhere contains one of `needles`, with
    a piece of the first value found (so a failure says what held it: an event's type, a row's field)."""
    columns = await database.fetch(
        """SELECT table_schema, table_name, column_name, data_type FROM information_schema.columns
           WHERE table_schema = ANY($1::text[])
             AND data_type IN ('text', 'character varying', 'jsonb', 'json', 'ARRAY', 'bytea')""",
        list(SCHEMAS),
    )
    found: dict[str, str] = {}
    for column in columns:
        place = f'"{column["table_schema"]}"."{column["table_name"]}"'
        value = f'"{column["column_name"]}"'
        # bytes (a stored file, a logged event) are searched as bytes; everything else as its text
        binary = column["data_type"] == "bytea"
        text = f"encode({value}, 'escape')" if binary else f"{value}::text"
        inside = (
            f"position(convert_to($1, 'UTF8') in {value})" if binary else f"position($1 in {value}::text)"
        )
        for needle in needles:
            held = await database.fetchval(
                f"SELECT left({text}, 600) FROM {place} WHERE {inside} > 0 LIMIT 1", needle
            )
            if held is not None:
                found[f"{column['table_schema']}.{column['table_name']}.{column['column_name']}"] = held
    return found


async def _places_dated(database: asyncpg.Connection, day: date) -> list[str]:
    """Every (schema.table.column) of a date column holding `day`."""
    columns = await database.fetch(
        """SELECT table_schema, table_name, column_name FROM information_schema.columns
           WHERE table_schema = ANY($1::text[]) AND data_type = 'date'""",
        list(SCHEMAS),
    )
    return [
        f"{c['table_schema']}.{c['table_name']}.{c['column_name']}"
        for c in columns
        if await database.fetchval(
            f'SELECT count(*) FROM "{c["table_schema"]}"."{c["table_name"]}" WHERE "{c["column_name"]}" = $1',
            day,
        )
    ]


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
    number = national_id(f"3930{uuid.uuid4().int % 10**8:08d}")
    born = date(1961, 7, 23)
    account = await new_account(gateway, stack, national, [{"role": "tambon", "area": "930101"}])
    patched = await gateway.patch(
        f"/v1/users/{account['id']}",
        json={"display_name": name, "national_id": number, "birth_date": born.isoformat()},
        headers={**bearer(national), "If-Match": "*"},
    )
    assert patched.status_code == 200, patched.text
    id_hash = await database.fetchval(
        "SELECT national_id_hash FROM gateway.users WHERE id = $1", uuid.UUID(account["id"])
    )
    await password_login(gateway, account["username"])
    await password_login(gateway, account["username"], "ไม่ใช่รหัสผ่าน")
    fund = await funds.open(owner, committee=[chair], approvals_required=1)
    await funds.contribute(owner, fund["id"], 20_000, kind="individual", name=name)
    paid = await funds.request(
        owner, fund["id"], 5_000, payee_kind="individual", payee_name=name, payee_national_id=number
    )
    # under a nickname, found by her national ID alone
    await funds.request(
        owner, fund["id"], 1_000, payee_kind="individual", payee_name="ป้าศรี", payee_national_id=number
    )
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
    before = await _places_holding(database, [name, account["username"], id_hash])
    dated_before = await _places_dated(database, born)
    erasure = await gateway.post(
        "/v1/privacy/requests", json={**body, "kind": "erasure"}, headers=bearer(national)
    )
    after = await _places_holding(database, [name, account["username"], id_hash, born.isoformat()])
    dated_after = await _places_dated(database, born)
    ever = await _places_holding(database, [number, f"{number[:1]}-{number[1:5]}"])
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
    assert sorted(row["payee_name"] for row in held["funds"]["disbursements"]) == sorted([name, "ป้าศรี"])
    assert all("payee_national_id_hash" not in row for row in held["funds"]["disbursements"])
    assert [row["forum_id"] for row in held["plans"]["forum_attendance"]] == [forum.json()["id"]]
    assert access.json()["account"]["display_name"] == name
    assert len(held["gateway"]["audit_entries"]) >= 2  # their login and their failed one
    assert set(before) >= {"gateway.users.national_id_hash", "funds.disbursements.payee_national_id_hash"}
    assert dated_before == ["gateway.users.birth_date"]
    assert ever == {}  # the national ID itself was never stored anywhere
    assert erasure.status_code == 200, erasure.text
    assert after == {}
    assert dated_after == []
    needles = [name, account["username"], number, id_hash, born.isoformat()]
    assert not any(
        needle.encode() in value for _, fields in stream for value in fields.values() for needle in needles
    )
    assert ledger.json()["verified"] is True, ledger.json()
    assert audit.json()["verified"] is True, audit.json()
    assert signs_in.status_code == 400  # the account is gone
    assert {entry["action"] for entry in logged.json()["items"]} >= {"privacy.access", "privacy.erasure"}


async def test_an_erased_persons_tokens_stop_working_everywhere_and_no_one_erases_their_own_account(
    gateway: httpx.AsyncClient, stack: RunningStack, login: Login
) -> None:
    national = await login("demo-national")
    me = (await gateway.get("/v1/me", headers=bearer(national))).json()
    account = await new_account(gateway, stack, national, [{"role": "tambon", "area": "930101"}])
    token = (await password_login(gateway, account["username"])).json()["access_token"]
    paths = ("/v1/me", "/v1/funds/approvals/waiting", "/v1/indicators/updates/waiting", "/v1/teams")
    before = [(await gateway.get(path, headers=bearer(token))).status_code for path in paths]

    own = await gateway.post(
        "/v1/privacy/requests",
        json={"kind": "erasure", "user_id": me["id"]},
        headers={**bearer(national), "Accept-Language": "th"},
    )
    erased = await gateway.post(
        "/v1/privacy/requests", json={"kind": "erasure", "user_id": account["id"]}, headers=bearer(national)
    )
    after: list[int] = []
    for _ in range(100):  # as a deactivation: the event reaches each process through the relay and the stream
        after = [(await gateway.get(path, headers=bearer(token))).status_code for path in paths]
        if after == [401] * len(paths):
            break
        await asyncio.sleep(0.1)
    still_me = await gateway.get("/v1/me", headers=bearer(national))

    assert before == [200] * len(paths)
    assert "ของตนเอง" in assert_problem(own, 409)["detail"]
    assert erased.status_code == 200, erased.text
    assert after == [401] * len(paths)
    assert still_me.json()["username"] == me["username"]  # the refused request changed nothing
