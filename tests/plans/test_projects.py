"""One province, one project: a province's integrated project of a fiscal year is opened once — the database
decides a race — and a second is a 409 naming the first; fiscal years are Buddhist-era."""

from __future__ import annotations

import asyncio

import httpx

from tests.conftest import Login, bearer
from tests.e2e.test_problems import THAI, assert_problem, pointers


def project(province: str, year: int, title: str = "โครงการบูรณาการ") -> dict[str, object]:
    return {"province_code": province, "fiscal_year": year, "title_th": title, "summary": "ธนาคารปู"}


async def test_a_province_opens_one_project_a_year_and_a_second_is_409_naming_the_first(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    headers = bearer(await login("demo-provincial-93"))

    first = await gateway.post("/v1/projects", json=project("93", 2571), headers=headers)
    second = await gateway.post("/v1/projects", json=project("93", 2571, "อีกโครงการ"), headers=headers)
    thai = await gateway.post(
        "/v1/projects", json=project("93", 2571), headers={**headers, "Accept-Language": "th"}
    )
    next_year = await gateway.post("/v1/projects", json=project("93", 2572), headers=headers)

    assert first.status_code == 201, first.text
    refused = assert_problem(second, 409)
    assert refused["type"].endswith("/project-exists")
    assert refused["existing_id"] == first.json()["id"]
    assert THAI.search(assert_problem(thai, 409)["title"])
    assert next_year.status_code == 201
    listed = await gateway.get("/v1/projects", params={"area": "93", "fiscal_year": 2571})
    assert [item["id"] for item in listed.json()["items"]] == [first.json()["id"]]


async def test_twenty_people_opening_the_same_project_at_once_get_one_project_and_nineteen_409s(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    people = [
        bearer(await login(name)) for name in ("demo-national", "demo-provincial-93", "demo-regional-south")
    ]

    answers = await asyncio.gather(
        *(gateway.post("/v1/projects", json=project("93", 2580), headers=people[n % 3]) for n in range(20))
    )

    assert sorted(answer.status_code for answer in answers) == [201] + [409] * 19
    created = next(answer for answer in answers if answer.status_code == 201)
    refused = [answer for answer in answers if answer.status_code == 409]
    assert {answer.json()["existing_id"] for answer in refused} == {created.json()["id"]}


async def test_a_fiscal_year_is_buddhist_era_and_a_christian_era_one_gets_a_hint(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    headers = bearer(await login("demo-provincial-93"))

    christian = await gateway.post("/v1/projects", json=project("93", 2026), headers=headers)
    thai = await gateway.post(
        "/v1/projects", json=project("93", 2026), headers={**headers, "Accept-Language": "th"}
    )

    assert pointers(assert_problem(christian, 422)) == {"/fiscal_year"}
    assert "2569" in str(christian.json()["errors"])
    assert THAI.search(str(thai.json()["errors"]))


async def test_a_project_is_public_revised_with_if_match_and_only_by_its_province(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    phatthalung = bearer(await login("demo-provincial-93"))
    created = await gateway.post("/v1/projects", json=project("93", 2573), headers=phatthalung)
    url = created.headers["location"]

    public = await gateway.get(url)
    outsider = await gateway.patch(
        url, json={"status": "active"}, headers={**bearer(await login("demo-provincial-57")), "If-Match": "*"}
    )
    revised = await gateway.patch(
        url, json={"status": "active"}, headers={**phatthalung, "If-Match": created.headers["etag"]}
    )
    moved = await gateway.patch(url, json={"fiscal_year": 2574}, headers={**phatthalung, "If-Match": "*"})

    assert public.status_code == 200
    assert public.json()["status"] == "planned"
    assert outsider.status_code == 403
    assert revised.status_code == 200
    assert (revised.json()["status"], revised.json()["version"]) == ("active", 2)
    assert pointers(assert_problem(moved, 422)) == {"/fiscal_year"}  # a project stays with its year


async def test_a_projects_milestones_are_set_moved_and_reached_by_its_province(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    headers = bearer(await login("demo-provincial-93"))
    created = await gateway.post("/v1/projects", json=project("93", 2661), headers=headers)
    url = f"{created.headers['location']}/milestones"

    set_ = await gateway.post(
        url, json={"title_th": "ลงนามบันทึกข้อตกลง", "due_on": "2027-01-15"}, headers=headers
    )
    outsider = await gateway.post(
        url,
        json={"title_th": "ลงนาม", "due_on": "2027-01-15"},
        headers=bearer(await login("demo-provincial-18")),
    )
    reached = await gateway.patch(
        f"{url}/{set_.json()['id']}",
        json={"reached_on": "2027-01-10"},
        headers={**headers, "If-Match": set_.headers["etag"]},
    )
    buddhist_day = await gateway.post(
        url, json={"title_th": "ส่งมอบบ้าน", "due_on": "2570-03-01"}, headers=headers
    )
    listed = await gateway.get(url)

    assert set_.status_code == 201, set_.text
    assert set_.json()["reached_on"] is None
    assert_problem(outsider, 403)
    assert reached.status_code == 200, reached.text
    assert (reached.json()["reached_on"], reached.json()["version"]) == ("2027-01-10", 2)
    assert "/due_on" in pointers(assert_problem(buddhist_day, 422))
    assert [m["id"] for m in listed.json()["items"]] == [set_.json()["id"]]
