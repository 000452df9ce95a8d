"""A strategy's horizon, its goals and the plans under them: a plan's years follow its horizon (short: one
fiscal year; medium: three to five; long: to the strategy's horizon year), its joint budget names
recorded partners, and the horizon cannot move before a plan's last year."""

from __future__ import annotations

import json
import uuid
from typing import Any

import asyncpg
import httpx
import pytest

from tests.conftest import Login, bearer
from tests.e2e.test_partner_clients import partner_token
from tests.e2e.test_problems import assert_problem, pointers
from tests.plans.test_agreements import partner


async def goal_of_a_new_strategy(
    gateway: httpx.AsyncClient, headers: dict[str, str], province: str = "93", horizon: int = 2579
) -> dict[str, Any]:
    strategy = await gateway.post(
        "/v1/strategies",
        json={"province_code": province, "title_th": "ยุทธศาสตร์ทดสอบแผน", "horizon_year": horizon},
        headers=headers,
    )
    assert strategy.status_code == 201, strategy.text
    goal = await gateway.post(
        f"/v1/strategies/{strategy.json()['id']}/goals",
        json={"title_th": "ที่อยู่อาศัยมั่นคง", "description": "ทุกครัวเรือนมีบ้านที่มั่นคง"},
        headers=headers,
    )
    assert goal.status_code == 201, goal.text
    return dict(goal.json())


def plan(goal: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return {
        "goal_id": goal["id"],
        "title_th": "แผนบ้านมั่นคง",
        "horizon": "short",
        "start_fiscal_year": 2570,
        **fields,
    }


async def test_a_strategy_runs_to_2579_unless_told_and_its_goals_sit_under_it(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    headers = bearer(await login("demo-provincial-93"))
    strategy = await gateway.post(
        "/v1/strategies", json={"province_code": "93", "title_th": "ยุทธศาสตร์พัทลุง"}, headers=headers
    )
    url = strategy.headers["location"]
    goal = await gateway.post(f"{url}/goals", json={"title_th": "เศรษฐกิจชุมชน"}, headers=headers)
    other = await gateway.post(
        f"{url}/goals", json={"title_th": "เศรษฐกิจชุมชน"}, headers=bearer(await login("demo-provincial-18"))
    )
    goals = await gateway.get(f"{url}/goals")
    elsewhere = await gateway.get(f"/v1/strategies/{uuid.uuid4()}/goals/{goal.json()['id']}")

    assert strategy.json()["horizon_year"] == 2579
    assert goal.status_code == 201, goal.text
    assert goal.json()["strategy_id"] == strategy.json()["id"]
    assert goal.json()["province_code"] == "93"
    assert [g["id"] for g in goals.json()["items"]] == [goal.json()["id"]]
    assert (await gateway.get(goal.headers["location"])).json() == goal.json()
    assert_problem(other, 403)
    assert_problem(elsewhere, 404)


async def test_each_horizon_sets_the_years_of_its_plan(gateway: httpx.AsyncClient, login: Login) -> None:
    headers = bearer(await login("demo-provincial-93"))
    goal = await goal_of_a_new_strategy(gateway, headers)

    short = await gateway.post("/v1/plans", json=plan(goal), headers=headers)
    medium = await gateway.post(
        "/v1/plans", json=plan(goal, horizon="medium", end_fiscal_year=2574), headers=headers
    )
    long = await gateway.post("/v1/plans", json=plan(goal, horizon="long"), headers=headers)

    assert short.status_code == medium.status_code == long.status_code == 201, (
        short.text,
        medium.text,
        long.text,
    )
    assert (short.json()["start_fiscal_year"], short.json()["end_fiscal_year"]) == (2570, 2570)
    assert (medium.json()["start_fiscal_year"], medium.json()["end_fiscal_year"]) == (2570, 2574)
    assert (long.json()["start_fiscal_year"], long.json()["end_fiscal_year"]) == (2570, 2579)
    assert {p["strategy_id"] for p in (short.json(), medium.json(), long.json())} == {goal["strategy_id"]}
    assert short.json()["status"] == "draft"


@pytest.mark.parametrize(
    ("fields", "status", "pointer"),
    [
        ({"end_fiscal_year": 2571}, 422, "/end_fiscal_year"),  # a short plan is one year
        ({"horizon": "medium"}, 422, "/end_fiscal_year"),  # a medium plan says when it ends
        ({"horizon": "medium", "end_fiscal_year": 2571}, 422, "/end_fiscal_year"),  # two years
        ({"horizon": "medium", "end_fiscal_year": 2575}, 422, "/end_fiscal_year"),  # six years
        ({"horizon": "medium", "end_fiscal_year": 2569}, 422, "/end_fiscal_year"),  # before it starts
        ({"horizon": "long", "end_fiscal_year": 2578}, 409, None),  # a long plan runs to the horizon
        ({"start_fiscal_year": 2580}, 409, None),  # past the horizon
        ({"horizon": "sideways"}, 422, "/horizon"),
    ],
)
async def test_years_that_do_not_fit_the_horizon_are_refused_and_nothing_is_written(
    gateway: httpx.AsyncClient, login: Login, fields: dict[str, Any], status: int, pointer: str | None
) -> None:
    headers = bearer(await login("demo-provincial-93"))
    goal = await goal_of_a_new_strategy(gateway, headers)

    refused = await gateway.post(
        "/v1/plans", json=plan(goal, **fields), headers={**headers, "Accept-Language": "th"}
    )
    written = await gateway.get("/v1/plans", params={"goal_id": goal["id"]})

    body = assert_problem(refused, status)
    if pointer:
        assert pointer in pointers(body)
    assert any("\u0e00" <= ch <= "\u0e7f" for ch in body["detail"])  # told in Thai
    assert written.json()["items"] == []


async def test_a_joint_budget_names_recorded_partners_and_its_total_is_kept(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    headers = bearer(await login("demo-provincial-93"))
    goal = await goal_of_a_new_strategy(gateway, headers)
    codi = await partner(gateway, headers, "93", "government", "สำนักงานภาค พอช.")
    pao = await partner(gateway, headers, "93", "local_government", "อบจ.พัทลุง")
    lines = [
        {"partner_id": codi["id"], "amount_satang": 150_000_000, "purpose": "ซ่อมสร้างบ้าน"},
        {"partner_id": pao["id"], "amount_satang": 30_000_000},
    ]

    created = await gateway.post("/v1/plans", json=plan(goal, budget_lines=lines), headers=headers)
    unknown = await gateway.post(
        "/v1/plans",
        json=plan(goal, budget_lines=[*lines, {"partner_id": str(uuid.uuid4()), "amount_satang": 1}]),
        headers=headers,
    )
    zero = await gateway.post(
        "/v1/plans",
        json=plan(goal, budget_lines=[{"partner_id": codi["id"], "amount_satang": 0}]),
        headers=headers,
    )
    revised = await gateway.patch(
        created.headers["location"],
        json={"budget_lines": lines[:1], "status": "adopted"},
        headers={**headers, "If-Match": created.headers["etag"]},
    )

    assert created.status_code == 201, created.text
    assert created.json()["budget_total_satang"] == 180_000_000
    assert created.json()["budget_lines"][1] == {
        "partner_id": pao["id"],
        "amount_satang": 30_000_000,
        "purpose": "",
    }
    assert "/budget_lines/2/partner_id" in pointers(assert_problem(unknown, 422))
    assert "/budget_lines/0/amount_satang" in pointers(assert_problem(zero, 422))
    assert revised.status_code == 200, revised.text
    assert (revised.json()["budget_total_satang"], revised.json()["status"]) == (150_000_000, "adopted")
    assert [
        p["id"] for p in (await gateway.get("/v1/plans", params={"goal_id": goal["id"]})).json()["items"]
    ] == [created.json()["id"]]


async def test_a_horizon_cannot_move_before_the_end_of_a_plan(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    headers = bearer(await login("demo-provincial-93"))
    goal = await goal_of_a_new_strategy(gateway, headers)
    medium = await gateway.post(
        "/v1/plans", json=plan(goal, horizon="medium", end_fiscal_year=2574), headers=headers
    )
    url = f"/v1/strategies/{goal['strategy_id']}"
    etag = (await gateway.get(url)).headers["etag"]

    refused = await gateway.patch(url, json={"horizon_year": 2573}, headers={**headers, "If-Match": etag})
    moved = await gateway.patch(url, json={"horizon_year": 2574}, headers={**headers, "If-Match": etag})

    assert assert_problem(refused, 409)["plans"] == [medium.json()["id"]]
    assert moved.status_code == 200, moved.text
    assert moved.json()["horizon_year"] == 2574


async def test_plans_are_listed_by_the_year_they_run_in_and_a_partner_client_reads_but_cannot_write(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    headers = bearer(await login("demo-provincial-93"))
    goal = await goal_of_a_new_strategy(gateway, headers)
    medium = await gateway.post(
        "/v1/plans",
        json=plan(goal, horizon="medium", start_fiscal_year=2571, end_fiscal_year=2573),
        headers=headers,
    )
    client = bearer(await partner_token(gateway))

    in_2572 = await gateway.get("/v1/plans", params={"goal_id": goal["id"], "fiscal_year": 2572})
    in_2574 = await gateway.get("/v1/plans", params={"goal_id": goal["id"], "fiscal_year": 2574})
    read = await gateway.get(medium.headers["location"], headers=client)
    written = await gateway.post("/v1/plans", json=plan(goal), headers=client)
    another_province = await gateway.post(
        "/v1/plans", json=plan(goal), headers=bearer(await login("demo-provincial-18"))
    )

    assert [p["id"] for p in in_2572.json()["items"]] == [medium.json()["id"]]
    assert in_2574.json()["items"] == []
    assert read.status_code == 200
    assert_problem(written, 403)
    assert_problem(another_province, 403)


async def test_a_plan_and_its_revision_are_published_with_the_budget_but_not_who_wrote_them(
    gateway: httpx.AsyncClient, login: Login, database: asyncpg.Connection
) -> None:
    headers = bearer(await login("demo-provincial-93"))
    goal = await goal_of_a_new_strategy(gateway, headers)
    codi = await partner(gateway, headers, "93", "government", "สำนักงานภาคใต้ พอช.")
    lines = [{"partner_id": codi["id"], "amount_satang": 5_000_000}]
    created = await gateway.post("/v1/plans", json=plan(goal, budget_lines=lines), headers=headers)
    await gateway.patch(
        created.headers["location"], json={"status": "adopted"}, headers={**headers, "If-Match": "*"}
    )

    rows = await database.fetch(
        "SELECT type, data FROM plans.outbox WHERE aggregate_id = $1 ORDER BY sequence",
        created.json()["id"],
    )

    assert [row["type"] for row in rows] == ["plan.created", "plan.updated"]
    published = [json.loads(row["data"]) for row in rows]
    assert published[0]["budget_total_satang"] == 5_000_000
    assert published[1]["status"] == "adopted"
    assert all("created_by" not in data for data in published)
