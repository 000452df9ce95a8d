"""Figures climb a chain before they count: entered per tambon as an update, approved by someone else (a
returned one changes nothing), verified by the tambon, certified by the province — which locks the
period — and reopened only by a national user. Every step checks role and area in the service."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from tests.conftest import Login, bearer
from tests.e2e.test_partner_clients import partner_token
from tests.e2e.test_problems import THAI, assert_problem
from tests.plans.indicators import approved, define, enter, rollup

YEAR = "2569"


async def test_a_returned_update_changes_nothing_and_an_approved_one_becomes_the_value(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    indicator = await define(gateway, login)
    leader, province = bearer(await login("demo-tambon-930101")), bearer(await login("demo-provincial-93"))

    draft = await enter(
        gateway, login, indicator, "930101", YEAR, as_user="demo-tambon-930101", submit=False, value=40
    )
    assert draft.status_code == 201, draft.text
    url = draft.headers["location"]
    submitted = await gateway.post(f"{url}/submit", headers=leader)
    returned = await gateway.post(
        f"{url}/return", json={"reason": "ตัวเลขไม่ตรงกับบัญชีครัวเรือน"}, headers=province
    )
    after_return = await rollup(gateway, indicator, level="tambon", area="930101", fiscal_year=2569)
    revised = await gateway.patch(url, json={"value": 42}, headers={**leader, "If-Match": "*"})
    again = await gateway.post(f"{url}/submit", headers=leader)
    approval = await gateway.post(f"{url}/approve", headers=province)
    after_approval = await rollup(gateway, indicator, level="tambon", area="930101", fiscal_year=2569)

    assert draft.status_code == 201
    assert draft.json()["status"] == "draft"
    assert draft.json()["may_submit"]
    assert submitted.json()["status"] == "submitted"
    assert not submitted.json()["may_approve"]
    assert returned.json()["status"] == "returned"
    assert returned.json()["review_comment"] == "ตัวเลขไม่ตรงกับบัญชีครัวเรือน"
    assert after_return["items"][0]["actual"] is None
    assert revised.status_code == 200
    assert revised.json()["value"] == 42
    assert again.json()["status"] == "submitted"
    assert approval.status_code == 200
    assert approval.json()["status"] == "approved"
    assert after_approval["items"][0]["actual"] == 42
    values = await gateway.get(f"/v1/indicators/{indicator['id']}/values", params={"area": "930101"})
    assert [(v["area_code"], v["period"], v["value"]) for v in values.json()["items"]] == [
        ("930101", YEAR, 42)
    ]
    assert values.json()["items"][0]["approved_by"] is None  # who approved: for the area's staff


async def test_nobody_approves_their_own_update(gateway: httpx.AsyncClient, login: Login) -> None:
    indicator = await define(gateway, login)
    entered = await enter(gateway, login, indicator, "930101", YEAR, as_user="demo-provincial-93", value=5)

    own = await gateway.post(
        f"{entered.headers['location']}/approve", headers=bearer(await login("demo-provincial-93"))
    )

    assert assert_problem(own, 403)["type"].endswith("/own-update")


async def test_certifying_waits_for_every_tambon_with_data_and_then_locks_the_period(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    indicator = await define(gateway, login)
    base = f"/v1/indicators/{indicator['id']}/periods/{YEAR}"
    province = bearer(await login("demo-provincial-93"))
    await approved(gateway, login, indicator, "930101", YEAR, value=10)
    await approved(gateway, login, indicator, "930103", YEAR, value=0)  # a zero is data too

    early = await gateway.post(f"{base}/provinces/93/certify", headers=province)
    early_th = await gateway.post(
        f"{base}/provinces/93/certify", headers={**province, "Accept-Language": "th"}
    )
    verified = await gateway.post(
        f"{base}/tambons/930101/verify", headers=bearer(await login("demo-tambon-930101"))
    )
    still = await gateway.post(f"{base}/provinces/93/certify", headers=province)
    national = bearer(await login("demo-national"))
    # only a tambon user verifies a tambon: the national one, whose grants cover it, is refused too
    by_national = await gateway.post(f"{base}/tambons/930103/verify", headers=national)

    refused = assert_problem(early, 409)
    assert refused["type"].endswith("/tambons-unverified")
    assert refused["unverified_tambons"] == ["930101", "930103"]
    assert THAI.search(assert_problem(early_th, 409)["title"])
    assert verified.status_code == 200
    assert verified.json()["status"] == "verified"
    assert assert_problem(still, 409)["unverified_tambons"] == ["930103"]
    assert_problem(by_national, 403)


async def test_a_certified_period_refuses_updates_until_a_national_user_reopens_it(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    indicator = await define(gateway, login)
    base = f"/v1/indicators/{indicator['id']}/periods/{YEAR}"
    leader, province = bearer(await login("demo-tambon-930101")), bearer(await login("demo-provincial-93"))
    await approved(gateway, login, indicator, "930101", YEAR, value=12)
    waiting = await enter(gateway, login, indicator, "930101", YEAR, value=13)  # submitted, not yet reviewed
    pending = await gateway.post(f"{base}/tambons/930101/verify", headers=leader)
    await gateway.post(f"{waiting.headers['location']}/return", json={"reason": "ซ้ำ"}, headers=province)
    await gateway.post(f"{base}/tambons/930101/verify", headers=leader)

    certified = await gateway.post(f"{base}/provinces/93/certify", headers=province)
    late = await enter(gateway, login, indicator, "930101", YEAR, value=14)
    late_th = await gateway.post(
        f"/v1/indicators/{indicator['id']}/updates",
        json={"area_code": "930101", "period": YEAR, "value": 14},
        headers={**bearer(await login("demo-national")), "Accept-Language": "th"},
    )
    resubmit = await gateway.post(
        f"{waiting.headers['location']}/submit", headers=bearer(await login("demo-national"))
    )
    send_back = await gateway.post(f"{base}/tambons/930101/return", json={"reason": "แก้ไข"}, headers=province)
    by_province = await gateway.post(
        f"{base}/provinces/93/reopen", json={"reason": "พบข้อผิดพลาด"}, headers=province
    )
    reopened = await gateway.post(
        f"{base}/provinces/93/reopen",
        json={"reason": "พบข้อผิดพลาด"},
        headers=bearer(await login("demo-national")),
    )
    sent_back = await gateway.post(
        f"{base}/tambons/930101/return", json={"reason": "แก้ตัวเลข"}, headers=province
    )
    fixed = await enter(gateway, login, indicator, "930101", YEAR, value=15)

    assert assert_problem(pending, 409)["type"].endswith("/updates-pending")
    assert certified.status_code == 200, certified.text
    assert certified.json()["status"] == "certified"
    assert certified.json()["certified"]["by"] is not None
    assert not certified.json()["may_certify"]
    locked = assert_problem(late, 409)
    assert locked["type"].endswith("/period-locked")
    assert locked["locked_by"] == "certification"
    assert THAI.search(assert_problem(late_th, 409)["detail"])
    assert_problem(resubmit, 409)
    assert assert_problem(send_back, 409)["type"].endswith("/period-locked")
    assert_problem(by_province, 403)
    assert reopened.status_code == 200
    assert reopened.json()["status"] == "reopened"
    assert reopened.json()["reopened"]["reason"] == "พบข้อผิดพลาด"
    assert sent_back.json()["status"] == "returned"
    assert sent_back.json()["returned"]["reason"] == "แก้ตัวเลข"
    assert fixed.status_code == 201
    public = await gateway.get(f"{base}/tambons/930101")
    assert public.json()["status"] == "returned"
    assert public.json()["returned"]["reason"] is None


async def test_reopening_one_province_leaves_the_others_certified(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    indicator = await define(gateway, login, area="TH")
    base = f"/v1/indicators/{indicator['id']}/periods/{YEAR}"
    for province in ("93", "18"):
        certified = await gateway.post(
            f"{base}/provinces/{province}/certify", headers=bearer(await login(f"demo-provincial-{province}"))
        )
        assert certified.status_code == 200, certified.text

    await gateway.post(
        f"{base}/provinces/93/reopen",
        json={"reason": "ตรวจใหม่"},
        headers=bearer(await login("demo-national")),
    )

    assert (await gateway.get(f"{base}/provinces/93")).json()["status"] == "reopened"
    assert (await gateway.get(f"{base}/provinces/18")).json()["status"] == "certified"


async def test_a_certified_province_period_keeps_its_targets_until_reopened_and_others_still_take_them(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    indicator = await define(gateway, login, area="TH")
    base = f"/v1/indicators/{indicator['id']}/periods/{YEAR}"
    targets = f"/v1/indicators/{indicator['id']}/targets"
    national = bearer(await login("demo-national"))
    before = await gateway.post(targets, json=_targets(("930101", YEAR, 10)), headers=national)
    certified = await gateway.post(
        f"{base}/provinces/93/certify", headers=bearer(await login("demo-provincial-93"))
    )

    in_93 = await gateway.post(
        targets,
        json=_targets(("180101", YEAR, 5), ("930101", YEAR, 99)),
        headers={**national, "Accept-Language": "th"},
    )
    after_refusal = await gateway.get(targets, params={"fiscal_year": 2569})
    province_93 = await gateway.post(targets, json=_targets(("93", YEAR, 99)), headers=national)
    elsewhere = await gateway.post(
        targets,
        json=_targets(("180101", YEAR, 5), ("TH", YEAR, 500)),
        headers=national,
    )
    next_year = await gateway.post(targets, json=_targets(("930101", "2570", 11)), headers=national)
    await gateway.post(f"{base}/provinces/93/reopen", json={"reason": "ปรับเป้าหมาย"}, headers=national)
    reopened = await gateway.post(targets, json=_targets(("930101", YEAR, 12)), headers=national)

    assert before.status_code == 200, before.text
    assert certified.status_code == 200, certified.text
    locked = assert_problem(in_93, 409)
    assert locked["type"].endswith("/period-locked")
    assert (locked["locked_by"], locked["area_code"], locked["period"]) == ("certification", "930101", YEAR)
    assert THAI.search(locked["detail"])
    # all or none: the refused list wrote neither its 180101 target nor its new 930101 one
    assert [(t["area_code"], t["value"]) for t in after_refusal.json()["items"]] == [("930101", 10)]
    assert assert_problem(province_93, 409)["area_code"] == "93"
    assert elsewhere.status_code == 200, elsewhere.text
    assert next_year.status_code == 200, next_year.text
    assert reopened.status_code == 200, reopened.text
    listed = await gateway.get(targets, params={"area": "93", "fiscal_year": 2569})
    assert sorted((t["area_code"], t["value"]) for t in listed.json()["items"]) == [("930101", 12)]
    assert [t["value"] for t in (await gateway.get(targets, params={"area": "18"})).json()["items"]] == [5]


def _targets(*rows: tuple[str, str, int]) -> dict[str, Any]:
    return {
        "targets": [{"area_code": area, "period": period, "value": value} for area, period, value in rows]
    }


async def test_every_step_checks_role_and_area_in_the_service(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    indicator = await define(gateway, login, area="TH")
    base = f"/v1/indicators/{indicator['id']}/periods/{YEAR}"
    await approved(gateway, login, indicator, "930101", YEAR, value=3)
    waiting = await enter(gateway, login, indicator, "930101", YEAR, value=4)
    partner = bearer(await partner_token(gateway))

    chainat_verifies = await gateway.post(
        f"{base}/tambons/930101/verify", headers=bearer(await login("demo-tambon-180101"))
    )
    chainat_certifies = await gateway.post(
        f"{base}/provinces/93/certify", headers=bearer(await login("demo-provincial-18"))
    )
    tambon_certifies = await gateway.post(
        f"{base}/provinces/93/certify", headers=bearer(await login("demo-tambon-930101"))
    )
    chainat_approves = await gateway.post(
        f"{waiting.headers['location']}/approve", headers=bearer(await login("demo-provincial-18"))
    )
    partner_approves = await gateway.post(f"{waiting.headers['location']}/approve", headers=partner)
    partner_reads = await gateway.get(f"{base}/tambons/930101", headers=partner)
    partner_rollup = await gateway.get(
        f"/v1/indicators/{indicator['id']}/rollup",
        params={"level": "province", "fiscal_year": 2569},
        headers=partner,
    )
    anonymous_updates = await gateway.get(f"/v1/indicators/{indicator['id']}/updates")
    partner_updates = await gateway.get(f"/v1/indicators/{indicator['id']}/updates", headers=partner)

    assert assert_problem(chainat_verifies, 403)["type"].endswith("/outside-area")
    assert assert_problem(chainat_certifies, 403)["type"].endswith("/outside-area")
    assert assert_problem(tambon_certifies, 403)["type"].endswith("/forbidden")
    assert_problem(chainat_approves, 403)
    assert_problem(partner_approves, 403)
    assert partner_reads.status_code == 200
    assert not partner_reads.json()["may_verify"]
    assert partner_rollup.status_code == 200
    assert [item["area_code"] for item in partner_rollup.json()["items"]] == ["93"]  # inside its grants
    assert_problem(anonymous_updates, 401)
    assert_problem(partner_updates, 403)


async def test_the_caller_is_told_what_they_may_do(gateway: httpx.AsyncClient, login: Login) -> None:
    indicator = await define(gateway, login)
    entered = await enter(gateway, login, indicator, "930101", YEAR, as_user="demo-tambon-930101", value=8)
    base = f"/v1/indicators/{indicator['id']}/periods/{YEAR}"

    as_author = await gateway.get(
        entered.headers["location"], headers=bearer(await login("demo-tambon-930101"))
    )
    as_reviewer = await gateway.get(
        entered.headers["location"], headers=bearer(await login("demo-provincial-93"))
    )
    period_as_leader = await gateway.get(
        f"{base}/tambons/930101", headers=bearer(await login("demo-tambon-930101"))
    )
    province_as_province = await gateway.get(
        f"{base}/provinces/93", headers=bearer(await login("demo-provincial-93"))
    )

    assert {k: v for k, v in as_author.json().items() if k.startswith("may_")} == {
        "may_submit": False,
        "may_approve": False,
        "may_return": False,
        "may_verify": True,
        "may_certify": False,
    }
    assert as_reviewer.json()["may_approve"]
    assert as_reviewer.json()["may_return"]
    assert as_reviewer.json()["may_certify"]
    assert not as_reviewer.json()["may_verify"]
    assert period_as_leader.json()["pending_updates"] == 1
    assert period_as_leader.json()["may_verify"]
    assert province_as_province.json()["unverified_tambons"] == ["930101"]
    assert not province_as_province.json()["may_certify"]


async def test_a_verification_and_an_approval_at_once_never_leave_a_verified_tambon_with_new_figures(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    indicator = await define(gateway, login)
    waiting = await enter(gateway, login, indicator, "930101", YEAR, value=21)
    base = f"/v1/indicators/{indicator['id']}/periods/{YEAR}"

    approve, verify = await asyncio.gather(
        gateway.post(
            f"{waiting.headers['location']}/approve", headers=bearer(await login("demo-provincial-93"))
        ),
        gateway.post(f"{base}/tambons/930101/verify", headers=bearer(await login("demo-tambon-930101"))),
    )

    # either the approval came first (then the verification signs the new value) or the verification was
    # refused while the update waited; a verified tambon never gains a value after it was verified
    assert approve.status_code == 200
    assert verify.status_code in (200, 409)
    state = (await gateway.get(f"{base}/tambons/930101")).json()
    assert state["values"] == 1
    assert state["pending_updates"] == 0
