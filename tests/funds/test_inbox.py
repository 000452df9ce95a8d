"""`/v1/me/inbox`: what waits for the caller, from each service's own pending state — a new disbursement is
in a committee member's inbox as soon as its request is answered, and leaves it once they approve."""

from __future__ import annotations

import json
from typing import Any

import asyncpg
import httpx

from tests.assessment.rounds import chainat_round, score
from tests.conftest import Login, bearer
from tests.e2e.test_problems import assert_problem
from tests.funds.conftest import FundsClient, People
from tests.plans.indicators import approved, define, enter

YEAR = "2569"


async def test_a_committee_member_sees_a_new_disbursement_in_their_inbox_at_once_and_not_after_approving(
    gateway: httpx.AsyncClient, funds: FundsClient, person: People
) -> None:
    owner, national, south = (
        await person("demo-provincial-93"),
        await person("demo-national"),
        await person("demo-regional-south"),
    )
    fund = await funds.open(owner, committee=[national, south], approvals_required=2)
    await funds.contribute(owner, fund["id"], 10_000)
    asked = await funds.request(owner, fund["id"], 2_500)

    national_inbox = (await gateway.get("/v1/me/inbox", headers=national.headers)).json()
    owners_inbox = (await gateway.get("/v1/me/inbox", headers=owner.headers)).json()
    await funds.approve(national, fund["id"], asked["id"])
    after_approving = (await gateway.get("/v1/me/inbox", headers=national.headers)).json()
    souths_inbox = (await gateway.get("/v1/me/inbox", headers=south.headers)).json()
    since_later = await gateway.get(
        "/v1/me/inbox", params={"updated_since": "2999-01-01T00:00:00Z"}, headers=south.headers
    )
    anonymous = await gateway.get("/v1/me/inbox")

    waiting = [item for item in national_inbox["items"] if item["subject_id"] == asked["id"]]
    assert [(item["kind"], item["source"], item["area_code"]) for item in waiting] == [
        ("disbursement_approval", "funds", "93")
    ]
    assert waiting[0]["path"] == f"/v1/funds/{fund['id']}/disbursements/{asked['id']}"
    assert "฿25.00" in waiting[0]["summary"]
    assert national_inbox["counts"]["disbursement_approval"] >= 1
    assert national_inbox["unavailable"] == []
    assert asked["id"] not in {item["subject_id"] for item in owners_inbox["items"]}  # not their own request
    assert asked["id"] not in {item["subject_id"] for item in after_approving["items"]}
    assert asked["id"] in {item["subject_id"] for item in souths_inbox["items"]}  # still waits for the second
    assert since_later.json()["total"] == 0
    assert_problem(anonymous, 401)


async def test_a_submitted_figure_waits_in_its_reviewers_inbox_but_not_its_authors(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    indicator = await define(gateway, login)
    entered = await enter(gateway, login, indicator, "930101", YEAR, value=4, as_user="demo-tambon-930101")
    update_id = entered.json()["id"]

    reviewer = (await gateway.get("/v1/me/inbox", headers=bearer(await login("demo-provincial-93")))).json()
    author = (await gateway.get("/v1/me/inbox", headers=bearer(await login("demo-tambon-930101")))).json()
    elsewhere = (await gateway.get("/v1/me/inbox", headers=bearer(await login("demo-provincial-18")))).json()

    assert entered.status_code == 201, entered.text
    assert [item["kind"] for item in reviewer["items"] if item["subject_id"] == update_id] == [
        "update_review"
    ]
    assert update_id not in {item["subject_id"] for item in author["items"]}
    assert update_id not in {item["subject_id"] for item in elsewhere["items"]}


async def test_a_submitted_round_item_waits_for_its_teams_lead_until_reviewed(
    gateway: httpx.AsyncClient, login: Login, database: asyncpg.Connection
) -> None:
    scoring = await chainat_round(gateway, login, assigned=["18"], areas=["180101"])
    criterion = "shared_data"
    item = scoring.item("180101", criterion)
    for side, token in (("self", scoring.community), ("team", scoring.evaluator)):
        assert (await gateway.put(f"{item}/{side}", json=score(2), headers=bearer(token))).status_code == 200
    await gateway.post(f"{item}/submit", headers=bearer(scoring.evaluator))

    before = (await gateway.get("/v1/me/inbox", headers=bearer(scoring.evaluator))).json()
    await gateway.post(f"{item}/review", json={}, headers=bearer(scoring.evaluator))
    after = (await gateway.get("/v1/me/inbox", headers=bearer(scoring.evaluator))).json()

    key = f"{scoring.round['id']}/180101/{criterion}"
    assert [entry["kind"] for entry in before["items"] if entry["subject_id"] == key] == ["item_review"]
    assert key not in {entry["subject_id"] for entry in after["items"]}
    lead = (await gateway.get("/v1/me", headers=bearer(scoring.evaluator))).json()["id"]
    [announced] = await _announced(database, "assessment", key)
    assert (announced["item"]["kind"], announced["roles"]) == ("item_review", [])  # for the leads, unnamed
    assert lead not in json.dumps(announced)


async def test_a_tambons_approved_figures_wait_for_it_to_verify_then_the_province_to_certify(
    gateway: httpx.AsyncClient, login: Login, database: asyncpg.Connection
) -> None:
    indicator = await define(gateway, login)
    tambon, province = bearer(await login("demo-tambon-930101")), bearer(await login("demo-provincial-93"))
    period = f"/v1/indicators/{indicator['id']}/periods/{YEAR}"
    await approved(gateway, login, indicator, "930101", YEAR, value=7)
    tambon_key, province_key = f"{indicator['id']}/930101/{YEAR}", f"{indicator['id']}/93/{YEAR}"

    async def waiting(headers: dict[str, str], key: str) -> list[dict[str, object]]:
        inbox = (await gateway.get("/v1/me/inbox", headers=headers)).json()
        return [item for item in inbox["items"] if item["subject_id"] == key]

    to_verify = await waiting(tambon, tambon_key)
    not_yet_certifiable = await waiting(province, province_key)
    assert (await gateway.post(f"{period}/tambons/930101/verify", headers=tambon)).status_code == 200
    verified = await waiting(tambon, tambon_key)
    to_certify = await waiting(province, province_key)
    assert (await gateway.post(f"{period}/provinces/93/certify", headers=province)).status_code == 200
    certified = await waiting(province, province_key)

    assert [(item["kind"], item["path"]) for item in to_verify] == [
        ("tambon_verification", f"{period}/tambons/930101")
    ]
    assert not_yet_certifiable == []  # a tambon with data has not verified yet
    assert verified == []
    assert [(item["kind"], item["path"]) for item in to_certify] == [
        ("province_certification", f"{period}/provinces/93")
    ]
    assert certified == []
    [tambon_announced] = await _announced(database, "plans", tambon_key)
    [province_announced] = await _announced(database, "plans", province_key)
    assert (tambon_announced["item"]["kind"], tambon_announced["roles"]) == (
        "tambon_verification",
        ["tambon"],
    )
    assert (province_announced["item"]["kind"], province_announced["roles"]) == (
        "province_certification",
        ["provincial"],
    )


async def _announced(database: asyncpg.Connection, schema: str, subject_id: str) -> list[dict[str, Any]]:
    rows = await database.fetch(
        f"SELECT data FROM {schema}.outbox WHERE type = 'inbox.item.created' AND aggregate_id = $1",
        subject_id,
    )
    return [json.loads(row["data"]) if isinstance(row["data"], str) else dict(row["data"]) for row in rows]


async def test_each_new_item_is_announced_as_inbox_item_created_naming_roles_but_never_people(
    gateway: httpx.AsyncClient, funds: FundsClient, person: People, login: Login, database: asyncpg.Connection
) -> None:
    owner, national, south = (
        await person("demo-provincial-93"),
        await person("demo-national"),
        await person("demo-regional-south"),
    )
    fund = await funds.open(owner, committee=[owner, national, south], approvals_required=2)
    await funds.contribute(owner, fund["id"], 10_000)
    asked = await funds.request(owner, fund["id"], 2_500)
    indicator = await define(gateway, login)
    entered = await enter(gateway, login, indicator, "930101", YEAR, value=4, as_user="demo-tambon-930101")
    catalogue = (await gateway.get("/v1/webhooks/event-types")).json()

    [disbursement] = await _announced(database, "funds", asked["id"])
    [update] = await _announced(database, "plans", entered.json()["id"])

    assert disbursement["item"]["kind"] == "disbursement_approval"
    assert disbursement["item"]["path"] == f"/v1/funds/{fund['id']}/disbursements/{asked['id']}"
    assert disbursement["roles"] == []  # for the committee, whose inboxes show it: no one is named
    assert not {owner.id, national.id, south.id} & {*json.dumps(disbursement).split('"')}
    assert (update["item"]["kind"], update["item"]["area_code"]) == ("update_review", "930101")
    assert set(update["roles"]) >= {"tambon", "provincial"}
    assert entered.json()["created_by"] not in json.dumps(update)
    assert [t["type"] for t in catalogue if t["type"] == "inbox.item.created"] == ["inbox.item.created"]
