"""Partner systems and services authenticate with OAuth2 client credentials."""

from __future__ import annotations

import base64

import httpx

from services.common.service_clients import service_client_id, service_client_secret
from services.common.settings import Settings
from tests.conftest import DEMO_PASSWORD, Login, bearer


async def partner_token(gateway: httpx.AsyncClient) -> str:
    response = await gateway.post(
        "/v1/auth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": "demo-partner",
            "client_secret": DEMO_PASSWORD,
        },
    )
    assert response.status_code == 200, response.text
    assert "refresh_token" not in response.json()
    return str(response.json()["access_token"])


async def fund_in(gateway: httpx.AsyncClient, login: Login, username: str, area: str) -> str:
    response = await gateway.post(
        "/v1/funds",
        json={"name_th": "กองทุนบริหารร่วม", "kind": "pooled_province", "area_code": area},
        headers=bearer(await login(username)),
    )
    return str(response.headers["location"])


async def test_demo_partner_reads_a_fund_of_93_but_not_one_of_18(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    token = await partner_token(gateway)
    phatthalung = await fund_in(gateway, login, "demo-provincial-93", "93")
    chainat = await fund_in(gateway, login, "demo-provincial-18", "18")

    allowed = await gateway.get(phatthalung, headers=bearer(token))
    refused = await gateway.get(chainat, headers=bearer(token))

    assert allowed.status_code == 200
    assert refused.status_code == 403
    assert refused.headers["content-type"] == "application/problem+json"


async def test_a_partner_listing_is_confined_to_its_grant(gateway: httpx.AsyncClient, login: Login) -> None:
    token = await partner_token(gateway)
    await fund_in(gateway, login, "demo-provincial-18", "18")

    listed = await gateway.get("/v1/funds", params={"limit": 200}, headers=bearer(token))
    elsewhere = await gateway.get("/v1/funds", params={"area": "18"}, headers=bearer(token))

    assert listed.status_code == 200
    assert {f["area_code"][:2] for f in listed.json()["items"]} <= {"93"}
    assert elsewhere.status_code == 403


async def test_a_partner_cannot_open_a_fund(gateway: httpx.AsyncClient) -> None:
    response = await gateway.post(
        "/v1/funds",
        json={"name_th": "x", "kind": "project", "area_code": "93"},
        headers=bearer(await partner_token(gateway)),
    )
    assert response.status_code == 403


async def test_client_credentials_also_work_in_a_basic_header(gateway: httpx.AsyncClient) -> None:
    basic = base64.b64encode(f"demo-partner:{DEMO_PASSWORD}".encode()).decode()
    response = await gateway.post(
        "/v1/auth/token",
        data={"grant_type": "client_credentials"},
        headers={"Authorization": f"Basic {basic}"},
    )
    assert response.status_code == 200
    me = await gateway.get("/v1/me", headers=bearer(response.json()["access_token"]))
    assert me.json()["kind"] == "client"
    assert me.json()["grants"] == [{"role": "partner", "area": "93"}]


async def test_a_wrong_client_secret_is_invalid_client(gateway: httpx.AsyncClient) -> None:
    response = await gateway.post(
        "/v1/auth/token",
        data={"grant_type": "client_credentials", "client_id": "demo-partner", "client_secret": "wrong"},
    )
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["error"] == "invalid_client"


async def test_each_service_gets_a_service_token_with_its_derived_secret(gateway: httpx.AsyncClient) -> None:
    settings = Settings()
    response = await gateway.post(
        "/v1/auth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": service_client_id("funds"),
            "client_secret": service_client_secret(settings, "funds"),
        },
    )
    assert response.status_code == 200, response.text
    me = await gateway.get("/v1/me", headers=bearer(response.json()["access_token"]))
    assert me.json()["kind"] == "service"
