"""A project's progress is its activities' progress weighted by their weights (Σ weight × progress ÷
Σ weight): kept on the project in the transaction that changes an activity, shown with both sums so anyone
can redo the sum from what the API lists, and announced as `project.progress.changed`."""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Any

import asyncpg
import httpx

from tests.conftest import Login, bearer
from tests.e2e.test_problems import THAI, assert_problem, pointers


async def opened(gateway: httpx.AsyncClient, headers: dict[str, str], year: int) -> dict[str, Any]:
    body = {"province_code": "93", "fiscal_year": year, "title_th": "พัทลุงโมเดล"}
    response = await gateway.post("/v1/projects", json=body, headers=headers)
    assert response.status_code == 201, response.text
    project: dict[str, Any] = response.json()
    return project


def activity(title: str, weight: int, progress: int, area: str = "930101") -> dict[str, object]:
    return {
        "area_code": area,
        "title_th": title,
        "issue": "crab_bank",
        "weight": weight,
        "progress_percent": progress,
    }


async def test_progress_is_the_weighted_mean_of_the_activities_and_anyone_can_redo_it(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    headers = bearer(await login("demo-provincial-93"))
    project = await opened(gateway, headers, 2590)
    url = f"/v1/projects/{project['id']}"

    for body in (activity("ธนาคารปู", 3, 50), activity("บ้านมั่นคง", 1, 100, area="93")):
        assert (await gateway.post(f"{url}/activities", json=body, headers=headers)).status_code == 201
    shown = (await gateway.get(url)).json()
    listed = (await gateway.get(f"{url}/activities")).json()["items"]

    assert project["progress_percent"] is None  # no activity yet: no progress, not 0
    assert (shown["weighted_progress"], shown["weight_total"]) == (3 * 50 + 1 * 100, 4)
    assert shown["progress_percent"] == 62.5
    redone = sum(a["weight"] * a["progress_percent"] for a in listed) / sum(a["weight"] for a in listed)
    assert shown["progress_percent"] == round(redone, 1)


async def test_revising_an_activity_moves_the_project_and_announces_it(
    gateway: httpx.AsyncClient, login: Login, database: asyncpg.Connection
) -> None:
    headers = bearer(await login("demo-provincial-93"))
    project = await opened(gateway, headers, 2591)
    url = f"/v1/projects/{project['id']}/activities"
    created = await gateway.post(url, json=activity("ธนาคารปู", 2, 10), headers=headers)

    revised = await gateway.patch(
        created.headers["location"], json={"progress_percent": 80}, headers={**headers, "If-Match": "*"}
    )
    reweighted = await gateway.patch(
        created.headers["location"], json={"weight": 5}, headers={**headers, "If-Match": "*"}
    )
    shown = (await gateway.get(f"/v1/projects/{project['id']}")).json()
    announced = await database.fetch(
        "SELECT data FROM plans.outbox WHERE type = 'project.progress.changed' AND aggregate_id = $1 "
        "ORDER BY sequence",
        project["id"],
    )

    assert revised.status_code == reweighted.status_code == 200
    assert (shown["weighted_progress"], shown["weight_total"], shown["progress_percent"]) == (400, 5, 80.0)
    # 10 % when added, 80 % when revised; the new weight leaves the figure where it was: nothing to announce
    assert [json.loads(row["data"])["progress_percent"] for row in announced] == [10.0, 80.0]


async def test_concurrent_revisions_of_a_projects_activities_keep_its_sums_exact(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    headers = bearer(await login("demo-provincial-93"))
    project = await opened(gateway, headers, 2592)
    url = f"/v1/projects/{project['id']}/activities"
    created = [
        (await gateway.post(url, json=activity(f"กิจกรรม {n}", n, 0), headers=headers)).headers["location"]
        for n in range(1, 6)
    ]

    answers = await asyncio.gather(
        *(
            gateway.patch(u, json={"progress_percent": 100}, headers={**headers, "If-Match": "*"})
            for u in created
        )
    )
    shown = (await gateway.get(f"/v1/projects/{project['id']}")).json()

    assert {answer.status_code for answer in answers} == {200}
    assert (shown["weighted_progress"], shown["weight_total"], shown["progress_percent"]) == (1500, 15, 100.0)


async def test_an_activity_happens_in_its_projects_province_and_its_numbers_have_bounds(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    headers = bearer(await login("demo-provincial-93"))
    project = await opened(gateway, headers, 2593)
    url = f"/v1/projects/{project['id']}/activities"

    elsewhere = await gateway.post(url, json=activity("นอกจังหวัด", 1, 0, area="900101"), headers=headers)
    a_district = await gateway.post(url, json=activity("ระดับอำเภอ", 1, 0, area="9301"), headers=headers)
    thai = await gateway.post(
        url, json=activity("นอกจังหวัด", 1, 0, area="900101"), headers={**headers, "Accept-Language": "th"}
    )
    out_of_bounds = await gateway.post(url, json=activity("เกิน", 0, 101), headers=headers)
    outsider = await gateway.post(
        url, json=activity("คนนอก", 1, 0), headers=bearer(await login("demo-provincial-57"))
    )

    assert pointers(assert_problem(elsewhere, 422)) == {"/area_code"}
    assert pointers(assert_problem(a_district, 422)) == {"/area_code"}
    assert THAI.search(str(thai.json()["errors"]))
    assert pointers(assert_problem(out_of_bounds, 422)) == {"/weight", "/progress_percent"}
    assert outsider.status_code == 403
    assert (await gateway.get(f"/v1/projects/{project['id']}")).json()["weight_total"] == 0


async def test_who_carries_an_activity_is_a_recorded_partner_or_a_name_not_both(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    headers = bearer(await login("demo-provincial-93"))
    project = await opened(gateway, headers, 2671)
    url = f"/v1/projects/{project['id']}/activities"
    fishers = await gateway.post(
        "/v1/partners",
        json={"name_th": "สมาคมประมงพื้นบ้านจังหวัดพัทลุง", "sector": "civil_society", "area_code": "93"},
        headers=headers,
    )

    linked = await gateway.post(
        url,
        json={**activity("ธนาคารปูม้า", 1, 0), "responsible_partner_id": fishers.json()["id"]},
        headers=headers,
    )
    unknown = await gateway.post(
        url, json={**activity("ธนาคารปู", 1, 0), "responsible_partner_id": str(uuid.uuid4())}, headers=headers
    )
    both = await gateway.post(
        url,
        json={
            **activity("ธนาคารปู", 1, 0),
            "responsible_partner": "กลุ่มบ้าน",
            "responsible_partner_id": fishers.json()["id"],
        },
        headers=headers,
    )
    renamed = await gateway.patch(
        linked.headers["location"],
        json={"responsible_partner": "กลุ่มแม่บ้านบ้านแหลม"},
        headers={**headers, "If-Match": linked.headers["etag"]},
    )

    assert linked.status_code == 201, linked.text
    assert linked.json()["responsible_partner"] == "สมาคมประมงพื้นบ้านจังหวัดพัทลุง"
    assert linked.json()["responsible_partner_id"] == fishers.json()["id"]
    assert "/responsible_partner_id" in pointers(assert_problem(unknown, 422))
    assert "/responsible_partner" in pointers(assert_problem(both, 422))
    assert (renamed.json()["responsible_partner"], renamed.json()["responsible_partner_id"]) == (
        "กลุ่มแม่บ้านบ้านแหลม",
        None,
    )
