"""Opening and changing a fund: committee and approval rule, balances beside it, its history."""

from __future__ import annotations

import uuid
from datetime import datetime

import httpx

from tests.funds.conftest import FundsClient, People


async def test_a_fund_opened_with_only_name_kind_and_area_has_no_committee_and_needs_two_approvals(
    gateway: httpx.AsyncClient, person: People
) -> None:
    opener = await person("demo-provincial-93")
    body = {"name_th": "กองทุนบริหารร่วมจังหวัดพัทลุง", "kind": "pooled_province", "area_code": "93"}

    created = await gateway.post("/v1/funds", json=body, headers=opener.headers)

    assert created.status_code == 201, created.text
    fund = created.json()
    assert fund["approvals_required"] == 2
    assert fund["committee"] == []
    assert fund["committee_size"] == 0
    assert (fund["balance_satang"], fund["reserved_satang"], fund["available_satang"]) == (0, 0, 0)


async def test_a_fund_shows_its_balance_reserved_and_available(funds: FundsClient, person: People) -> None:
    opener, national, south = (
        await person("demo-provincial-93"),
        await person("demo-national"),
        await person("demo-regional-south"),
    )
    fund = await funds.open(opener, committee=[national, south])
    await funds.contribute(opener, fund["id"], 50_000)
    disbursement = await funds.request(opener, fund["id"], 20_000)
    await funds.approve(national, fund["id"], disbursement["id"])
    await funds.approve(south, fund["id"], disbursement["id"])

    seen = await funds.fund(fund["id"])

    assert (seen["balance_satang"], seen["reserved_satang"], seen["available_satang"]) == (
        50_000,
        20_000,
        30_000,
    )


async def test_the_etag_changes_when_money_moves_but_an_edit_of_the_settings_is_not_made_stale_by_it(
    gateway: httpx.AsyncClient, funds: FundsClient, person: People
) -> None:
    opener = await person("demo-provincial-93")
    fund = await funds.open(opener, committee=[])
    url = f"/v1/funds/{fund['id']}"
    before = await gateway.get(url)

    await funds.contribute(opener, fund["id"], 10_000)
    after = await gateway.get(url, headers={"If-None-Match": before.headers["etag"]})
    edit = await gateway.patch(
        url, json={"name_en": "Test fund"}, headers={**opener.headers, "If-Match": before.headers["etag"]}
    )
    stale = await gateway.patch(
        url, json={"name_en": "Another name"}, headers={**opener.headers, "If-Match": before.headers["etag"]}
    )

    assert after.status_code == 200, "a new balance must not be answered with 304"
    assert after.json()["balance_satang"] == 10_000
    assert after.headers["etag"] != before.headers["etag"]
    assert edit.status_code == 200, edit.text
    assert stale.status_code == 412


async def test_an_edit_listing_a_stale_and_the_current_etag_in_if_match_applies(
    gateway: httpx.AsyncClient, funds: FundsClient, person: People
) -> None:
    opener = await person("demo-provincial-93")
    fund = await funds.open(opener, committee=[])
    url = f"/v1/funds/{fund['id']}"
    before = await gateway.get(url)
    renamed = await gateway.patch(
        url, json={"name_en": "First"}, headers={**opener.headers, "If-Match": before.headers["etag"]}
    )

    listed = await gateway.patch(
        url,
        json={"name_en": "Second"},
        headers={**opener.headers, "If-Match": f"{before.headers['etag']}, {renamed.headers['etag']}"},
    )

    assert renamed.status_code == 200, renamed.text
    assert listed.status_code == 200, listed.text
    assert listed.json()["name_en"] == "Second"


async def test_changing_the_committee_is_recorded_with_who_and_when(
    gateway: httpx.AsyncClient, funds: FundsClient, person: People
) -> None:
    opener, national, south = (
        await person("demo-provincial-93"),
        await person("demo-national"),
        await person("demo-regional-south"),
    )
    fund = await funds.open(opener, committee=[national], approvals_required=1)

    changed = await gateway.patch(
        f"/v1/funds/{fund['id']}",
        json={"committee": [national.id, south.id], "approvals_required": 2},
        headers={**national.headers, "If-Match": "*"},
    )
    history = await gateway.get(f"/v1/funds/{fund['id']}/history", headers=opener.headers)
    public_history = await gateway.get(f"/v1/funds/{fund['id']}/history")

    assert changed.status_code == 200, changed.text
    assert changed.json()["committee"] == [national.id, south.id]
    [update] = [entry for entry in history.json()["items"] if entry["action"] == "updated"]
    assert update["actor"] == national.id
    assert update["details"]["changed_fields"] == ["approvals_required", "committee"]
    assert update["details"]["changes"]["committee"] == [[national.id], [national.id, south.id]]
    [public_update] = [entry for entry in public_history.json()["items"] if entry["action"] == "updated"]
    assert public_update["actor"] is None
    assert "changes" not in public_update["details"]
    assert national.id not in public_history.text
    assert south.id not in public_history.text


async def test_more_approvals_than_the_committee_can_give_conflicts_with_the_fund(
    gateway: httpx.AsyncClient, funds: FundsClient, person: People
) -> None:
    opener, national = await person("demo-provincial-93"), await person("demo-national")
    fund = await funds.open(opener, committee=[national], approvals_required=1)

    response = await gateway.patch(
        f"/v1/funds/{fund['id']}", json={"approvals_required": 2}, headers={**opener.headers, "If-Match": "*"}
    )

    assert response.status_code == 409
    assert response.json()["errors"][0]["pointer"] == "/approvals_required"


async def test_funds_are_listed_by_region_with_their_balances(
    gateway: httpx.AsyncClient, funds: FundsClient, person: People
) -> None:
    opener = await person("demo-provincial-93")
    fund = await funds.open(opener, committee=[])
    await funds.contribute(opener, fund["id"], 7_700)

    south = await gateway.get(
        "/v1/funds", params={"region": "south", "kind": "pooled_province", "limit": 200}
    )
    elsewhere = await gateway.get("/v1/funds", params={"region": "north", "limit": 200})

    listed = {item["id"]: item for item in south.json()["items"]}
    assert listed[fund["id"]]["balance_satang"] == 7_700
    assert fund["id"] not in {item["id"] for item in elsewhere.json()["items"]}


async def test_an_unknown_fund_is_404_everywhere(gateway: httpx.AsyncClient) -> None:
    missing = uuid.uuid4()
    for path in ("", "/ledger", "/ledger/verify", "/ledger/export", "/disbursements", "/contributions"):
        response = await gateway.get(f"/v1/funds/{missing}{path}")
        assert response.status_code == 404, (path, response.text)


async def test_a_fund_whose_balance_changed_is_returned_to_an_offline_sync(
    gateway: httpx.AsyncClient, funds: FundsClient, person: People
) -> None:
    recorder, national = await person("demo-provincial-93"), await person("demo-national")
    fund = await funds.open(recorder, committee=[national], approvals_required=1)
    synced_at = (await funds.fund(fund["id"]))["updated_at"]

    await funds.contribute(recorder, fund["id"], 7_000)

    changed = await gateway.get("/v1/funds", params={"area": "93", "updated_since": synced_at, "limit": 200})
    assert changed.status_code == 200, changed.text
    mine = [item for item in changed.json()["items"] if item["id"] == fund["id"]]
    assert len(mine) == 1
    assert mine[0]["balance_satang"] == 7_000
    assert datetime.fromisoformat(mine[0]["updated_at"]) > datetime.fromisoformat(synced_at)


async def test_a_committee_is_of_accounts_that_may_approve_not_an_evaluator_of_the_area(
    gateway: httpx.AsyncClient, person: People
) -> None:
    opener, evaluator, national = (
        await person("demo-provincial-93"),
        await person("demo-evaluator"),
        await person("demo-national"),
    )
    body: dict[str, object] = {"name_th": "กองทุนคณะกรรมการ", "kind": "pooled_province", "area_code": "93"}
    body["approvals_required"] = 1

    refused = await gateway.post(
        "/v1/funds", json={**body, "committee": [national.id, evaluator.id]}, headers=opener.keyed()
    )
    opened = await gateway.post(
        "/v1/funds", json={**body, "committee": [national.id]}, headers=opener.keyed()
    )
    edited = await gateway.patch(
        f"/v1/funds/{opened.json()['id']}",
        json={"committee": [evaluator.id]},
        headers={**opener.headers, "If-Match": opened.headers["etag"], "Accept-Language": "th"},
    )

    assert refused.status_code == 422, refused.text
    assert [error["pointer"] for error in refused.json()["errors"]] == ["/committee/1"]
    assert opened.status_code == 201, opened.text
    assert edited.status_code == 422, edited.text
    assert [error["pointer"] for error in edited.json()["errors"]] == ["/committee/0"]
    assert "บทบาท" in edited.json()["errors"][0]["detail"]
