"""The lessons library: a core team drafts lessons where it is assigned, its lead publishes them; anyone
finds the published ones by a part of a Thai word, theme, region, province and year; drafts never appear
outside the team — not in a list, not by id."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from tests.assessment.test_team_members import account_id
from tests.conftest import Login, bearer
from tests.e2e.test_problems import assert_problem


async def core_team(gateway: httpx.AsyncClient, login: Login) -> str:
    """A core lessons team of the South, the demo evaluator its lead, assigned to Trang (92)."""
    former = bearer(await login("demo-regional-south"))
    team = await gateway.post(
        "/v1/teams",
        json={"kind": "core_lessons", "name": "ทีมถอดบทเรียนภาคใต้", "area_code": "south"},
        headers=former,
    )
    assert team.status_code == 201, team.text
    lead = await account_id(gateway, await login("demo-evaluator"))
    await gateway.put(f"/v1/teams/{team.json()['id']}/members/{lead}", json={"role": "lead"}, headers=former)
    await gateway.put(f"/v1/teams/{team.json()['id']}/assignments/92", headers=former)
    return str(team.json()["id"])


def crab_bank(team_id: str, marker: str) -> dict[str, Any]:
    return {
        "title_th": f"ธนาคารปูม้า บ้านน้ำราบ {marker}",
        "context": "ชาวประมงพื้นบ้านรวมกลุ่มปล่อยแม่ปูไข่นอกกระดอง",
        "what_worked": "กติกาชุมชนห้ามจับปูไข่ และกองทุนหมุนเวียนซื้อแม่ปู",
        "what_did_not": "การติดตามผลจับปูยังไม่สม่ำเสมอ",
        "conditions_for_reuse": "ต้องมีแกนนำประมงและเขตอนุรักษ์ที่ชุมชนยอมรับ",
        "themes": ["coast", "livelihood"],
        "area_code": "92",
        "fiscal_year": 2568,
        "team_id": team_id,
    }


async def test_a_published_lesson_is_found_by_a_part_of_a_thai_word_and_a_draft_never_appears(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    team_id = await core_team(gateway, login)
    writer = bearer(await login("demo-evaluator"))
    marker = uuid.uuid4().hex[:8]
    drafted = await gateway.post("/v1/lessons", json=crab_bank(team_id, marker), headers=writer)
    lesson_url = f"/v1/lessons/{drafted.json()['id']}"

    def found(response: httpx.Response) -> bool:
        assert response.status_code == 200, response.text
        return drafted.json()["id"] in {lesson["id"] for lesson in response.json()["items"]}

    anonymous_draft = await gateway.get("/v1/lessons", params={"q": "ธนาคารปู"})
    outsider_draft = await gateway.get(
        "/v1/lessons", params={"q": "ธนาคารปู"}, headers=bearer(await login("demo-provincial-93"))
    )
    outsider_read = await gateway.get(lesson_url, headers=bearer(await login("demo-provincial-93")))
    team_draft = await gateway.get("/v1/lessons", params={"q": "ธนาคารปู"}, headers=writer)
    published = await gateway.post(f"{lesson_url}/publish", headers=writer)
    anonymous = await gateway.get("/v1/lessons", params={"q": "ธนาคารปู"})
    by_filters = await gateway.get(
        "/v1/lessons",
        params={"q": marker, "theme": "coast", "area": "south", "fiscal_year": 2568},
    )
    other_theme = await gateway.get("/v1/lessons", params={"q": marker, "theme": "welfare"})
    other_province = await gateway.get("/v1/lessons", params={"q": marker, "area": "93"})
    read = await gateway.get(lesson_url)

    assert drafted.status_code == 201, drafted.text
    assert drafted.json()["status"] == "draft"
    assert not found(anonymous_draft)
    assert not found(outsider_draft)
    assert_problem(outsider_read, 404)
    assert found(team_draft)
    assert published.json()["status"] == "published"
    assert found(anonymous)
    assert found(by_filters)
    assert not found(other_theme)
    assert not found(other_province)
    assert read.json()["what_worked"].startswith("กติกาชุมชน")


async def test_only_the_teams_members_where_it_is_assigned_draft_and_only_its_lead_publishes(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    team_id = await core_team(gateway, login)
    writer = bearer(await login("demo-evaluator"))
    marker = uuid.uuid4().hex[:8]

    outsider = await gateway.post(
        "/v1/lessons", json=crab_bank(team_id, marker), headers=bearer(await login("demo-regional-south"))
    )
    elsewhere = await gateway.post(
        "/v1/lessons", json={**crab_bank(team_id, marker), "area_code": "93"}, headers=writer
    )
    drafted = await gateway.post("/v1/lessons", json=crab_bank(team_id, marker), headers=writer)
    lesson_url = f"/v1/lessons/{drafted.json()['id']}"
    edited = await gateway.patch(
        lesson_url, json={"what_did_not": "ยังไม่มีข้อมูลรายได้"}, headers={**writer, "If-Match": "*"}
    )
    not_lead = await gateway.post(f"{lesson_url}/publish", headers=bearer(await login("demo-regional-south")))

    assert_problem(outsider, 403)
    assert_problem(elsewhere, 403)
    assert edited.status_code == 200, edited.text
    assert (edited.json()["what_did_not"], edited.json()["version"]) == ("ยังไม่มีข้อมูลรายได้", 2)
    assert_problem(not_lead, 404)  # a draft does not exist outside its team
