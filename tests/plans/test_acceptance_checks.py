"""Issue 16's acceptance lines shown end to end through the gateway: an import's page shows its progress
while it runs; an export imported into a fresh indicator gives the same figures; only an approved update
changes a tambon's actual; a partner system reads the data chain but takes none of its steps."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import asyncpg
import httpx
import pytest

from tests.conftest import Login, bearer
from tests.e2e.test_partner_clients import partner_token
from tests.e2e.test_problems import assert_problem
from tests.plans.indicators import approved, define, enter, item, rollup
from tests.plans.test_imports import DIMENSIONS, XLSX, big_csv, finished

YEAR = "2569"
POLLS = 2_400


async def test_a_large_import_shows_its_progress_while_it_runs(
    gateway: httpx.AsyncClient, login: Login, database: asyncpg.Connection
) -> None:
    indicator = await define(
        gateway, login, area="TH", measure="qualitative", period_kind="quarter", dimensions=list(DIMENSIONS)
    )
    await approved(gateway, login, indicator, "930101", "2569-Q1", dimension="health", text="ข้อมูลเดิม")
    headers = bearer(await login("demo-national"))
    content = big_csv(100_000)
    seen: list[tuple[str, int, int]] = []

    # one of the file's figures is held by another writer, so the job waits at its write (after checking
    # every row) however fast this machine checks them: a page of a running job is always there to see
    async with database.transaction():
        await database.execute(
            "SELECT id FROM plans.indicator_values WHERE indicator_id = $1 FOR UPDATE",
            uuid.UUID(indicator["id"]),
        )
        response = await gateway.post(
            "/v1/imports",
            data={"kind": "indicator_values", "indicator_id": indicator["id"]},
            files={"file": ("tpmap.csv", content, "text/csv")},
            headers=headers,
        )
        assert response.status_code == 202, response.text
        for _ in range(POLLS):
            job = (await gateway.get(response.headers["location"], headers=headers)).json()
            seen.append((job["status"], job["rows_done"], job["percent_done"]))
            if job["status"] != "queued" and job["rows_done"] == job["rows_total"]:
                break
            await asyncio.sleep(0.05)
    done = await finished(gateway, headers, response.headers["location"])

    running = [percent for status, _, percent in seen if status == "running"]
    assert any(0 < percent < 100 for percent in running), seen[-5:]
    assert running == sorted(running)  # progress only moves forward
    assert all(percent < 100 for percent in running)  # 100 is for a finished job only
    assert done["status"] == "completed", done["errors"][:3]
    assert (done["rows_total"], done["rows_done"], done["percent_done"]) == (100_000, 100_000, 100)


Figures = list[tuple[str, str, str | None, Any, Any, Any, str | None]]
Entry = tuple[str, str, str | None, dict[str, Any]]  # tambon, period, dimension, figure

SHAPES: dict[str, tuple[dict[str, Any], list[Entry]]] = {
    "unit": (
        {"measure": "unit", "period_kind": "quarter", "dimensions": ["health", "income"]},
        [
            ("930101", "2569-Q1", "health", {"value": 4}),
            ("930101", "2569-Q1", "income", {"value": 2.5}),
            ("930101", "2569-Q2", "health", {"value": 7}),
            ("930103", "2569-Q1", "health", {"value": 0}),  # a stored zero travels as a zero
            ("930104", "2569-Q2", "income", {"value": 1250.75}),
        ],
    ),
    "percent": (
        {"measure": "percent"},
        [
            ("930101", YEAR, None, {"numerator": 3, "denominator": 4}),
            ("930103", YEAR, None, {"numerator": 0, "denominator": 10}),
            ("930104", YEAR, None, {"numerator": 7.5, "denominator": 9}),
        ],
    ),
    "qualitative": (
        {"measure": "qualitative"},
        [
            ("930101", YEAR, None, {"text": 'ครัวเรือน "ยากจน", 12 หลัง'}),
            ("930103", YEAR, None, {"text": "ธนาคารปูม้าบ้านน้ำราบ\u00a0เปิดแล้ว"}),
        ],
    ),
}


async def figures(gateway: httpx.AsyncClient, indicator: dict[str, Any]) -> Figures:
    response = await gateway.get(f"/v1/indicators/{indicator['id']}/values", params={"limit": 200})
    assert response.status_code == 200, response.text
    return sorted(
        (v["area_code"], v["period"], v["dimension"], v["value"], v["numerator"], v["denominator"], v["text"])
        for v in response.json()["items"]
    )


def figures_of(rolled: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [
        (
            i["area_code"],
            i["dimension"],
            i["actual"],
            i["numerator"],
            i["denominator"],
            i["tambons_reporting"],
        )
        for i in rolled["items"]
    ]


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
@pytest.mark.parametrize("shape", list(SHAPES))
async def test_an_export_imported_into_a_fresh_indicator_gives_the_same_figures(
    gateway: httpx.AsyncClient, login: Login, shape: str, file_format: str
) -> None:
    fields, entries = SHAPES[shape]
    original = await define(gateway, login, **fields)
    fresh = await define(gateway, login, **fields)
    for tambon, period, dimension, figure in entries:
        await approved(gateway, login, original, tambon, period, dimension=dimension, **figure)
    headers = bearer(await login("demo-provincial-93"))

    exported = await gateway.get(f"/v1/indicators/{original['id']}/export", params={"format": file_format})
    media = XLSX if file_format == "xlsx" else "text/csv"
    response = await gateway.post(
        "/v1/imports",
        data={"kind": "indicator_values", "indicator_id": fresh["id"]},
        files={"file": (f"export.{file_format}", exported.content, media)},
        headers=headers,
    )
    job = await finished(gateway, headers, response.headers["location"])

    assert exported.status_code == 200, exported.text
    assert job["status"] == "completed", job["errors"]
    assert job["file_format"] == file_format
    assert (job["rows_total"], job["rows_written"]) == (len(entries), len(entries))
    assert len(await figures(gateway, original)) == len(entries)
    assert await figures(gateway, fresh) == await figures(gateway, original)
    for level in ("tambon", "province"):
        params = {"level": level, "fiscal_year": 2569, "area": "93"}
        assert figures_of(await rollup(gateway, fresh, **params)) == figures_of(
            await rollup(gateway, original, **params)
        )


async def test_only_an_approved_update_changes_the_actual_a_returned_or_waiting_one_does_not(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    indicator = await define(gateway, login)
    province = bearer(await login("demo-provincial-93"))
    await approved(gateway, login, indicator, "930101", YEAR, value=12)
    returned = await enter(gateway, login, indicator, "930101", YEAR, value=13)
    sent_back = await gateway.post(
        f"{returned.headers['location']}/return", json={"reason": "ตัวเลขไม่ตรงกับบัญชี"}, headers=province
    )
    waiting = await enter(gateway, login, indicator, "930101", YEAR, value=14)
    draft = await enter(
        gateway, login, indicator, "930101", YEAR, as_user="demo-tambon-930101", submit=False, value=15
    )

    tambon_before = await rollup(gateway, indicator, level="tambon", area="930101", fiscal_year=2569)
    province_before = await rollup(gateway, indicator, level="province", fiscal_year=2569)
    values_before = await figures(gateway, indicator)
    approval = await gateway.post(f"{waiting.headers['location']}/approve", headers=province)
    tambon_after = await rollup(gateway, indicator, level="tambon", area="930101", fiscal_year=2569)
    province_after = await rollup(gateway, indicator, level="province", fiscal_year=2569)
    still_returned = await gateway.get(returned.headers["location"], headers=province)
    still_draft = await gateway.get(draft.headers["location"], headers=province)

    assert sent_back.json()["status"] == "returned", sent_back.text
    assert waiting.json()["status"] == "submitted"
    assert draft.json()["status"] == "draft"
    assert item(tambon_before, "930101")["actual"] == 12
    assert item(province_before, "93")["actual"] == 12
    assert values_before == [("930101", YEAR, None, 12, None, None, None)]
    assert approval.json()["status"] == "approved", approval.text
    assert item(tambon_after, "930101")["actual"] == 14
    assert item(province_after, "93")["actual"] == 14
    assert await figures(gateway, indicator) == [("930101", YEAR, None, 14, None, None, None)]
    assert still_returned.json()["status"] == "returned"
    assert still_draft.json()["status"] == "draft"


async def test_a_partner_client_reads_an_indicator_but_cannot_verify_certify_or_return(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    indicator = await define(gateway, login)
    base = f"/v1/indicators/{indicator['id']}/periods/{YEAR}"
    province = bearer(await login("demo-provincial-93"))
    partner = bearer(await partner_token(gateway))
    await approved(gateway, login, indicator, "930101", YEAR, value=12)
    waiting = await enter(gateway, login, indicator, "930101", YEAR, value=13)

    reads = await gateway.get(f"/v1/indicators/{indicator['id']}", headers=partner)
    reads_period = await gateway.get(f"{base}/tambons/930101", headers=partner)
    reads_rollup = await gateway.get(
        f"/v1/indicators/{indicator['id']}/rollup",
        params={"level": "province", "fiscal_year": 2569},
        headers=partner,
    )
    # each step is tried by the partner when the chain allows it, then taken by the one who may
    partner_returns = await gateway.post(
        f"{waiting.headers['location']}/return", json={"reason": "ไม่ถูกต้อง"}, headers=partner
    )
    partner_approves = await gateway.post(f"{waiting.headers['location']}/approve", headers=partner)
    returned = await gateway.post(
        f"{waiting.headers['location']}/return", json={"reason": "ซ้ำ"}, headers=province
    )
    partner_verifies = await gateway.post(f"{base}/tambons/930101/verify", headers=partner)
    verified = await gateway.post(
        f"{base}/tambons/930101/verify", headers=bearer(await login("demo-tambon-930101"))
    )
    partner_sends_back = await gateway.post(
        f"{base}/tambons/930101/return", json={"reason": "แก้ไข"}, headers=partner
    )
    partner_certifies = await gateway.post(f"{base}/provinces/93/certify", headers=partner)
    certified = await gateway.post(f"{base}/provinces/93/certify", headers=province)

    assert reads.status_code == 200, reads.text
    assert reads.json()["id"] == indicator["id"]
    assert reads_period.status_code == 200
    assert not any(v for k, v in reads_period.json().items() if k.startswith("may_"))
    assert reads_rollup.status_code == 200
    assert item(reads_rollup.json(), "93")["actual"] == 12
    for refused in (
        partner_returns,
        partner_approves,
        partner_verifies,
        partner_sends_back,
        partner_certifies,
    ):
        assert assert_problem(refused, 403)["type"].endswith("/forbidden")
    assert returned.json()["status"] == "returned", returned.text
    assert verified.json()["status"] == "verified", verified.text
    assert certified.json()["status"] == "certified", certified.text
