"""An indicator says what is counted and how it rolls up; its rules must fit its measure (a percent rolls up
by ratio and is never averaged), and it belongs to an area and, when attached, to that area's project."""

from __future__ import annotations

import uuid

import asyncpg
import httpx
import pytest

from tests.conftest import Login, bearer
from tests.e2e.test_problems import THAI, assert_problem, pointers
from tests.plans.indicators import define
from tests.plans.test_projects import project


async def test_a_percent_rolls_up_by_ratio_and_is_never_averaged(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    headers = bearer(await login("demo-provincial-93"))
    base = {"area_code": "93", "title_th": "สัดส่วนครัวเรือนที่พ้นหนี้"}

    percent = await gateway.post("/v1/indicators", json={**base, "measure": "percent"}, headers=headers)
    averaged = await gateway.post(
        "/v1/indicators", json={**base, "measure": "percent", "area_rule": "average"}, headers=headers
    )
    over_quarters = await gateway.post(
        "/v1/indicators",
        json={**base, "measure": "percent", "period_kind": "quarter", "period_rule": "average"},
        headers={**headers, "Accept-Language": "th"},
    )
    unit_ratio = await gateway.post(
        "/v1/indicators", json={**base, "measure": "unit", "area_rule": "ratio"}, headers=headers
    )

    assert percent.status_code == 201
    assert percent.json()["area_rule"] == "ratio"
    assert pointers(assert_problem(averaged, 422)) == {"/area_rule"}
    assert pointers(assert_problem(over_quarters, 422)) == {"/period_rule"}
    assert THAI.search(str(over_quarters.json()["errors"]))
    assert pointers(assert_problem(unit_ratio, 422)) == {"/area_rule"}


async def test_an_indicator_is_measured_in_the_nation_a_region_or_a_province(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    national = bearer(await login("demo-national"))
    body = {"title_th": "สมาชิกกองทุน", "measure": "unit"}

    tambon = await gateway.post("/v1/indicators", json={**body, "area_code": "930101"}, headers=national)
    region = await gateway.post("/v1/indicators", json={**body, "area_code": "south"}, headers=national)
    outsider = await gateway.post(
        "/v1/indicators", json={**body, "area_code": "18"}, headers=bearer(await login("demo-provincial-93"))
    )
    by_tambon_user = await gateway.post(
        "/v1/indicators", json={**body, "area_code": "93"}, headers=bearer(await login("demo-tambon-930101"))
    )

    assert pointers(assert_problem(tambon, 422)) == {"/area_code"}
    assert region.status_code == 201
    assert_problem(outsider, 403)
    assert_problem(by_tambon_user, 403)


async def test_a_figure_fits_the_measure(gateway: httpx.AsyncClient, login: Login) -> None:
    unit = await define(gateway, login)
    percent = await define(gateway, login, measure="percent")
    words = await define(gateway, login, measure="qualitative")
    headers = bearer(await login("demo-national"))

    async def enter(indicator: dict[str, object], **figure: object) -> httpx.Response:
        body = {"area_code": "930101", "period": "2569", **figure}
        return await gateway.post(f"/v1/indicators/{indicator['id']}/updates", json=body, headers=headers)

    # what fits depends on the stored indicator's measure: 409; what any figure must be: 422
    assert pointers(assert_problem(await enter(unit, numerator=1, denominator=2), 409)) == {"/numerator"}
    assert pointers(assert_problem(await enter(unit), 409)) == {"/value"}
    assert pointers(assert_problem(await enter(percent, numerator=5), 409)) == {"/denominator"}
    assert pointers(assert_problem(await enter(percent, numerator=0, denominator=0), 422)) == {"/denominator"}
    assert pointers(assert_problem(await enter(unit, value=-1), 422)) == {"/value"}
    assert pointers(assert_problem(await enter(unit, value="12"), 422)) == {"/value"}
    assert (await enter(unit, value=12.5)).json()["value"] == 12.5
    assert (await enter(words, text="ชุมชนจัดเวทีทุกเดือน")).status_code == 201
    assert pointers(assert_problem(await enter(unit, value=1, area_code="9301"), 422)) == {"/area_code"}
    assert pointers(assert_problem(await enter(unit, value=1, area_code="180101"), 409)) == {"/area_code"}


async def test_an_attached_indicator_names_a_project_of_its_own_province(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    headers = bearer(await login("demo-national"))
    opened = await gateway.post("/v1/projects", json=project("93", 2641), headers=headers)
    assert opened.status_code == 201, opened.text
    body = {"title_th": "ธนาคารปูม้า", "measure": "unit", "attached_kind": "project"}

    attached = await gateway.post(
        "/v1/indicators",
        json={**body, "area_code": "93", "attached_id": opened.json()["id"]},
        headers=headers,
    )
    elsewhere = await gateway.post(
        "/v1/indicators",
        json={**body, "area_code": "18", "attached_id": opened.json()["id"]},
        headers=headers,
    )
    unknown = await gateway.post(
        "/v1/indicators", json={**body, "area_code": "93", "attached_id": str(uuid.uuid4())}, headers=headers
    )
    half = await gateway.post("/v1/indicators", json={**body, "area_code": "93"}, headers=headers)
    listed = await gateway.get("/v1/indicators", params={"attached_id": opened.json()["id"]})

    assert attached.status_code == 201
    assert pointers(assert_problem(elsewhere, 409)) == {"/area_code"}
    assert pointers(assert_problem(unknown, 422)) == {"/attached_id"}
    assert pointers(assert_problem(half, 422)) == {"/attached_id"}
    assert [i["id"] for i in listed.json()["items"]] == [attached.json()["id"]]


async def test_an_indicators_words_and_baseline_change_but_not_its_rules(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    indicator = await define(gateway, login, measure="percent")
    url, headers = f"/v1/indicators/{indicator['id']}", bearer(await login("demo-provincial-93"))

    baseline = await gateway.patch(
        url,
        json={"baseline_year": 2567, "baseline_numerator": 30, "baseline_denominator": 120},
        headers={**headers, "If-Match": "*"},
    )
    wrong_shape = await gateway.patch(url, json={"baseline_value": 3}, headers={**headers, "If-Match": "*"})
    rules = await gateway.patch(url, json={"area_rule": "sum"}, headers={**headers, "If-Match": "*"})
    public = await gateway.get(url)

    assert baseline.status_code == 200
    assert baseline.json()["baseline_denominator"] == 120
    assert pointers(assert_problem(wrong_shape, 409)) == {"/baseline_value"}  # the field the body sent
    assert_problem(rules, 422)
    assert public.status_code == 200
    assert public.json()["version"] == 2


async def test_the_database_keeps_an_indicators_rules_as_defined(
    gateway: httpx.AsyncClient, login: Login, database: asyncpg.Connection
) -> None:
    indicator = uuid.UUID((await define(gateway, login))["id"])

    for change in ("area_rule = 'max'", "area_code = '94'", "dimensions = '[\"x\"]'::jsonb"):
        with pytest.raises(asyncpg.exceptions.RestrictViolationError, match="stay"):
            await database.execute(f"UPDATE plans.indicators SET {change} WHERE id = $1", indicator)
    await database.execute("UPDATE plans.indicators SET title_en = 'Its words' WHERE id = $1", indicator)


async def test_a_figure_is_less_than_a_hundred_thousand_million_and_a_share_is_at_most_its_whole(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    unit = await define(gateway, login)
    percent = await define(gateway, login, measure="percent")
    headers = bearer(await login("demo-national"))

    async def enter(indicator: dict[str, object], **figure: object) -> httpx.Response:
        body = {"area_code": "930101", "period": "2569", **figure}
        return await gateway.post(f"/v1/indicators/{indicator['id']}/updates", json=body, headers=headers)

    largest = await enter(unit, value=99_999_999_999.9999)
    whole = await enter(percent, numerator=5, denominator=5)
    revised = await gateway.patch(
        f"/v1/indicators/{percent['id']}/updates/{whole.json()['id']}",
        json={"numerator": 6},
        headers={**headers, "If-Match": whole.headers["etag"]},
    )

    assert pointers(assert_problem(await enter(unit, value=10**11), 422)) == {"/value"}
    assert pointers(assert_problem(await enter(unit, value=10**15), 422)) == {"/value"}  # a 500 once
    assert pointers(assert_problem(await enter(unit, value=99_999_999_999.99999), 422)) == {"/value"}
    assert (largest.status_code, largest.json()["value"]) == (201, 99_999_999_999.9999)  # exactly
    assert pointers(assert_problem(await enter(percent, numerator=6, denominator=5), 422)) == {"/numerator"}
    assert (whole.status_code, whole.json()["percent"]) == (201, 100)
    assert pointers(assert_problem(revised, 409)) == {"/numerator"}  # against the stored denominator
