"""The audit log: approving a disbursement, certifying a period and exporting a ledger each leave one entry
saying who did it, where and on what; an entry edited or deleted in SQL breaks the chain at that entry."""

from __future__ import annotations

import asyncio
import csv
import io
import uuid
from typing import Any

import asyncpg
import httpx

from tests.assessment.rounds import chainat_round, score
from tests.conftest import Login, bearer
from tests.e2e.test_problems import assert_problem
from tests.funds.conftest import FundsClient, People
from tests.plans.indicators import approved, define

YEAR = "2569"


async def _entries(
    gateway: httpx.AsyncClient, token: str, expected: int = 1, *, about: str | None = None, **filters: str
) -> list[dict[str, Any]]:
    """The entries matching the filters (and, `about`, naming that id as subject or in their details) once
    `expected` of them are there (the worker writes them from the events, a moment after the change)."""
    items: list[dict[str, Any]] = []
    for _ in range(100):
        response = await gateway.get("/v1/audit", params={**filters, "limit": 200}, headers=bearer(token))
        assert response.status_code == 200, response.text
        items = [
            item
            for item in response.json()["items"]
            if about is None or about in (item["subject_id"], item["details"].get("id"))
        ]
        if len(items) >= expected:
            break
        await asyncio.sleep(0.1)
    return items


async def test_approving_a_disbursement_certifying_a_period_and_exporting_a_ledger_each_leave_one_entry(
    gateway: httpx.AsyncClient, funds: FundsClient, person: People, login: Login
) -> None:
    owner, national = await person("demo-provincial-93"), await person("demo-national")
    fund = await funds.open(owner, committee=[national], approvals_required=1)
    await funds.contribute(owner, fund["id"], 10_000)
    asked = await funds.request(owner, fund["id"], 1_000)
    await funds.approve(national, fund["id"], asked["id"])
    indicator = await define(gateway, login)
    await approved(gateway, login, indicator, "930101", YEAR, value=7)
    period = f"/v1/indicators/{indicator['id']}/periods/{YEAR}"
    await gateway.post(f"{period}/tambons/930101/verify", headers=bearer(await login("demo-tambon-930101")))
    certified = await gateway.post(f"{period}/provinces/93/certify", headers=owner.headers)
    exported = await gateway.get(f"/v1/funds/{fund['id']}/ledger/export", headers=owner.headers)

    token = await login("demo-national")
    approvals = [
        entry
        for entry in await _entries(gateway, token, action="fund.disbursement.approval_added", area="93")
        if entry["details"].get("id") == asked["id"]
    ]
    certifications = [
        entry
        for entry in await _entries(gateway, token, action="indicator.period.certified", area="93")
        if entry["subject_id"] == indicator["id"]
    ]
    exports = [
        entry
        for entry in await _entries(gateway, token, action="fund.ledger.exported", area="93")
        if entry["subject_id"] == fund["id"]
    ]
    south = await gateway.get(
        "/v1/audit", params={"area": "93"}, headers=bearer(await login("demo-regional-south"))
    )
    provincial = await gateway.get("/v1/audit", headers=owner.headers)

    assert certified.status_code == 200, certified.text
    assert exported.status_code == 200
    assert [(e["actor"], e["source"], e["area_code"]) for e in approvals] == [
        (f"user:{national.id}", "funds", "93")
    ]
    assert approvals[0]["details"]["amount_satang"] == 1_000
    assert [(e["actor"], e["source"]) for e in certifications] == [(f"user:{owner.id}", "plans")]
    assert [(e["actor"], e["details"]["format"]) for e in exports] == [(f"user:{owner.id}", "csv")]
    assert south.status_code == 200  # a regional admin reads inside the region
    assert_problem(provincial, 403)


async def test_logins_and_failed_logins_are_entries(gateway: httpx.AsyncClient, login: Login) -> None:
    await gateway.post(
        "/v1/auth/token", data={"grant_type": "password", "username": "demo-provincial-57", "password": "ผิด"}
    )
    token = await login("demo-national")

    failed = await _entries(gateway, token, action="auth.login.failed")
    succeeded = await _entries(gateway, token, action="auth.login.succeeded")

    assert any(entry["details"] == {"username": "demo-provincial-57"} for entry in failed)
    assert any(entry["actor"] and entry["actor"].startswith("user:") for entry in succeeded)


async def test_an_audit_row_edited_or_deleted_in_sql_is_found_by_verify(
    gateway: httpx.AsyncClient, login: Login, database: asyncpg.Connection
) -> None:
    token = await login("demo-national")
    for _ in range(3):  # a few entries of our own to tamper with
        await gateway.post(
            "/v1/auth/token", data={"grant_type": "password", "username": "nobody-at-all", "password": "x"}
        )
    before = (await gateway.get("/v1/audit/verify", headers=bearer(token))).json()
    newest = await database.fetchval("SELECT max(seq) FROM gateway.audit_entries")

    kept_details = await database.fetchval(
        "SELECT details FROM gateway.audit_entries WHERE seq = $1", newest - 1
    )
    await database.execute(
        "UPDATE gateway.audit_entries SET details = $1 WHERE seq = $2",
        '{"username": "someone-else"}',
        newest - 1,
    )
    edited = (await gateway.get("/v1/audit/verify", headers=bearer(token))).json()
    kept_row = await database.fetchrow("SELECT * FROM gateway.audit_entries WHERE seq = $1", newest - 2)
    assert kept_row is not None
    await database.execute("DELETE FROM gateway.audit_entries WHERE seq = $1", newest - 2)
    deleted = (await gateway.get("/v1/audit/verify", headers=bearer(token))).json()
    # both put back as they were: the chain verifies again
    columns = list(kept_row.keys())
    values = ", ".join(f"${index}" for index in range(1, len(columns) + 1))
    await database.execute(
        f"INSERT INTO gateway.audit_entries ({', '.join(columns)}) VALUES ({values})", *kept_row.values()
    )
    await database.execute(
        "UPDATE gateway.audit_entries SET details = $1 WHERE seq = $2", kept_details, newest - 1
    )
    restored = (await gateway.get("/v1/audit/verify", headers=bearer(token))).json()

    assert before["verified"] is True, before
    assert before["entries_checked"] == before["head_seq"] >= 3
    assert edited["verified"] is False
    assert edited["first_broken"] == {"seq": newest - 1, "problem": "changed"}
    assert deleted["first_broken"] == {"seq": newest - 2, "problem": "missing"}
    assert restored["verified"] is True, restored


async def test_each_step_of_a_reversal_and_each_review_of_an_assessment_item_leaves_an_entry(
    gateway: httpx.AsyncClient, funds: FundsClient, person: People, login: Login
) -> None:
    owner, national = await person("demo-provincial-93"), await person("demo-national")
    fund = await funds.open(owner, committee=[national], approvals_required=1)
    contribution = await funds.contribute(owner, fund["id"], 1_000)
    asked = await gateway.post(
        f"/v1/funds/{fund['id']}/transfers/{contribution['transfer_id']}/reversal",
        json={"reason": "บันทึกซ้ำ"},
        headers=owner.keyed(),
    )
    reversal = asked.json()
    approved = await gateway.post(
        f"/v1/funds/{fund['id']}/reversals/{reversal['id']}/approve", headers=national.keyed()
    )
    assert approved.json()["status"] == "approved", approved.text
    scoring = await chainat_round(gateway, login, assigned=["18"])
    item = scoring.item("180101", "shared_data")
    await gateway.put(f"{item}/self", json=score(2, "มีข้อมูล"), headers=bearer(scoring.community))
    await gateway.put(f"{item}/team", json=score(2, "มีข้อมูล"), headers=bearer(scoring.evaluator))
    await gateway.post(f"{item}/submit", headers=bearer(scoring.evaluator))
    reviewed = await gateway.post(f"{item}/review", json={}, headers=bearer(scoring.evaluator))
    assert reviewed.status_code == 200, reviewed.text

    token = await login("demo-national")
    steps = {
        action: await _entries(gateway, token, action=action, area="93", about=reversal["id"])
        for action in ("fund.reversal.requested", "fund.reversal.approval_added", "fund.reversal.approved")
    }
    reviewed_action = "assessment.item.reviewed"
    reviews = await _entries(gateway, token, action=reviewed_action, area="180101", about=scoring.round["id"])

    assert {action: len(entries) for action, entries in steps.items()} == dict.fromkeys(steps, 1)
    assert steps["fund.reversal.approval_added"][0]["actor"] == f"user:{national.id}"
    assert steps["fund.reversal.requested"][0]["actor"] == f"user:{owner.id}"
    evaluator = (await gateway.get("/v1/me", headers=bearer(scoring.evaluator))).json()["id"]
    assert [(r["actor"], r["details"]["criterion"], r["details"]["level"]) for r in reviews] == [
        (f"user:{evaluator}", "shared_data", 2)
    ]


async def test_an_erased_row_is_still_checked_in_every_field_but_the_names_its_erasure_replaced(
    gateway: httpx.AsyncClient, login: Login, database: asyncpg.Connection
) -> None:
    token = await login("demo-national")
    username = f"nobody-{uuid.uuid4().hex[:8]}"
    await gateway.post(
        "/v1/auth/token", data={"grant_type": "password", "username": username, "password": "x"}
    )
    seq = await database.fetchval(
        "SELECT seq FROM gateway.audit_entries WHERE details->>'username' = $1", username
    )
    row = await database.fetchrow("SELECT actor, details FROM gateway.audit_entries WHERE seq = $1", seq)
    assert row is not None

    async def verified_after(change: str, *args: object) -> dict[str, object]:
        await database.execute(f"UPDATE gateway.audit_entries SET {change} WHERE seq = $1", seq, *args)
        answer: dict[str, object] = (await gateway.get("/v1/audit/verify", headers=bearer(token))).json()
        await database.execute(
            "UPDATE gateway.audit_entries SET actor = $2, details = $3 WHERE seq = $1", seq, *row.values()
        )
        return answer

    erased = await verified_after(
        "erased_at = now(), details = jsonb_set(details, '{username}', '\"ผู้ถูกลบข้อมูล-0a1b2c3d\"')"
    )
    erased_and_edited = await verified_after("details = jsonb_set(details, '{username}', '1')")
    actor_changed = await verified_after("actor = $2", "user:00000000-0000-0000-0000-000000000000")
    field_added = await verified_after("details = details || '{\"amount_satang\": 1}'")
    await database.execute("UPDATE gateway.audit_entries SET erased_at = NULL WHERE seq = $1", seq)
    restored = (await gateway.get("/v1/audit/verify", headers=bearer(token))).json()

    assert erased["verified"] is True, erased
    for tampered in (erased_and_edited, actor_changed, field_added):
        assert tampered["first_broken"] == {"seq": seq, "problem": "changed"}, tampered
    assert restored["verified"] is True, restored


async def test_the_log_exports_as_csv_in_the_readers_language_and_the_export_is_an_entry_itself(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    token = await login("demo-national")
    username = f"nobody-{uuid.uuid4().hex[:8]}"
    await gateway.post(
        "/v1/auth/token", data={"grant_type": "password", "username": username, "password": "x"}
    )

    thai = await gateway.get(
        "/v1/audit/export",
        params={"action": "auth.login.failed"},
        headers={**bearer(token), "Accept-Language": "th"},
    )
    english = await gateway.get("/v1/audit/export", params={"action": "auth."}, headers=bearer(token))
    rows = list(csv.reader(io.StringIO(thai.text)))
    exported = await _entries(gateway, token, 2, action="audit.exported")

    assert thai.status_code == 200, thai.text
    assert thai.headers["content-type"].startswith("text/csv")
    assert rows[0][:3] == ["ลำดับ", "เวลาที่เกิด", "ผู้กระทำ"]
    assert english.text.splitlines()[0].startswith("seq,occurred_at,actor,action")
    assert {row[3] for row in rows[1:]} == {"auth.login.failed"}
    assert any(username in row[8] for row in rows[1:])
    assert len(exported) >= 2
