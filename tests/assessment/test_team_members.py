"""A team's members (accounts, in a role) and the areas it is assigned to: the area's formers put people on
it and send it to areas inside its own; where it works is public, who is on it is not; an evaluator's
teams tell where they may act."""

from __future__ import annotations

import uuid

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine

from services.assessment.teams import service
from services.assessment.teams.models import TeamKind
from services.common.auth import Principal
from services.common.events import event_source
from tests.assessment.test_teams import form
from tests.conftest import Login, bearer
from tests.e2e.test_problems import assert_problem
from tests.sessions import rolled_back_session


async def account_id(gateway: httpx.AsyncClient, token: str) -> str:
    return str((await gateway.get("/v1/me", headers=bearer(token))).json()["id"])


async def test_people_are_put_on_a_team_once_in_a_role_that_can_change(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    former = await login("demo-provincial-93")
    team = (await form(gateway, former, "internal_empowerment", "93", "ทีมประเมินภายในพัทลุง")).json()
    evaluator = await account_id(gateway, await login("demo-evaluator"))
    url = f"/v1/teams/{team['id']}/members/{evaluator}"

    added = await gateway.put(url, json={"role": "member"}, headers=bearer(former))
    again = await gateway.put(url, json={"role": "lead"}, headers=bearer(former))
    outsider = await gateway.put(
        url, json={"role": "lead"}, headers=bearer(await login("demo-provincial-18"))
    )
    seen_by_staff = await gateway.get(f"/v1/teams/{team['id']}/members", headers=bearer(former))
    seen_by_member = await gateway.get(
        f"/v1/teams/{team['id']}/members", headers=bearer(await login("demo-evaluator"))
    )
    anonymous = await gateway.get(f"/v1/teams/{team['id']}/members")
    removed = await gateway.delete(url, headers=bearer(former))
    removed_again = await gateway.delete(url, headers=bearer(former))

    assert (added.status_code, added.json()["role"]) == (201, "member")
    assert (again.status_code, again.json()["role"]) == (200, "lead")
    assert_problem(outsider, 403)
    assert [m["user_id"] for m in seen_by_staff.json()["items"]] == [evaluator]
    assert seen_by_member.status_code == 200
    assert_problem(anonymous, 401)
    assert removed.status_code == 204
    assert_problem(removed_again, 404)


async def test_a_team_is_assigned_inside_its_own_area_and_where_it_works_is_public(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    former = bearer(await login("demo-provincial-93"))
    team = (await form(gateway, await login("demo-provincial-93"), "outcome", "93", "ทีมผลลัพธ์พัทลุง")).json()
    url = f"/v1/teams/{team['id']}/assignments"

    first = await gateway.put(f"{url}/9301", headers=former)
    again = await gateway.put(f"{url}/9301", headers=former)
    tambon = await gateway.put(f"{url}/930101", headers=former)
    elsewhere = await gateway.put(f"{url}/18", headers=former)
    unknown = await gateway.put(f"{url}/9399", headers=former)
    public = await gateway.get(url)
    called_back = await gateway.delete(f"{url}/930101", headers=former)
    after = await gateway.get(url)

    assert (first.status_code, again.status_code, tambon.status_code) == (201, 200, 201)
    assert_problem(elsewhere, 409)
    assert_problem(unknown, 404)
    assert [a["area_code"] for a in public.json()["items"]] == ["9301", "930101"]
    assert called_back.status_code == 204
    assert [a["area_code"] for a in after.json()["items"]] == ["9301"]


async def test_an_evaluator_acts_only_where_a_team_of_theirs_is_assigned(
    gateway: httpx.AsyncClient, login: Login, database_engine: AsyncEngine
) -> None:
    former = await login("demo-provincial-93")
    team = (await form(gateway, former, "internal_empowerment", "93", "ทีมเสริมพลังอำเภอเมือง")).json()
    evaluator = await account_id(gateway, await login("demo-evaluator"))
    await gateway.put(f"/v1/teams/{team['id']}/members/{evaluator}", json={}, headers=bearer(former))
    await gateway.put(f"/v1/teams/{team['id']}/assignments/9301", headers=bearer(former))
    them = Principal(subject=evaluator, kind="user", grants=())

    async with rolled_back_session(database_engine, event_source("assessment", "assessment")) as session:
        in_the_district = await service.assigned_teams(
            session, them, "930105", [TeamKind.internal_empowerment]
        )
        in_chainat = await service.assigned_teams(session, them, "180101", [TeamKind.internal_empowerment])
        as_outcome_team = await service.assigned_teams(session, them, "930105", [TeamKind.outcome])

    assert uuid.UUID(team["id"]) in in_the_district
    assert uuid.UUID(team["id"]) not in in_chainat
    assert uuid.UUID(team["id"]) not in as_outcome_team
