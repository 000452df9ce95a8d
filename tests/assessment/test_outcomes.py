"""Outcomes and the policy they reach: an outcome team harvests an observable change in a social actor with
evidence checked with plans; its lead records an independent person's verdict and publishes it; a policy
recommendation resting on published outcomes is followed, step by dated step, to its end — in public."""

from __future__ import annotations

from typing import Any

import httpx

from tests.assessment.test_team_members import account_id
from tests.conftest import Login, bearer
from tests.e2e.test_problems import assert_problem, pointers

MISSING = "0b6f3c1e-0000-4000-8000-000000000001"


async def outcome_team(gateway: httpx.AsyncClient, login: Login) -> str:
    former = bearer(await login("demo-provincial-93"))
    team = await gateway.post(
        "/v1/teams", json={"kind": "outcome", "name": "ทีมประเมินผลลัพธ์พัทลุง", "area_code": "93"}, headers=former
    )
    lead = await account_id(gateway, await login("demo-evaluator"))
    await gateway.put(f"/v1/teams/{team.json()['id']}/members/{lead}", json={"role": "lead"}, headers=former)
    await gateway.put(f"/v1/teams/{team.json()['id']}/assignments/93", headers=former)
    return str(team.json()["id"])


def change(team_id: str, evidence: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "title_th": "อบต.คูหาสวรรค์บรรจุธนาคารปูในแผนพัฒนาท้องถิ่น",
        "description": "สภา อบต. มีมติจัดงบประมาณหนุนธนาคารปูม้าต่อเนื่องสามปี",
        "actor_name": "องค์การบริหารส่วนตำบลคูหาสวรรค์",
        "actor_kind": "local_government",
        "occurred_on": "2026-06-15",
        "area_code": "930101",
        "intended": True,
        "positive": True,
        "significance": "ท้องถิ่นรับงานของชุมชนเป็นงานของตน",
        "contribution": "เวทีกลางจังหวัดนำข้อมูลธนาคารปูเสนอสภา อบต.",
        "change_agent": "สภาองค์กรชุมชนตำบลคูหาสวรรค์",
        "evidence": evidence,
        "team_id": team_id,
    }


async def test_an_outcome_is_harvested_substantiated_by_an_independent_verdict_and_then_public(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    team_id = await outcome_team(gateway, login)
    lead = bearer(await login("demo-evaluator"))
    [project, *_] = (await gateway.get("/v1/projects", params={"province": "93"})).json()["items"]
    evidence = [{"kind": "project", "id": project["id"]}]

    unknown = await gateway.post(
        "/v1/outcomes", json=change(team_id, [{"kind": "project", "id": MISSING}]), headers=lead
    )
    outsider = await gateway.post(
        "/v1/outcomes", json=change(team_id, evidence), headers=bearer(await login("demo-provincial-93"))
    )
    drafted = await gateway.post("/v1/outcomes", json=change(team_id, evidence), headers=lead)
    url = f"/v1/outcomes/{drafted.json()['id']}"
    hidden = await gateway.get(url)
    early = await gateway.post(f"{url}/publish", headers=lead)
    verdict = {"substantiator": "นักวิชาการมหาวิทยาลัยทักษิณ", "verdict": "partly", "note": "มีมติจริง งบยังไม่เบิกจ่าย"}
    substantiated = await gateway.post(f"{url}/substantiation", json=verdict, headers=lead)
    late_edit = await gateway.patch(url, json={"title_th": "แก้ภายหลัง"}, headers={**lead, "If-Match": "*"})
    published = await gateway.post(f"{url}/publish", headers=lead)
    public = await gateway.get(url)
    listed = await gateway.get("/v1/outcomes", params={"area": "93", "actor_kind": "local_government"})

    assert pointers(assert_problem(unknown, 422)) == {"/evidence/0/id"}
    assert_problem(outsider, 403)
    assert drafted.status_code == 201, drafted.text
    assert_problem(hidden, 404)
    assert assert_problem(early, 409)["type"].endswith("/wrong-stage")
    assert (substantiated.json()["status"], substantiated.json()["verdict"]) == ("substantiated", "partly")
    assert_problem(late_edit, 409)
    assert published.json()["status"] == "published"
    assert public.status_code == 200
    assert public.json()["evidence"][0]["id"] == project["id"]
    assert drafted.json()["id"] in {o["id"] for o in listed.json()["items"]}


async def test_a_recommendation_rests_on_published_outcomes_and_is_followed_step_by_dated_step(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    team_id = await outcome_team(gateway, login)
    lead = bearer(await login("demo-evaluator"))
    staff = bearer(await login("demo-provincial-93"))
    draft = (await gateway.post("/v1/outcomes", json=change(team_id, []), headers=lead)).json()
    done = (await gateway.post("/v1/outcomes", json=change(team_id, []), headers=lead)).json()
    verdict = {"substantiator": "ผู้ตรวจอิสระ", "verdict": "agrees", "note": "ตรงกับรายงานการประชุม"}
    await gateway.post(f"/v1/outcomes/{done['id']}/substantiation", json=verdict, headers=lead)
    await gateway.post(f"/v1/outcomes/{done['id']}/publish", headers=lead)
    body = {
        "title_th": "ให้จังหวัดบรรจุธนาคารปูม้าในแผนพัฒนาจังหวัด",
        "target_level": "province",
        "target_agency": "สำนักงานประมงจังหวัดพัทลุง",
        "area_code": "93",
    }

    on_a_draft = await gateway.post(
        "/v1/recommendations", json={**body, "outcome_ids": [draft["id"]]}, headers=staff
    )
    proposed = await gateway.post(
        "/v1/recommendations", json={**body, "outcome_ids": [done["id"]]}, headers=staff
    )
    url = f"/v1/recommendations/{proposed.json()['id']}/status"
    submitted = await gateway.post(
        url, json={"status": "submitted", "on": "2026-07-01", "note": "ยื่นหนังสือ"}, headers=staff
    )
    again = await gateway.post(
        url, json={"status": "submitted", "on": "2026-07-01", "note": "ยื่นหนังสือ"}, headers=staff
    )
    skipped = await gateway.post(
        url, json={"status": "implemented", "on": "2026-08-01", "note": "ข้ามขั้น"}, headers=staff
    )
    backdated = await gateway.post(
        url, json={"status": "accepted", "on": "2026-06-01", "note": "ก่อนยื่น"}, headers=staff
    )
    accepted = await gateway.post(
        url, json={"status": "accepted", "on": "2026-08-01", "note": "ประมงจังหวัดรับไว้"}, headers=lead
    )
    implemented = await gateway.post(
        url, json={"status": "implemented", "on": "2026-10-01", "note": "อยู่ในแผนปี 2570"}, headers=staff
    )
    public = await gateway.get(f"/v1/recommendations/{proposed.json()['id']}")
    outsider = await gateway.post(
        url,
        json={"status": "rejected", "on": "2026-11-01", "note": "ไม่"},
        headers=bearer(await login("demo-provincial-18")),
    )

    assert pointers(assert_problem(on_a_draft, 422)) == {"/outcome_ids/0"}
    assert proposed.status_code == 201, proposed.text
    assert submitted.json()["status"] == "submitted"
    assert again.json()["version"] == submitted.json()["version"]
    assert_problem(skipped, 409)
    assert pointers(assert_problem(backdated, 409)) == {"/on"}
    assert accepted.status_code == 200, accepted.text  # the outcome team assigned there moves it too
    assert implemented.json()["status"] == "implemented"
    assert [(s["status"], s["on"]) for s in public.json()["history"]] == [
        ("submitted", "2026-07-01"),
        ("accepted", "2026-08-01"),
        ("implemented", "2026-10-01"),
    ]
    assert_problem(outsider, 403)
