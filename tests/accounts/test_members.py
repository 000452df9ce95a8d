"""People named by id in a service are real, active accounts reaching the area: a fund's committee and a
support team's members are checked by their service against the gateway's accounts API."""

from __future__ import annotations

import uuid

import httpx

from tests.accounts.accounts import new_account
from tests.conftest import Login, bearer
from tests.e2e.test_problems import assert_problem, pointers
from tests.stackrunner import RunningStack


async def _id(gateway: httpx.AsyncClient, token: str) -> str:
    return str((await gateway.get("/v1/me", headers=bearer(token))).json()["id"])


async def test_a_fund_committee_of_a_made_up_id_or_a_member_from_outside_the_area_is_422(
    gateway: httpx.AsyncClient, stack: RunningStack, login: Login
) -> None:
    admin = await login("demo-provincial-93")
    phatthalung, chainat = await _id(gateway, admin), await _id(gateway, await login("demo-provincial-18"))
    gone = await new_account(gateway, stack, admin, [{"role": "tambon", "area": "930101"}])
    await gateway.post(f"/v1/users/{gone['id']}/deactivate", headers=bearer(admin))
    fund = {
        "name_th": "กองทุนสวัสดิการตำบลคูหาสวรรค์",
        "kind": "tambon",
        "area_code": "930101",
        "approvals_required": 1,
    }

    made_up = await gateway.post(
        "/v1/funds", json={**fund, "committee": [phatthalung, str(uuid.uuid4())]}, headers=bearer(admin)
    )
    outsider = await gateway.post("/v1/funds", json={**fund, "committee": [chainat]}, headers=bearer(admin))
    both = await gateway.post(
        "/v1/funds",
        json={**fund, "committee": [str(uuid.uuid4()), phatthalung, chainat]},
        headers=bearer(admin),
    )
    deactivated = await gateway.post(
        "/v1/funds", json={**fund, "committee": [gone["id"]]}, headers=bearer(admin)
    )
    thai = await gateway.post(
        "/v1/funds", json={**fund, "committee": [chainat]}, headers={**bearer(admin), "Accept-Language": "th"}
    )
    fit = await gateway.post("/v1/funds", json={**fund, "committee": [phatthalung]}, headers=bearer(admin))
    assert fit.status_code == 201, fit.text
    patched = await gateway.patch(
        f"/v1/funds/{fit.json()['id']}",
        json={"committee": [phatthalung, chainat]},
        headers={**bearer(admin), "If-Match": "*"},
    )

    assert pointers(assert_problem(made_up, 422)) == {"/committee/1"}
    assert pointers(assert_problem(outsider, 422)) == {"/committee/0"}
    assert pointers(assert_problem(both, 422)) == {"/committee/0", "/committee/2"}  # every one, together
    assert "deactivated" in assert_problem(deactivated, 422)["errors"][0]["detail"]
    assert "ครอบคลุม" in assert_problem(thai, 422)["errors"][0]["detail"]
    assert pointers(assert_problem(patched, 422)) == {"/committee/1"}


async def test_a_team_member_is_an_active_account_with_a_grant_in_or_over_the_teams_area(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    admin = await login("demo-provincial-93")
    team = await gateway.post(
        "/v1/teams",
        json={"kind": "internal_empowerment", "name": "ทีมประเมินภายในพัทลุง", "area_code": "93"},
        headers=bearer(admin),
    )
    url = f"/v1/teams/{team.json()['id']}/members"
    evaluator = await _id(gateway, await login("demo-evaluator"))
    tambon = await _id(gateway, await login("demo-tambon-930101"))
    chainat = await _id(gateway, await login("demo-provincial-18"))

    lead = await gateway.put(f"{url}/{evaluator}", json={"role": "lead"}, headers=bearer(admin))
    inside = await gateway.put(f"{url}/{tambon}", json={"role": "member"}, headers=bearer(admin))
    elsewhere = await gateway.put(f"{url}/{chainat}", json={"role": "member"}, headers=bearer(admin))
    nobody = await gateway.put(f"{url}/{uuid.uuid4()}", json={"role": "member"}, headers=bearer(admin))

    assert lead.status_code == 201, lead.text
    assert inside.status_code == 201, inside.text  # a tambon leader of 930101 works on Phatthalung's team
    assert pointers(assert_problem(elsewhere, 422)) == {"/path/user_id"}
    assert pointers(assert_problem(nobody, 422)) == {"/path/user_id"}
