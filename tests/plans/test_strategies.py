"""A people's strategy behaves as every area resource: ETag reads, If-Match edits, pages, sync, scope."""

from __future__ import annotations

import uuid

import httpx

from tests.conftest import Login, bearer
from tests.e2e.test_partner_clients import partner_token


async def record(gateway: httpx.AsyncClient, token: str, province: str, title: str) -> httpx.Response:
    body = {"province_code": province, "title_th": title, "vision": "ชุมชนเข้มแข็ง"}
    response = await gateway.post("/v1/strategies", json=body, headers=bearer(token))
    assert response.status_code == 201, response.text
    return response


async def test_a_recorded_strategy_reads_back_with_its_etag_and_a_current_copy_is_not_sent_again(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    created = await record(gateway, await login("demo-provincial-93"), "93", "ยุทธศาสตร์พัทลุง")

    read = await gateway.get(created.headers["location"])
    again = await gateway.get(created.headers["location"], headers={"If-None-Match": read.headers["etag"]})

    assert read.status_code == 200
    assert read.json() == created.json()
    assert read.headers["etag"] == created.headers["etag"]
    assert read.json()["version"] == 1
    assert again.status_code == 304


async def test_a_revision_on_the_current_version_applies_and_one_on_an_older_version_is_refused(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    token = await login("demo-provincial-93")
    created = await record(gateway, token, "93", "ยุทธศาสตร์ก่อนแก้")
    url, first_tag = created.headers["location"], created.headers["etag"]

    revised = await gateway.patch(
        url, json={"vision": "ป่าชุมชน"}, headers={**bearer(token), "If-Match": first_tag}
    )
    stale = await gateway.patch(
        url, json={"vision": "อย่างอื่น"}, headers={**bearer(token), "If-Match": first_tag}
    )

    assert revised.status_code == 200
    assert revised.json()["version"] == 2
    assert revised.json()["vision"] == "ป่าชุมชน"
    assert stale.status_code == 412
    assert (await gateway.get(url)).json()["vision"] == "ป่าชุมชน"


async def test_an_if_match_listing_several_tags_applies_when_any_of_them_is_current(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    token = await login("demo-provincial-93")
    created = await record(gateway, token, "93", "ยุทธศาสตร์หลายแท็ก")
    url, first_tag = created.headers["location"], created.headers["etag"]
    second = await gateway.patch(
        url, json={"vision": "รุ่นสอง"}, headers={**bearer(token), "If-Match": first_tag}
    )
    stale_only = f"{first_tag}, W/{second.headers['etag']}"  # a weak tag never matches an edit

    refused = await gateway.patch(
        url, json={"vision": "ไม่"}, headers={**bearer(token), "If-Match": stale_only}
    )
    listed = await gateway.patch(
        url,
        json={"vision": "รุ่นสาม"},
        headers={**bearer(token), "If-Match": f"{first_tag}, {second.headers['etag']}"},
    )

    assert refused.status_code == 412
    assert listed.status_code == 200, listed.text
    assert (listed.json()["version"], listed.json()["vision"]) == (3, "รุ่นสาม")


async def test_an_unknown_strategy_is_not_found_in_thai(gateway: httpx.AsyncClient) -> None:
    missing = uuid.uuid4()

    response = await gateway.get(f"/v1/strategies/{missing}", headers={"Accept-Language": "th"})

    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert f"ไม่พบยุทธศาสตร์ รหัส {missing}" in response.json()["detail"]


async def test_strategies_of_a_province_come_page_by_page_and_revisions_come_again_for_sync(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    token = await login("demo-provincial-57")
    ids = [(await record(gateway, token, "57", f"ยุทธศาสตร์เชียงราย {n}")).json()["id"] for n in range(3)]

    seen: list[dict[str, str]] = []
    params: dict[str, str | int] = {"area": "57", "limit": 2}
    while True:
        page = (await gateway.get("/v1/strategies", params=params)).json()
        seen += page["items"]
        if page["next_cursor"] is None:
            break
        params["cursor"] = page["next_cursor"]
    revised = await gateway.patch(
        f"/v1/strategies/{ids[0]}", json={"vision": "แก้"}, headers={**bearer(token), "If-Match": "*"}
    )
    since = revised.json()["updated_at"]
    synced = (await gateway.get("/v1/strategies", params={"updated_since": since, "limit": 200})).json()

    assert [item["id"] for item in seen][-3:] == ids
    assert {item["province_code"] for item in seen} == {"57"}
    assert ids[0] in [item["id"] for item in synced["items"]]
    assert not {ids[1], ids[2]} & {item["id"] for item in synced["items"]}


async def test_a_partner_reads_strategies_inside_its_grant_only(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    inside = await record(gateway, await login("demo-provincial-93"), "93", "ยุทธศาสตร์ในสิทธิ์")
    outside = await record(gateway, await login("demo-provincial-18"), "18", "ยุทธศาสตร์นอกสิทธิ์")
    token = await partner_token(gateway)

    allowed = await gateway.get(inside.headers["location"], headers=bearer(token))
    refused = await gateway.get(outside.headers["location"], headers=bearer(token))
    listed = await gateway.get("/v1/strategies", params={"limit": 200}, headers=bearer(token))

    assert allowed.status_code == 200
    assert refused.status_code == 403
    assert {s["province_code"] for s in listed.json()["items"]} == {"93"}
