"""The walking skeleton through the gateway: log in, create in your province, be refused elsewhere."""

from __future__ import annotations

import httpx

from tests.conftest import DEMO_PASSWORD, Login, bearer


async def test_provincial_user_creates_a_fund_in_own_province_and_is_refused_in_another(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    token = await login("demo-provincial-93")
    fund = {"name_th": "กองทุนบริหารร่วมจังหวัดพัทลุง", "kind": "pooled_province"}

    refused = await gateway.post("/v1/funds", json={**fund, "area_code": "50"}, headers=bearer(token))
    created = await gateway.post("/v1/funds", json={**fund, "area_code": "93"}, headers=bearer(token))

    assert refused.status_code == 403
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["type"].endswith("/outside-area")
    assert created.status_code == 201, created.text
    assert created.json()["area_code"] == "93"
    listed = await gateway.get("/v1/funds", params={"area": "93", "limit": 200})
    assert created.json()["id"] in {item["id"] for item in listed.json()["items"]}


async def test_refresh_token_yields_a_new_access_token_that_works(gateway: httpx.AsyncClient) -> None:
    first = await gateway.post(
        "/v1/auth/token",
        data={"grant_type": "password", "username": "demo-provincial-93", "password": DEMO_PASSWORD},
    )
    assert first.status_code == 200
    assert first.json()["token_type"] == "bearer"

    refreshed = await gateway.post(
        "/v1/auth/token", data={"grant_type": "refresh_token", "refresh_token": first.json()["refresh_token"]}
    )

    assert refreshed.status_code == 200, refreshed.text
    new_token = refreshed.json()["access_token"]
    assert new_token != first.json()["access_token"]
    me = await gateway.get("/v1/me", headers=bearer(new_token))
    assert me.status_code == 200
    assert me.json()["username"] == "demo-provincial-93"
    assert me.json()["grants"] == [{"role": "provincial", "area": "93"}]
