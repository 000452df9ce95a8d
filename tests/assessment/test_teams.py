"""Support teams: formed inside the former's grants, listed by area and kind, renamed with If-Match."""

from __future__ import annotations

import httpx

from tests.conftest import Login, bearer


async def form(gateway: httpx.AsyncClient, token: str, kind: str, area: str, name: str) -> httpx.Response:
    body = {"kind": kind, "name": name, "area_code": area}
    return await gateway.post("/v1/teams", json=body, headers=bearer(token))


async def test_a_team_is_formed_only_inside_the_formers_grants(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    token = await login("demo-provincial-93")

    formed = await form(gateway, token, "outcome", "9301", "ทีมประเมินผลลัพธ์")
    refused = await form(gateway, token, "outcome", "18", "ทีมนอกพื้นที่")

    assert formed.status_code == 201
    assert formed.headers["location"] == f"/v1/teams/{formed.json()['id']}"
    assert refused.status_code == 403


async def test_teams_are_listed_by_area_and_kind(gateway: httpx.AsyncClient, login: Login) -> None:
    token = await login("demo-provincial-57")
    lessons = (await form(gateway, token, "core_lessons", "5701", "ทีมถอดบทเรียน")).json()["id"]
    outcome = (await form(gateway, token, "outcome", "5701", "ทีมผลลัพธ์")).json()["id"]

    listed = await gateway.get("/v1/teams", params={"area": "57", "kind": "core_lessons", "limit": 200})
    elsewhere = await gateway.get("/v1/teams", params={"area": "18", "kind": "core_lessons", "limit": 200})

    ids = [team["id"] for team in listed.json()["items"]]
    assert lessons in ids
    assert outcome not in ids
    assert {team["kind"] for team in listed.json()["items"]} == {"core_lessons"}
    assert lessons not in [team["id"] for team in elsewhere.json()["items"]]


async def test_a_rename_on_an_older_version_is_refused_and_the_team_keeps_its_name(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    token = await login("demo-provincial-93")
    formed = await form(gateway, token, "internal_empowerment", "93", "ทีมเสริมพลัง")
    url, tag = formed.headers["location"], formed.headers["etag"]

    renamed = await gateway.patch(
        url, json={"name": "ทีมเสริมพลังใหม่"}, headers={**bearer(token), "If-Match": tag}
    )
    stale = await gateway.patch(url, json={"name": "ชื่ออื่น"}, headers={**bearer(token), "If-Match": tag})
    read = await gateway.get(url, headers={"If-None-Match": renamed.headers["etag"]})

    assert renamed.status_code == 200
    assert renamed.json()["version"] == 2
    assert stale.status_code == 412
    assert read.status_code == 304
