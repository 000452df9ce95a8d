"""A province's shared agenda: items by theme, the fiscal years each is on the annual agenda, and the
plans and projects of that province serving it; resolutions of a forum may serve an item or a plan."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from tests.conftest import Login, bearer
from tests.e2e.test_problems import assert_problem, pointers
from tests.plans.test_agreements import opened
from tests.plans.test_forums import forum
from tests.plans.test_plans import goal_of_a_new_strategy, plan


def item(**fields: Any) -> dict[str, Any]:
    return {"province_code": "93", "title_th": "ที่อยู่อาศัยมั่นคงสำหรับทุกครัวเรือน", "theme": "housing", **fields}


async def test_an_agenda_item_is_on_the_annual_agendas_of_its_years_and_served_by_the_provinces_plans(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    headers = bearer(await login("demo-provincial-93"))
    goal = await goal_of_a_new_strategy(gateway, headers)
    the_plan = (await gateway.post("/v1/plans", json=plan(goal), headers=headers)).json()
    the_project = await opened(gateway, headers, 2651)

    created = await gateway.post(
        "/v1/agendas",
        json=item(fiscal_years=[2652, 2651], plan_ids=[the_plan["id"]], project_ids=[the_project["id"]]),
        headers=headers,
    )
    on_2652 = await gateway.get("/v1/agendas", params={"fiscal_year": 2652, "area": "93"})
    on_2653 = await gateway.get("/v1/agendas", params={"fiscal_year": 2653, "area": "93"})
    served_by_plan = await gateway.get("/v1/agendas", params={"plan_id": the_plan["id"]})
    served_by_project = await gateway.get(
        "/v1/agendas", params={"project_id": the_project["id"], "theme": "housing"}
    )
    other_theme = await gateway.get("/v1/agendas", params={"project_id": the_project["id"], "theme": "water"})

    assert created.status_code == 201, created.text
    assert created.json()["fiscal_years"] == [2651, 2652]
    assert [a["id"] for a in on_2652.json()["items"]] == [created.json()["id"]]
    assert on_2653.json()["items"] == []
    assert [a["id"] for a in served_by_plan.json()["items"]] == [created.json()["id"]]
    assert [a["id"] for a in served_by_project.json()["items"]] == [created.json()["id"]]
    assert other_theme.json()["items"] == []
    assert (await gateway.get(created.headers["location"])).status_code == 200  # public


async def test_an_item_is_served_only_by_existing_plans_and_projects_of_its_own_province(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    headers = bearer(await login("demo-provincial-93"))
    chainat = bearer(await login("demo-provincial-18"))
    their_goal = await goal_of_a_new_strategy(gateway, chainat, province="18")
    their_plan = (await gateway.post("/v1/plans", json=plan(their_goal), headers=chainat)).json()

    unknown = await gateway.post("/v1/agendas", json=item(project_ids=[str(uuid.uuid4())]), headers=headers)
    foreign = await gateway.post("/v1/agendas", json=item(plan_ids=[their_plan["id"]]), headers=headers)
    outsider = await gateway.post("/v1/agendas", json=item(), headers=chainat)
    bad_theme = await gateway.post("/v1/agendas", json=item(theme="space"), headers=headers)
    listed = await gateway.get("/v1/agendas", params={"plan_id": their_plan["id"]})

    assert "/project_ids/0" in pointers(assert_problem(unknown, 422))
    assert "/plan_ids/0" in pointers(assert_problem(foreign, 409))
    assert_problem(outsider, 403)
    assert "/theme" in pointers(assert_problem(bad_theme, 422))
    assert listed.json()["items"] == []


async def test_a_revision_replaces_a_list_whole(gateway: httpx.AsyncClient, login: Login) -> None:
    headers = bearer(await login("demo-provincial-93"))
    created = await gateway.post("/v1/agendas", json=item(fiscal_years=[2570, 2571]), headers=headers)

    revised = await gateway.patch(
        created.headers["location"],
        json={"fiscal_years": [2572], "theme": "land"},
        headers={**headers, "If-Match": created.headers["etag"]},
    )

    assert revised.status_code == 200, revised.text
    assert (revised.json()["fiscal_years"], revised.json()["theme"], revised.json()["version"]) == (
        [2572],
        "land",
        2,
    )


async def test_a_resolution_may_serve_an_agenda_item_or_a_plan_of_the_forums_province(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    headers = bearer(await login("demo-provincial-93"))
    goal = await goal_of_a_new_strategy(gateway, headers)
    the_plan = (await gateway.post("/v1/plans", json=plan(goal), headers=headers)).json()
    the_item = (await gateway.post("/v1/agendas", json=item(), headers=headers)).json()
    chainat = bearer(await login("demo-provincial-18"))
    their_item = (await gateway.post("/v1/agendas", json=item(province_code="18"), headers=chainat)).json()
    url = (await forum(gateway, headers)).headers["location"]

    adopted = await gateway.post(
        f"{url}/resolutions",
        json={"text_th": "เห็นชอบวาระร่วมด้านที่อยู่อาศัย", "agenda_id": the_item["id"], "plan_id": the_plan["id"]},
        headers=headers,
    )
    foreign = await gateway.post(
        f"{url}/resolutions",
        json={"text_th": "วาระของจังหวัดอื่น", "agenda_id": their_item["id"]},
        headers=headers,
    )
    missing = await gateway.post(
        f"{url}/resolutions", json={"text_th": "แผนที่ไม่มี", "plan_id": str(uuid.uuid4())}, headers=headers
    )

    assert adopted.status_code == 201, adopted.text
    assert (adopted.json()["agenda_id"], adopted.json()["plan_id"]) == (the_item["id"], the_plan["id"])
    assert "/agenda_id" in pointers(assert_problem(foreign, 409))
    assert "/plan_id" in pointers(assert_problem(missing, 422))
