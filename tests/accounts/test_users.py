"""Accounts through the gateway: an administrator creates a person in their area with grants they may give,
the person sets a password with the invite's code, and a deactivated account's sessions end at once."""

from __future__ import annotations

import httpx

from tests.accounts.accounts import (
    PASSWORD,
    code_from_log,
    national_id,
    new_account,
    password_login,
    refused_everywhere,
)
from tests.conftest import Login, bearer
from tests.e2e.test_problems import assert_problem, pointers
from tests.stackrunner import RunningStack

TAMBON = [{"role": "tambon", "area": "930101"}]


async def test_a_provincial_admin_creates_a_tambon_user_in_93_but_grants_nothing_in_18_and_not_national(
    gateway: httpx.AsyncClient, stack: RunningStack, login: Login
) -> None:
    admin = await login("demo-provincial-93")
    created = await new_account(gateway, stack, admin, TAMBON)
    in_18 = await gateway.post(
        f"/v1/users/{created['id']}/grants", json={"role": "tambon", "area": "180101"}, headers=bearer(admin)
    )
    national = await gateway.post(
        f"/v1/users/{created['id']}/grants", json={"role": "national", "area": "TH"}, headers=bearer(admin)
    )
    created_in_18 = await gateway.post(
        "/v1/users",
        json={
            "username": "t-chainat-1",
            "display_name": "ชัยนาท",
            "grants": [{"role": "tambon", "area": "180101"}],
        },
        headers=bearer(admin),
    )
    evaluator = await gateway.post(
        f"/v1/users/{created['id']}/grants", json={"role": "evaluator", "area": "93"}, headers=bearer(admin)
    )
    wrong_level = await gateway.post(
        f"/v1/users/{created['id']}/grants", json={"role": "tambon", "area": "93"}, headers=bearer(admin)
    )
    signed_in = await password_login(gateway, created["username"])
    me = await gateway.get("/v1/me", headers=bearer(signed_in.json()["access_token"]))

    assert created["grants"] == TAMBON
    assert created["active"]
    assert not created["password_set"]
    assert created["invite"]["user_id"] == created["id"]
    assert created["invite"].get("code") is None
    assert assert_problem(in_18, 403)["area_code"] == "180101"
    assert_problem(national, 403)
    assert_problem(created_in_18, 403)
    assert evaluator.status_code == 200, evaluator.text
    assert evaluator.json()["grants"] == [*TAMBON, {"role": "evaluator", "area": "93"}]
    assert pointers(assert_problem(wrong_level, 422)) == {"/area"}
    assert signed_in.status_code == 200, signed_in.text
    assert me.json()["grants"] == [*TAMBON, {"role": "evaluator", "area": "93"}]


async def test_accounts_are_listed_to_the_admins_of_their_area_by_role(
    gateway: httpx.AsyncClient, stack: RunningStack, login: Login
) -> None:
    admin = await login("demo-provincial-93")
    tambon = await new_account(gateway, stack, admin, TAMBON, password=None)
    ours = await gateway.get("/v1/users", params={"role": "tambon", "limit": 200}, headers=bearer(admin))
    chainat = await gateway.get("/v1/users", headers=bearer(await login("demo-provincial-18")))
    south = await gateway.get(
        "/v1/users",
        params={"area": "9301", "role": "tambon"},
        headers=bearer(await login("demo-regional-south")),
    )
    as_tambon = await gateway.get("/v1/users", headers=bearer(await login("demo-tambon-930101")))
    one = await gateway.get(f"/v1/users/{tambon['id']}", headers=bearer(await login("demo-provincial-18")))

    assert ours.status_code == 200, ours.text
    listed = {item["id"]: item for item in ours.json()["items"]}
    assert tambon["id"] in listed
    assert listed[tambon["id"]]["code_pending"]
    assert all(
        any(g["role"] == "tambon" and g["area"].startswith("93") for g in item["grants"])
        for item in listed.values()
    )
    assert tambon["id"] not in {item["id"] for item in chainat.json()["items"]}
    assert tambon["id"] in {item["id"] for item in south.json()["items"]}
    assert_problem(as_tambon, 403)
    assert_problem(one, 404)  # another province's account is not confirmed to exist


async def test_an_invite_code_works_once_and_a_common_or_short_password_is_refused(
    gateway: httpx.AsyncClient, stack: RunningStack, login: Login
) -> None:
    admin = await login("demo-provincial-93")
    created = await new_account(gateway, stack, admin, TAMBON, password=None)
    code = await code_from_log(stack, created["id"])
    body = {"username": created["username"], "code": code}

    common = await gateway.post("/v1/auth/password", json={**body, "password": "password123"})
    short = await gateway.post("/v1/auth/password", json={**body, "password": "สั้น"})
    thai = await gateway.post(
        "/v1/auth/password", json={**body, "password": "qwertyuiop"}, headers={"Accept-Language": "th"}
    )
    set_once = await gateway.post("/v1/auth/password", json={**body, "password": PASSWORD})
    again = await gateway.post("/v1/auth/password", json={**body, "password": PASSWORD + "!"})
    reset = await gateway.post(f"/v1/users/{created['id']}/codes", headers=bearer(admin))
    new_code = await code_from_log(stack, created["id"], after=1)
    old_code = await gateway.post("/v1/auth/password", json={**body, "password": "ฝนตก-ฟ้าร้อง-99"})
    with_new = await gateway.post(
        "/v1/auth/password", json={**body, "code": new_code, "password": "ฝนตก-ฟ้าร้อง-99"}
    )

    assert pointers(assert_problem(common, 422)) == {"/password"}
    assert pointers(assert_problem(short, 422)) == {"/password"}
    assert "รหัสผ่าน" in assert_problem(thai, 422)["errors"][0]["detail"]
    assert set_once.status_code == 204, set_once.text
    assert pointers(assert_problem(again, 422)) == {"/code"}
    assert reset.status_code == 200
    assert new_code != code
    assert_problem(old_code, 422)
    assert with_new.status_code == 204, with_new.text
    assert (await password_login(gateway, created["username"], "ฝนตก-ฟ้าร้อง-99")).status_code == 200
    assert (await password_login(gateway, created["username"])).status_code == 400


async def test_a_deactivated_accounts_refresh_fails_at_once_and_it_cannot_sign_in_until_reactivated(
    gateway: httpx.AsyncClient, stack: RunningStack, login: Login
) -> None:
    admin = await login("demo-provincial-93")
    created = await new_account(gateway, stack, admin, TAMBON)
    session = (await password_login(gateway, created["username"])).json()

    deactivated = await gateway.post(f"/v1/users/{created['id']}/deactivate", headers=bearer(admin))
    refreshed = await gateway.post(
        "/v1/auth/token", data={"grant_type": "refresh_token", "refresh_token": session["refresh_token"]}
    )
    signed_in = await password_login(gateway, created["username"])
    by_chainat = await gateway.post(
        f"/v1/users/{created['id']}/reactivate", headers=bearer(await login("demo-provincial-18"))
    )
    reactivated = await gateway.post(f"/v1/users/{created['id']}/reactivate", headers=bearer(admin))
    after = await password_login(gateway, created["username"])
    own = await gateway.post(
        f"/v1/users/{created['id']}/deactivate", headers=bearer(after.json()["access_token"])
    )

    assert deactivated.status_code == 200
    assert deactivated.json()["active"] is False
    assert assert_problem(refreshed, 400)["error"] == "invalid_grant"
    assert assert_problem(signed_in, 400)["error"] == "invalid_grant"
    assert_problem(by_chainat, 404)
    assert reactivated.json()["active"] is True
    assert after.status_code == 200
    assert_problem(own, 403)  # a tambon grant manages no account, its own included


async def test_a_national_account_is_out_of_a_provincial_admins_reach(
    gateway: httpx.AsyncClient, stack: RunningStack, login: Login
) -> None:
    national = await login("demo-national")
    wide = await new_account(
        gateway, stack, national, [{"role": "tambon", "area": "930101"}, {"role": "provincial", "area": "18"}]
    )
    admin = await login("demo-provincial-93")

    seen = await gateway.get(f"/v1/users/{wide['id']}", headers=bearer(admin))
    deactivate = await gateway.post(f"/v1/users/{wide['id']}/deactivate", headers=bearer(admin))
    rename = await gateway.patch(
        f"/v1/users/{wide['id']}", json={"display_name": "ชื่อใหม่"}, headers={**bearer(admin), "If-Match": "*"}
    )
    take_own_grant = await gateway.delete(
        f"/v1/users/{wide['id']}/grants/tambon/930101", headers=bearer(admin)
    )
    last = await gateway.delete(f"/v1/users/{wide['id']}/grants/provincial/18", headers=bearer(national))
    only_one_left = await gateway.delete(
        f"/v1/users/{wide['id']}/grants/tambon/930101", headers=bearer(national)
    )
    taken = await gateway.post(
        "/v1/users",
        json={"username": wide["username"].upper(), "display_name": "ซ้ำ", "grants": TAMBON},
        headers=bearer(admin),
    )

    assert seen.status_code == 200  # it holds a grant in 93
    assert_problem(deactivate, 403)
    assert_problem(rename, 403)
    assert take_own_grant.status_code == 200
    assert take_own_grant.json()["grants"] == [{"role": "provincial", "area": "18"}]
    assert assert_problem(last, 409)["type"].endswith("/last-grant")  # deactivate it instead
    assert_problem(only_one_left, 404)  # 93's grant is gone already
    assert assert_problem(taken, 409)["type"].endswith("/username-taken")


async def test_a_deactivated_accounts_access_token_stops_working_in_every_service_within_a_moment(
    gateway: httpx.AsyncClient, stack: RunningStack, login: Login
) -> None:
    admin = await login("demo-provincial-93")
    created = await new_account(gateway, stack, admin, TAMBON)
    token = (await password_login(gateway, created["username"])).json()["access_token"]
    paths = ("/v1/me", "/v1/funds", "/v1/projects", "/v1/teams")
    before = [await gateway.get(path, headers=bearer(token)) for path in paths]

    await gateway.post(f"/v1/users/{created['id']}/deactivate", headers=bearer(admin))
    after = await refused_everywhere(gateway, token, paths)
    refused = await gateway.get("/v1/funds", headers={**bearer(token), "Accept-Language": "th"})

    assert [answer.status_code for answer in before] == [200] * len(paths)
    assert after == [401] * len(paths)
    assert "ระงับ" in assert_problem(refused, 401)["detail"]
    assert (await gateway.get("/v1/funds")).status_code == 200  # without the token, public reads still work


async def test_a_national_id_is_checked_kept_as_its_last_four_digits_and_never_shown_back(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    admin = await login("demo-provincial-93")
    number = national_id("310090012345")
    written = f"{number[0]}-{number[1:5]}-{number[5:10]}-{number[10:12]}-{number[12]}"
    body = {"display_name": "นายสมชาย รักดี", "grants": TAMBON, "birth_date": "1975-04-13"}
    created = await gateway.post(
        "/v1/users", json={**body, "username": "t-somchai-id", "national_id": written}, headers=bearer(admin)
    )
    wrong_check = number[:12] + str((int(number[12]) + 1) % 10)
    refused = await gateway.post(
        "/v1/users",
        json={**body, "username": "t-somchai-id2", "national_id": wrong_check},
        headers={**bearer(admin), "Accept-Language": "th"},
    )
    unborn = await gateway.post(
        "/v1/users",
        json={**body, "username": "t-somchai-id3", "birth_date": "2999-01-01"},
        headers=bearer(admin),
    )
    user_id = created.json()["id"]
    changed = await gateway.patch(
        f"/v1/users/{user_id}",
        json={"national_id": national_id("310090054321")},
        headers={**bearer(admin), "If-Match": created.headers["ETag"]},
    )
    read = await gateway.get(f"/v1/users/{user_id}", headers=bearer(admin))

    assert created.status_code == 201, created.text
    assert created.json()["national_id_last4"] == number[-4:]
    assert created.json()["birth_date"] == "1975-04-13"
    assert number not in created.text
    assert "national_id_hash" not in created.text
    problem = assert_problem(refused, 422)
    assert pointers(problem) == {"/national_id"}
    assert wrong_check not in refused.text  # a refusal does not echo it either
    assert "เลขประจำตัวประชาชน" in problem["errors"][0]["detail"]
    assert pointers(assert_problem(unborn, 422)) == {"/birth_date"}
    assert changed.status_code == 200, changed.text
    assert read.json()["national_id_last4"] == national_id("310090054321")[-4:]
    assert read.json()["version"] == created.json()["version"] + 1


async def test_an_account_out_of_sight_is_not_granted_to_nor_shown_by_a_grant(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    admin = await login("demo-provincial-93")
    national = (await gateway.get("/v1/me", headers=bearer(await login("demo-national")))).json()
    chainat = (await gateway.get("/v1/me", headers=bearer(await login("demo-tambon-180101")))).json()
    grant = {"role": "tambon", "area": "930105"}

    answers = [
        await gateway.post(f"/v1/users/{account['id']}/grants", json=grant, headers=bearer(admin))
        for account in (national, chainat)
    ]
    after = (await gateway.get("/v1/me", headers=bearer(await login("demo-tambon-180101")))).json()

    for answer in answers:
        assert_problem(answer, 404)
        assert "username" not in answer.text
    assert after["grants"] == chainat["grants"]


async def test_changing_your_password_ends_your_other_sessions_and_keeps_the_one_you_changed_it_from(
    gateway: httpx.AsyncClient, stack: RunningStack, login: Login
) -> None:
    account = await new_account(
        gateway, stack, await login("demo-provincial-93"), [{"role": "tambon", "area": "930101"}]
    )
    here, elsewhere = (
        (await password_login(gateway, account["username"])).json(),
        (await password_login(gateway, account["username"])).json(),
    )

    changed = await gateway.post(
        "/v1/me/password",
        json={"current_password": PASSWORD, "new_password": PASSWORD + "-ใหม่"},
        headers=bearer(here["access_token"]),
    )
    kept = await gateway.post(
        "/v1/auth/token", data={"grant_type": "refresh_token", "refresh_token": here["refresh_token"]}
    )
    ended = await gateway.post(
        "/v1/auth/token", data={"grant_type": "refresh_token", "refresh_token": elsewhere["refresh_token"]}
    )

    assert changed.status_code == 204, changed.text
    assert kept.status_code == 200, kept.text
    assert ended.status_code == 400
    assert ended.json()["error"] == "invalid_grant"


async def test_a_token_claiming_a_grant_taken_away_is_refused_everywhere_and_a_refreshed_one_has_what_is_left(
    gateway: httpx.AsyncClient, stack: RunningStack, login: Login
) -> None:
    admin = await login("demo-provincial-93")
    grants = [*TAMBON, {"role": "provincial", "area": "93"}]
    created = await new_account(gateway, stack, admin, grants)
    signed_in = (await password_login(gateway, created["username"])).json()
    token = signed_in["access_token"]
    paths = ("/v1/users", "/v1/funds", "/v1/projects", "/v1/teams")
    before = [(await gateway.get(path, headers=bearer(token))).status_code for path in paths]

    removed = await gateway.delete(f"/v1/users/{created['id']}/grants/provincial/93", headers=bearer(admin))
    after = await refused_everywhere(gateway, token, paths)
    refreshed = await gateway.post(
        "/v1/auth/token", data={"grant_type": "refresh_token", "refresh_token": signed_in["refresh_token"]}
    )
    new_token = refreshed.json()["access_token"]
    creating = {"username": f"t-{created['id'][:8]}", "display_name": "บัญชีทดสอบ", "grants": grants}

    assert before == [200] * len(paths)
    assert removed.status_code == 200, removed.text
    assert after == [401] * len(paths)
    assert refreshed.status_code == 200, refreshed.text
    assert (await gateway.get("/v1/me", headers=bearer(new_token))).json()["grants"] == TAMBON
    assert (await gateway.post("/v1/users", json=creating, headers=bearer(new_token))).status_code == 403
    assert (await gateway.get("/v1/funds", headers=bearer(new_token))).status_code == 200


async def test_a_username_of_thirteen_digits_is_refused_as_a_national_id_would_be_logged_with_it(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    admin = bearer(await login("demo-provincial-93"))
    body = {"display_name": "บัญชีทดสอบ", "grants": TAMBON}

    refused = await gateway.post(
        "/v1/users",
        json={**body, "username": national_id("193000012345")},
        headers={**admin, "Accept-Language": "th"},
    )
    twelve = await gateway.post("/v1/users", json={**body, "username": "193000012345"}, headers=admin)

    assert pointers(assert_problem(refused, 422)) == {"/username"}
    assert "13" in refused.json()["errors"][0]["detail"]
    assert twelve.status_code in (201, 409), twelve.text
