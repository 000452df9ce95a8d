"""Assessment rounds: per area and criterion the community scores itself and the assigned team scores it,
each with evidence checked with plans; where they differ the item is flagged and is reviewed only with the
dialogue's note; a closed round refuses scores; a published round is public, its drafts never are."""

from __future__ import annotations

import asyncio
import uuid

import httpx

from services.common.calendar import current_fiscal_year
from tests.assessment.rounds import assessment_with_plans_down, chainat_round, score
from tests.conftest import Login, bearer
from tests.e2e.test_problems import assert_problem, pointers
from tests.stackrunner import RunningStack


async def test_a_self_level_1_against_a_team_level_3_is_reviewed_only_with_a_dialogue_note(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    scoring = await chainat_round(gateway, login, assigned=["18"])
    item = scoring.item("180101", "shared_data")

    own = await gateway.put(f"{item}/self", json=score(1, "เพิ่งเริ่มเก็บข้อมูล"), headers=bearer(scoring.community))
    team = await gateway.put(f"{item}/team", json=score(3, "มีฐานข้อมูลตำบล"), headers=bearer(scoring.evaluator))
    submitted = await gateway.post(f"{item}/submit", headers=bearer(scoring.evaluator))
    without_note = await gateway.post(f"{item}/review", json={}, headers=bearer(scoring.evaluator))
    with_note = await gateway.post(
        f"{item}/review",
        json={"dialogue_note": "คุยกันแล้ว ข้อมูลมีแต่ชุมชนยังไม่ได้ใช้ ตกลงระดับ 2", "level": 2},
        headers=bearer(scoring.evaluator),
    )
    again = await gateway.post(f"{item}/review", json={}, headers=bearer(scoring.evaluator))

    assert (own.status_code, own.json()["flagged"]) == (200, False)
    assert (team.status_code, team.json()["flagged"]) == (200, True)
    assert submitted.json()["status"] == "submitted"
    refused = assert_problem(without_note, 409)
    assert refused["type"].endswith("/dialogue-needed")
    assert (refused["self_level"], refused["team_level"]) == (1, 3)
    assert with_note.status_code == 200, with_note.text
    assert (with_note.json()["status"], with_note.json()["level"]) == ("reviewed", 2)
    assert with_note.json()["dialogue_note"].startswith("คุยกันแล้ว")
    assert again.json() == with_note.json()


async def test_the_same_levels_need_no_dialogue_and_the_agreed_level_is_the_teams(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    scoring = await chainat_round(gateway, login, assigned=["18"])
    item = scoring.item("180101", "joint_plan")

    await gateway.put(f"{item}/self", json=score(2), headers=bearer(scoring.community))
    await gateway.put(f"{item}/team", json=score(2), headers=bearer(scoring.evaluator))
    await gateway.post(f"{item}/submit", headers=bearer(scoring.evaluator))
    reviewed = await gateway.post(f"{item}/review", json={}, headers=bearer(scoring.evaluator))

    assert reviewed.status_code == 200, reviewed.text
    assert (reviewed.json()["flagged"], reviewed.json()["level"]) == (False, 2)


async def test_an_evaluator_scores_only_where_their_team_is_assigned_and_the_community_only_its_own_side(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    scoring = await chainat_round(gateway, login, assigned=[])  # the team is assigned nowhere yet
    item = scoring.item("180101", "shared_data")

    unassigned = await gateway.put(f"{item}/team", json=score(2), headers=bearer(scoring.evaluator))
    community_on_team_side = await gateway.put(
        f"{item}/team", json=score(3), headers=bearer(scoring.community)
    )
    other_tambon = await gateway.put(
        f"{scoring.item('180102', 'shared_data')}/self", json=score(2), headers=bearer(scoring.community)
    )
    sent = await gateway.put(f"/v1/teams/{scoring.team_id}/assignments/1801", headers=bearer(scoring.keeper))
    assigned = await gateway.put(f"{item}/team", json=score(2), headers=bearer(scoring.evaluator))

    assert_problem(unassigned, 403)
    assert_problem(community_on_team_side, 403)
    assert_problem(other_tambon, 403)
    assert sent.status_code == 201
    assert assigned.status_code == 200, assigned.text


async def test_a_level_off_the_scale_an_area_outside_the_round_and_an_unknown_criterion_are_refused(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    scoring = await chainat_round(gateway, login, assigned=["18"])
    headers = bearer(scoring.community)

    off_scale = await gateway.put(
        f"{scoring.item('180101', 'shared_data')}/self", json=score(4), headers=headers
    )
    outside = await gateway.put(
        f"{scoring.item('180103', 'shared_data')}/self", json=score(1), headers=headers
    )
    unknown = await gateway.put(f"{scoring.item('180101', 'no_such')}/self", json=score(1), headers=headers)

    assert pointers(assert_problem(off_scale, 422)) == {"/level"}
    assert_problem(outside, 404)
    assert_problem(unknown, 404)


async def test_a_closed_round_refuses_scores_and_a_submitted_item_keeps_its_scores(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    scoring = await chainat_round(gateway, login, assigned=["18"])
    item = scoring.item("180101", "shared_data")
    await gateway.put(f"{item}/self", json=score(2), headers=bearer(scoring.community))
    await gateway.put(f"{item}/team", json=score(2), headers=bearer(scoring.evaluator))
    await gateway.post(f"{item}/submit", headers=bearer(scoring.evaluator))

    rescored = await gateway.put(f"{item}/self", json=score(3), headers=bearer(scoring.community))
    closed = await gateway.post(f"{scoring.url}/close", headers=bearer(scoring.keeper))
    late = await gateway.put(
        f"{scoring.item('180102', 'shared_data')}/self", json=score(1), headers=bearer(scoring.community)
    )

    assert assert_problem(rescored, 409)["type"].endswith("/wrong-stage")
    assert closed.json()["status"] == "closed"
    assert assert_problem(late, 409)["type"].endswith("/round-not-open")


async def test_an_item_is_submitted_only_with_both_sides(gateway: httpx.AsyncClient, login: Login) -> None:
    scoring = await chainat_round(gateway, login, assigned=["18"])
    item = scoring.item("180101", "shared_data")
    await gateway.put(f"{item}/team", json=score(2), headers=bearer(scoring.evaluator))

    early = await gateway.post(f"{item}/submit", headers=bearer(scoring.evaluator))

    assert assert_problem(early, 409)["missing"] == "self"


async def test_a_published_round_is_public_and_a_draft_one_is_not(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    scoring = await chainat_round(gateway, login, assigned=["18"])
    reviewed, draft = scoring.item("180101", "shared_data"), scoring.item("180102", "shared_data")
    for item in (reviewed, draft):
        await gateway.put(f"{item}/self", json=score(2, "ความเห็นชุมชน"), headers=bearer(scoring.community))
        await gateway.put(f"{item}/team", json=score(2), headers=bearer(scoring.evaluator))
    await gateway.post(f"{reviewed}/submit", headers=bearer(scoring.evaluator))
    await gateway.post(f"{reviewed}/review", json={}, headers=bearer(scoring.evaluator))

    anonymous_before = await gateway.get(scoring.url)
    items_before = await gateway.get(f"{scoring.url}/items")
    staff_before = await gateway.get(f"{scoring.url}/items", headers=bearer(scoring.keeper))
    listed_before = await gateway.get("/v1/rounds", params={"area": "18"})
    await gateway.post(f"{scoring.url}/close", headers=bearer(scoring.keeper))
    published = await gateway.post(f"{scoring.url}/publish", headers=bearer(scoring.keeper))
    anonymous_after = await gateway.get(scoring.url)
    items_after = await gateway.get(f"{scoring.url}/items")
    draft_after = await gateway.get(draft)
    listed_after = await gateway.get("/v1/rounds", params={"area": "18"})

    assert_problem(anonymous_before, 401)
    assert_problem(items_before, 401)
    assert len(staff_before.json()["items"]) == 2
    assert scoring.round["id"] not in {r["id"] for r in listed_before.json()["items"]}
    assert published.json()["status"] == "published"
    assert anonymous_after.status_code == 200
    [public] = items_after.json()["items"]
    assert (public["area_code"], public["status"], public["level"]) == ("180101", "published", 2)
    assert public["self_assessment"]["by"] is None  # who scored stays with the staff
    assert_problem(draft_after, 404)
    assert scoring.round["id"] in {r["id"] for r in listed_after.json()["items"]}


async def test_a_round_is_opened_on_a_frameworks_newest_version_and_an_edit_leaves_it_on_its_own(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    scoring = await chainat_round(gateway, login, assigned=["18"])
    framework_id = scoring.round["framework_id"]

    edited = await gateway.patch(
        f"/v1/frameworks/{framework_id}",
        json={"title_th": "กรอบทดสอบชัยนาท ฉบับปรับ"},
        headers={**bearer(scoring.keeper), "If-Match": "*"},
    )
    still = await gateway.get(scoring.url, headers=bearer(scoring.keeper))
    old_version = await gateway.get(f"/v1/frameworks/{framework_id}")

    assert edited.status_code == 201, edited.text
    assert edited.json()["id"] != framework_id
    assert still.json()["framework_id"] == framework_id
    assert old_version.json()["title_th"] == "กรอบทดสอบชัยนาท"


async def test_a_round_is_written_by_its_areas_staff_for_an_internal_empowerment_team_working_there(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    scoring = await chainat_round(gateway, login, assigned=["18"])
    body = {
        **{k: scoring.round[k] for k in ("title_th", "framework_id", "fiscal_year", "team_id")},
        "area_code": "18",
        "opens_on": scoring.round["opens_on"],
        "closes_on": scoring.round["opens_on"],
    }
    outcome_team = await gateway.post(
        "/v1/teams",
        json={"kind": "outcome", "name": "ทีมผลลัพธ์ชัยนาท", "area_code": "18"},
        headers=bearer(scoring.keeper),
    )

    everywhere = await gateway.post("/v1/rounds", json=body, headers=bearer(scoring.keeper))
    outsider = await gateway.post("/v1/rounds", json=body, headers=bearer(await login("demo-provincial-93")))
    wrong_team = await gateway.post(
        "/v1/rounds", json={**body, "team_id": outcome_team.json()["id"]}, headers=bearer(scoring.keeper)
    )
    wrong_area = await gateway.post(
        "/v1/rounds", json={**body, "areas": ["930101"]}, headers=bearer(scoring.keeper)
    )
    backwards = await gateway.post(
        "/v1/rounds",
        json={**body, "opens_on": "2027-01-02", "closes_on": "2027-01-01"},
        headers=bearer(scoring.keeper),
    )
    no_framework = await gateway.post(
        "/v1/rounds", json={**body, "framework_id": str(uuid.uuid4())}, headers=bearer(scoring.keeper)
    )

    assert everywhere.status_code == 201, everywhere.text
    assert everywhere.json()["areas_count"] == len(everywhere.json()["areas"]) > 50  # every tambon of Chainat
    assert_problem(outsider, 403)
    assert pointers(assert_problem(wrong_team, 409)) == {"/team_id"}
    assert pointers(assert_problem(wrong_area, 422)) == {"/areas/0"}
    assert pointers(assert_problem(backwards, 422)) == {"/closes_on"}
    assert pointers(assert_problem(no_framework, 422)) == {"/framework_id"}  # names nothing: 422


async def test_evidence_is_checked_with_plans_and_an_unknown_indicator_is_a_clear_422(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    scoring = await chainat_round(gateway, login, assigned=["18"])
    item = scoring.item("180101", "shared_data")
    [indicator, *_] = (await gateway.get("/v1/indicators", params={"area": "18"})).json()["items"]
    [project, *_] = (await gateway.get("/v1/projects", params={"province": "18"})).json()["items"]
    missing = "0b6f3c1e-0000-4000-8000-000000000000"
    evidence = [
        {"kind": "indicator", "id": indicator["id"]},
        {"kind": "indicator_value", "id": indicator["id"], "period": "2569", "province_code": "18"},
        {"kind": "project", "id": project["id"]},
    ]

    unknown = await gateway.put(
        f"{item}/team",
        json=score(2, evidence=[*evidence, {"kind": "indicator", "id": missing}]),
        headers={**bearer(scoring.evaluator), "Accept-Language": "th"},
    )
    nothing_yet = await gateway.get(item, headers=bearer(scoring.keeper))
    known = await gateway.put(
        f"{item}/team", json=score(2, evidence=evidence), headers=bearer(scoring.evaluator)
    )

    refused = assert_problem(unknown, 422)
    assert pointers(refused) == {"/evidence/3/id"}
    assert missing in refused["errors"][0]["detail"]
    assert "ตัวชี้วัด" in refused["errors"][0]["detail"]
    assert_problem(nothing_yet, 404)
    assert known.status_code == 200, known.text
    stored = known.json()["team_assessment"]["evidence"]
    assert [e["kind"] for e in stored] == ["indicator", "indicator_value", "project"]
    assert stored[1]["certified"] in (True, False)


async def test_with_plans_down_evidence_cannot_be_checked_so_it_is_503_and_nothing_is_written(
    gateway: httpx.AsyncClient, login: Login, stack: RunningStack
) -> None:
    scoring = await chainat_round(gateway, login, assigned=["18"])
    item = scoring.item("180101", "joint_plan")
    [indicator, *_] = (await gateway.get("/v1/indicators", params={"area": "18"})).json()["items"]
    body = score(2, evidence=[{"kind": "indicator", "id": indicator["id"]}])

    async with (
        assessment_with_plans_down(stack) as url,
        httpx.AsyncClient(base_url=url, timeout=30) as service,
    ):
        down = await service.put(f"{item}/team", json=body, headers=bearer(scoring.evaluator))
        without_evidence = await service.put(f"{item}/self", json=score(1), headers=bearer(scoring.community))
    after = await gateway.get(item, headers=bearer(scoring.keeper))

    assert_problem(down, 503)
    assert down.headers["retry-after"] == "5"
    assert without_evidence.status_code == 200  # nothing to check: plans is not asked
    assert after.json()["team_assessment"]["level"] is None


async def cited_certified(gateway: httpx.AsyncClient, item: str, token: str, want: bool) -> bool:
    """Whether the item's cited indicator value reads `want` before long (the worker reads plans' events)."""
    for _ in range(300):
        evidence = (await gateway.get(item, headers=bearer(token))).json()["team_assessment"]["evidence"]
        if evidence[0]["certified"] is want:
            return True
        await asyncio.sleep(0.1)
    return False


async def test_a_cited_indicator_value_follows_its_provinces_certification_from_plans_events(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    scoring = await chainat_round(gateway, login, assigned=["18"])
    item = scoring.item("180101", "shared_data")
    [tpmap] = [
        i
        for i in (await gateway.get("/v1/indicators", params={"area": "18"})).json()["items"]
        if i["title_th"].endswith("(สาธิต)")
    ]
    period = str(current_fiscal_year())
    cited = {"kind": "indicator_value", "id": tpmap["id"], "period": period, "province_code": "18"}
    chain = f"/v1/indicators/{tpmap['id']}/periods/{period}/provinces/18"

    scored = await gateway.put(
        f"{item}/team", json=score(2, evidence=[cited]), headers=bearer(scoring.evaluator)
    )
    reopened = await gateway.post(
        f"{chain}/reopen", json={"reason": "ตรวจทานตัวเลขอีกครั้ง"}, headers=bearer(await login("demo-national"))
    )
    uncertified = await cited_certified(gateway, item, scoring.keeper, False)
    certified = await gateway.post(f"{chain}/certify", headers=bearer(scoring.keeper))
    certified_again = await cited_certified(gateway, item, scoring.keeper, True)

    assert (
        scored.json()["team_assessment"]["evidence"][0]["certified"] is True
    )  # the demo's chain is certified
    assert reopened.status_code == 200, reopened.text
    assert uncertified
    assert certified.status_code == 200, certified.text
    assert certified_again
