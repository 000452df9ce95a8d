"""Imports: a CSV or XLSX file is imported whole or not at all — one bad row and nothing is written, its
row and column named in English and Thai; a dry run only checks; rows carry their natural key, so the same
file twice changes nothing the second time; an export re-imports to the same data."""

from __future__ import annotations

import asyncio
import io
import uuid
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import httpx
import openpyxl
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel.ext.asyncio.session import AsyncSession

from services.common.auth import Grant, Principal
from services.common.db import session_factory
from services.common.events import bind_event_source, event_source
from services.common.events.registry import register
from services.plans.events import EVENT_TYPES
from services.plans.imports import service as imports
from services.plans.imports.models import FileFormat, ImportJob, ImportKind
from services.plans.indicators.models import AreaRule, Indicator, Measure, PeriodKind, PeriodRule
from services.plans.reporting import verification
from tests.conftest import Login, bearer
from tests.e2e.test_problems import assert_problem
from tests.plans.indicators import define, rollup
from tests.sessions import rolled_back_session

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
register(*EVENT_TYPES)


def workbook(*rows: list[Any]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


async def upload(
    gateway: httpx.AsyncClient,
    headers: dict[str, str],
    indicator: dict[str, Any],
    content: bytes,
    **form: Any,
) -> httpx.Response:
    data = {"kind": "indicator_values", "indicator_id": indicator["id"], **form}
    return await gateway.post(
        "/v1/imports", data=data, files={"file": ("data.xlsx", content, XLSX)}, headers=headers
    )


async def finished(gateway: httpx.AsyncClient, headers: dict[str, str], location: str) -> dict[str, Any]:
    """The job once the worker finished it (it runs as soon as it is queued)."""
    for _ in range(1200):
        job = (await gateway.get(location, headers=headers)).json()
        if job["status"] in ("completed", "failed"):
            return dict(job)
        await asyncio.sleep(0.1)
    raise AssertionError(f"import {location} never finished")


async def imported(
    gateway: httpx.AsyncClient,
    headers: dict[str, str],
    indicator: dict[str, Any],
    content: bytes,
    **form: Any,
) -> dict[str, Any]:
    """The job of `content` uploaded, once the worker finished it."""
    sent = await upload(gateway, headers, indicator, content, **form)
    return await finished(gateway, headers, sent.headers["location"])


async def values(gateway: httpx.AsyncClient, indicator: dict[str, Any]) -> list[tuple[str, str, Any]]:
    response = await gateway.get(f"/v1/indicators/{indicator['id']}/values", params={"limit": 200})
    return sorted((v["area_code"], v["period"], v["value"]) for v in response.json()["items"])


async def test_a_dry_run_with_one_bad_row_names_it_and_changes_nothing_then_the_fixed_file_imports(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    indicator = await define(gateway, login)
    headers = bearer(await login("demo-provincial-93"))
    header = ["area_code", "period", "value"]
    bad = workbook(header, ["930101", "2569", 12], ["930103", "2569", "สิบ"], ["930104", "2569", 0])
    fixed = workbook(header, ["930101", "2569", 12], ["930103", "2569", 10], ["930104", "2569", 0])

    dry = await upload(gateway, headers, indicator, bad, dry_run="true")
    checked = await finished(gateway, headers, dry.headers["location"])
    after_dry = await values(gateway, indicator)
    real = await upload(gateway, headers, indicator, fixed)
    imported = await finished(gateway, headers, real.headers["location"])

    assert dry.status_code == 202, dry.text
    assert checked["status"] == "failed"
    assert checked["dry_run"]
    assert checked["percent_done"] == 100
    [error] = checked["errors"]
    assert (error["row"], error["column"]) == (3, "value")
    assert "number" in error["message_en"]
    assert "ตัวเลข" in error["message_th"]
    assert after_dry == []
    assert imported["status"] == "completed", imported
    assert (imported["rows_total"], imported["rows_written"]) == (3, 3)
    assert await values(gateway, indicator) == [
        ("930101", "2569", 12),
        ("930103", "2569", 10),
        ("930104", "2569", 0),
    ]
    assert (await rollup(gateway, indicator, level="province", fiscal_year=2569))["items"][0]["actual"] == 22


async def test_one_bad_row_among_good_ones_means_nothing_of_the_file_is_imported(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    indicator = await define(gateway, login)
    headers = bearer(await login("demo-provincial-93"))
    content = workbook(
        ["area_code", "period", "value"],
        ["930101", "2569", 1],
        ["180101", "2569", 1],  # Chai Nat's, not Phatthalung's
        ["930101", "2569", 2],  # the same key twice
        ["930103", "2569-Q1", 1],  # a quarter for a yearly indicator
        ["930104", "เดือนหน้า", 1],  # not a period at all
    )

    job = await imported(gateway, headers, indicator, content)

    assert job["status"] == "failed"
    assert [(e["row"], e["column"]) for e in job["errors"]] == [
        (3, "area_code"),
        (4, "area_code"),
        (5, "period"),
        (6, "period"),
    ]
    assert await values(gateway, indicator) == []


async def test_the_same_file_twice_updates_and_an_export_re_imports_to_the_same_data(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    indicator = await define(gateway, login, dimensions=["health", "income"])
    headers = bearer(await login("demo-provincial-93"))
    content = workbook(
        ["area_code", "period", "dimension", "value"],
        ["930101", "2569", "health", 4],
        ["930101", "2569", "income", 2.5],
        ["930103", "2569", "health", 0],
    )

    first = await imported(gateway, headers, indicator, content)
    again = await imported(gateway, headers, indicator, content)
    exported = await gateway.get(f"/v1/indicators/{indicator['id']}/export", params={"format": "xlsx"})
    exported_csv = await gateway.get(f"/v1/indicators/{indicator['id']}/export")
    before = await values(gateway, indicator)
    round_trip = await imported(gateway, headers, indicator, exported.content)
    csv_trip = await gateway.post(
        "/v1/imports",
        data={"kind": "indicator_values", "indicator_id": indicator["id"]},
        files={"file": ("data.csv", exported_csv.content, "text/csv")},
        headers=headers,
    )
    csv_job = await finished(gateway, headers, csv_trip.headers["location"])

    assert (first["status"], first["rows_written"]) == ("completed", 3)
    assert (again["status"], again["rows_written"]) == ("completed", 0)  # nothing new: nothing duplicated
    assert exported.headers["content-type"] == XLSX
    assert (
        exported_csv.text.splitlines()[0].lstrip("\ufeff")
        == "area_code,period,dimension,value,numerator,denominator,text"
    )
    assert (round_trip["status"], round_trip["rows_written"]) == ("completed", 0)
    assert (csv_job["status"], csv_job["rows_written"], csv_job["file_format"]) == ("completed", 0, "csv")
    assert await values(gateway, indicator) == before
    assert len(before) == 3


async def test_only_the_indicator_areas_staff_import_and_a_locked_period_refuses_rows(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    indicator = await define(gateway, login)
    content = workbook(["area_code", "period", "value"], ["930101", "2569", 1])
    base = f"/v1/indicators/{indicator['id']}/periods/2569"
    province = bearer(await login("demo-provincial-93"))
    assert (await gateway.post(f"{base}/provinces/93/certify", headers=province)).status_code == 200

    outsider = await upload(gateway, bearer(await login("demo-provincial-18")), indicator, content)
    anonymous = await upload(gateway, {}, indicator, content)
    locked = await imported(gateway, province, indicator, content)

    assert outsider.status_code == 403
    assert anonymous.status_code == 401
    assert locked["status"] == "failed"
    assert locked["errors"][0]["column"] == "period"


async def test_a_certified_province_period_refuses_imported_targets_and_a_verified_tambon_does_not(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    indicator = await define(gateway, login, area="TH")
    base = f"/v1/indicators/{indicator['id']}/periods/2569"
    national = bearer(await login("demo-national"))
    certified = await gateway.post(
        f"{base}/provinces/93/certify", headers=bearer(await login("demo-provincial-93"))
    )
    verified = await gateway.post(
        f"{base}/tambons/180101/verify", headers=bearer(await login("demo-tambon-180101"))
    )
    in_93 = workbook(["area_code", "period", "value"], ["180101", "2569", 4], ["930101", "2569", 9])
    in_18 = workbook(["area_code", "period", "value"], ["180101", "2569", 4])

    refused = await imported(gateway, national, indicator, in_93, kind="indicator_targets")
    taken = await imported(gateway, national, indicator, in_18, kind="indicator_targets")

    assert certified.status_code == 200, certified.text
    assert verified.status_code == 200, verified.text
    assert refused["status"] == "failed"
    assert (refused["errors"][0]["row"], refused["errors"][0]["column"]) == (3, "period")
    assert taken["status"] == "completed", taken["errors"]
    listed = await gateway.get(f"/v1/indicators/{indicator['id']}/targets", params={"fiscal_year": 2569})
    assert [(t["area_code"], t["value"]) for t in listed.json()["items"]] == [("180101", 4)]


async def test_a_ten_megabyte_file_of_a_hundred_thousand_rows_imports(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    indicator = await define(
        gateway, login, area="TH", measure="qualitative", period_kind="quarter", dimensions=list(DIMENSIONS)
    )
    headers = bearer(await login("demo-national"))
    content = big_csv(100_000)

    response = await gateway.post(
        "/v1/imports",
        data={"kind": "indicator_values", "indicator_id": indicator["id"]},
        files={"file": ("tpmap.csv", content, "text/csv")},
        headers=headers,
    )
    job = await finished(gateway, headers, response.headers["location"])

    assert len(content) >= 10_000_000
    assert response.status_code == 202, response.text
    assert job["status"] == "completed", job["errors"][:3]
    assert (job["rows_total"], job["rows_done"], job["rows_written"], job["percent_done"]) == (
        100_000,
        100_000,
        100_000,
        100,
    )


DIMENSIONS = ("health", "living", "education", "income", "access")
NOTE = "ชุมชนจัดเวทีประชาคมทุกเดือนและบันทึกข้อมูลครัวเรือนเป้าหมายครบทุกหมู่บ้าน"


def big_csv(count: int) -> bytes:
    from services.common.geo import tambons_within

    lines = ["area_code,period,dimension,text"]
    keys = (
        (tambon, f"2569-Q{quarter}", dimension)
        for quarter in (1, 2, 3, 4)
        for tambon in tambons_within("TH")
        for dimension in DIMENSIONS
    )
    for _, (tambon, period, dimension) in zip(range(count), keys, strict=False):
        lines.append(f"{tambon},{period},{dimension},{NOTE} {tambon}")
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture
async def session(database_engine: AsyncEngine) -> AsyncIterator[AsyncSession]:
    async with rolled_back_session(database_engine, event_source("plans", "plans")) as session:
        yield session


async def test_progress_is_saved_as_the_rows_are_checked(session: AsyncSession) -> None:
    indicator = Indicator(
        area_code="TH",
        title_th="ข้อมูลเชิงคุณภาพ",
        measure=Measure.qualitative,
        period_kind=PeriodKind.quarter,
        area_rule=AreaRule.sum,
        period_rule=PeriodRule.latest,
        dimensions=list(DIMENSIONS),
        created_by="test",
    )
    session.add(indicator)
    await session.flush()
    job = ImportJob(
        indicator_id=indicator.id,
        area_code="TH",
        kind=ImportKind.indicator_values,
        file_format=FileFormat.csv,
        file_name="tpmap.csv",
        file_bytes=0,
        file_sha256="",
        dry_run=True,
        created_by=str(uuid.uuid4()),
    )
    session.add(job)
    await session.flush()
    seen: list[tuple[int, int | None]] = []

    async def progress(running: ImportJob) -> None:
        seen.append((running.rows_done, running.rows_total))

    done = await imports.run(session, job, big_csv(20_000), progress)

    assert done.status == "completed"
    assert done.rows_written == 0
    assert seen == [(step, 20_000) for step in range(5_000, 20_001, 5_000)]


async def test_a_tambon_verified_while_an_import_is_checked_keeps_its_figures_from_the_import(
    gateway: httpx.AsyncClient, login: Login, database: asyncpg.Connection, database_engine: AsyncEngine
) -> None:
    indicator = await define(gateway, login)
    province = bearer(await login("demo-provincial-93"))
    content = workbook(["area_code", "period", "value"], ["930101", "2569", 7])
    sessions = session_factory(database_engine)
    bind_event_source(sessions, event_source("plans", "plans"))
    tambon = Principal(subject=str(uuid.uuid4()), kind="user", grants=(Grant("tambon", "930101"),))

    async with sessions() as verifying:  # the tambon signs, and commits once the import waits on it
        await verification.verify_tambon(verifying, tambon, uuid.UUID(indicator["id"]), "930101", "2569")
        location = (await upload(gateway, province, indicator, content)).headers["location"]
        for _ in range(400):
            waiting = await database.fetchval(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'advisory'"
            )
            job = (await gateway.get(location, headers=province)).json()
            if waiting or job["status"] in ("completed", "failed"):
                break
            await asyncio.sleep(0.025)
        await verifying.commit()
    job = await finished(gateway, province, location)

    assert job["status"] == "failed", job
    assert (job["errors"][0]["row"], job["errors"][0]["column"]) == (2, "period")
    assert await values(gateway, indicator) == []


async def test_an_imported_share_has_a_denominator_above_nought_and_a_numerator_no_larger(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    indicator = await define(gateway, login, measure="percent")
    headers = bearer(await login("demo-provincial-93"))
    content = workbook(
        ["area_code", "period", "numerator", "denominator"],
        ["930101", "2569", 3, 5],
        ["930105", "2569", 0, 0],
        ["930103", "2569", 6, 5],
        ["930104", "2569", 5, 5],
    )

    job = await imported(gateway, headers, indicator, content)

    assert job["status"] == "failed"
    assert [(error["row"], error["column"]) for error in job["errors"]] == [
        (3, "denominator"),
        (4, "numerator"),
    ]
    assert await values(gateway, indicator) == []


async def test_an_upload_retried_with_its_idempotency_key_gets_the_first_answer_whatever_its_boundary(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    indicator = await define(gateway, login)
    headers = {**bearer(await login("demo-provincial-93")), "Idempotency-Key": str(uuid.uuid4())}
    content = workbook(["area_code", "period", "value"], ["930101", "2569", 3])

    first = await upload(gateway, headers, indicator, content)
    again = await upload(gateway, headers, indicator, content)  # httpx draws a new boundary each time
    other_file = await upload(gateway, headers, indicator, workbook(["area_code", "period", "value"]))

    assert first.status_code == 202, first.text
    assert (again.status_code, again.headers.get("idempotency-replayed")) == (202, "true")
    assert again.json()["id"] == first.json()["id"]
    assert assert_problem(other_file, 422)["type"].endswith("/idempotency-key-reused")


async def test_imported_words_obey_the_rules_a_typed_text_does_and_a_bad_cell_is_named(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    indicator = await define(gateway, login, measure="qualitative")
    headers = bearer(await login("demo-provincial-93"))
    rows = [
        ["930101", "2569", "ชุมชนจัดเวที\u200bทุกเดือน"],  # folded, as typed text is
        ["930103", "2569", "ชุมชน\x00จัดเวที"],
        ["930104", "2569", "ชุมชน\u202eจัดเวที"],
        ["930105", "2569", "\u200b"],
        ["930106", "2569", "ก" * 2001],
    ]
    content = ("area_code,period,text\n" + "".join(",".join(row) + "\n" for row in rows)).encode()

    job = await imported(gateway, headers, indicator, content)
    fixed = await imported(gateway, headers, indicator, b"\n".join(content.split(b"\n")[:2]) + b"\n")

    assert job["status"] == "failed"
    assert [(error["row"], error["column"]) for error in job["errors"]] == [(n, "text") for n in (3, 4, 5, 6)]
    assert all(error["message_th"] for error in job["errors"])
    assert fixed["status"] == "completed", fixed["errors"]
    stored = await gateway.get(f"/v1/indicators/{indicator['id']}/values")
    assert [value["text"] for value in stored.json()["items"]] == ["ชุมชนจัดเวทีทุกเดือน"]


async def test_two_target_imports_of_the_same_keys_at_once_both_complete(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    from services.common.geo import tambons_within

    indicator = await define(gateway, login, period_kind="quarter")
    province, region = bearer(await login("demo-provincial-93")), bearer(await login("demo-regional-south"))
    tambons = sorted(tambons_within("93"))
    keys = [(tambon, f"2569-Q{quarter}") for tambon in tambons for quarter in (1, 2, 3, 4)]

    def csv(rows: list[tuple[str, str]], start: int) -> bytes:
        lines = [f"{tambon},{period},{start + n}" for n, (tambon, period) in enumerate(rows)]
        return ("area_code,period,value\n" + "\n".join(lines) + "\n").encode()

    rounds = [
        await asyncio.gather(
            imported(gateway, province, indicator, csv(keys, 1_000 * n), kind="indicator_targets"),
            imported(gateway, region, indicator, csv(keys[::-1], 1_000 * n + 1), kind="indicator_targets"),
        )
        for n in range(4)
    ]

    assert len(keys) > 200
    assert [[job["status"] for job in jobs] for jobs in rounds] == [["completed", "completed"]] * 4


async def test_the_largest_figures_export_and_re_import_unchanged(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    indicator = await define(gateway, login)
    headers = bearer(await login("demo-provincial-93"))
    content = workbook(
        ["area_code", "period", "value"],
        ["930101", "2569", "99999999999.9999"],
        ["930103", "2569", "12345678901.2345"],
    )
    first = await imported(gateway, headers, indicator, content)
    before = await values(gateway, indicator)

    exported = await gateway.get(
        f"/v1/indicators/{indicator['id']}/export", params={"format": "xlsx"}, headers=headers
    )
    again = await imported(gateway, headers, indicator, exported.content)

    assert first["status"] == "completed", first["errors"]
    assert [value for _, _, value in before] == [99_999_999_999.9999, 12_345_678_901.2345]
    assert (again["status"], again["rows_written"]) == ("completed", 0)
    assert await values(gateway, indicator) == before
