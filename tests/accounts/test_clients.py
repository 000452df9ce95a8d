"""Partner clients: registered by an administrator with area grants they may give, the secret shown once,
rotated with an overlap in which both secrets work, disabled and enabled; their last use is shown."""

from __future__ import annotations

import uuid

import asyncpg
import httpx

from tests.accounts.accounts import refused_everywhere
from tests.conftest import Login, bearer
from tests.e2e.test_problems import assert_problem


async def _token(gateway: httpx.AsyncClient, client_id: str, secret: str) -> httpx.Response:
    return await gateway.post(
        "/v1/auth/token",
        data={"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret},
    )


async def test_a_provincial_admin_registers_a_partner_of_93_whose_secret_is_shown_once_and_works(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    admin = bearer(await login("demo-provincial-93"))
    created = await gateway.post(
        "/v1/clients", json={"name": "ระบบข้อมูลเทศบาลตำบลคูหาสวรรค์", "grants": [{"area": "93"}]}, headers=admin
    )
    assert created.status_code == 201, created.text
    client = created.json()
    token = await _token(gateway, client["client_id"], client["client_secret"])
    read = await gateway.get("/v1/funds", headers=bearer(token.json()["access_token"]))
    again = await gateway.get(f"/v1/clients/{client['client_id']}", headers=admin)
    in_18 = await gateway.post(
        "/v1/clients", json={"name": "ระบบชัยนาท", "grants": [{"area": "18"}]}, headers=admin
    )
    chainat = await gateway.get(
        f"/v1/clients/{client['client_id']}", headers=bearer(await login("demo-provincial-18"))
    )
    listed = await gateway.get("/v1/clients", params={"limit": 200}, headers=admin)

    assert created.status_code == 201, created.text
    assert created.headers["cache-control"] == "no-store"
    assert client["grants"] == [{"role": "partner", "area": "93"}]
    assert token.status_code == 200, token.text
    assert read.status_code == 200
    assert read.status_code == 200, read.text
    assert all(fund["area_code"].startswith("93") for fund in read.json()["items"])  # confined to its grant
    assert "client_secret" not in again.json()
    assert again.json()["last_used_at"] is not None
    assert_problem(in_18, 403)
    assert_problem(chainat, 404)
    assert listed.status_code == 200, listed.text
    assert client["id"] in {item["id"] for item in listed.json()["items"]}


async def test_a_retried_registration_shows_the_same_secret_again_which_is_kept_sealed_meanwhile(
    gateway: httpx.AsyncClient, login: Login, database: asyncpg.Connection
) -> None:
    admin = {**bearer(await login("demo-provincial-93")), "Idempotency-Key": str(uuid.uuid4())}
    body = {"name": "ระบบข้อมูลทดลองซ้ำ", "grants": [{"area": "93"}]}

    first = await gateway.post("/v1/clients", json=body, headers=admin)
    kept = await database.fetchval(
        "SELECT response_body FROM gateway.idempotency_keys WHERE key = $1", admin["Idempotency-Key"]
    )
    retried = await gateway.post("/v1/clients", json=body, headers=admin)

    assert first.status_code == 201, first.text
    secret = first.json()["client_secret"]
    assert secret.encode() not in kept
    assert first.json()["client_id"].encode() not in kept  # the whole answer is sealed, not just the secret
    assert retried.headers["idempotency-replayed"] == "true"
    assert retried.headers["cache-control"] == "no-store"
    assert retried.json() == first.json()


async def test_a_rotated_secret_overlaps_the_old_one_until_its_overlap_ends_and_a_disabled_client_gets_none(
    gateway: httpx.AsyncClient, login: Login, database: asyncpg.Connection
) -> None:
    admin = bearer(await login("demo-provincial-93"))
    client = (
        await gateway.post(
            "/v1/clients", json={"name": "ระบบภาคีหมุนรหัส", "grants": [{"area": "9301"}]}, headers=admin
        )
    ).json()
    rotated = await gateway.post(f"/v1/clients/{client['client_id']}/secret", headers=admin)
    new_secret = rotated.json()["client_secret"]

    old_in_overlap = await _token(gateway, client["client_id"], client["client_secret"])
    new_works = await _token(gateway, client["client_id"], new_secret)
    await database.execute(
        "UPDATE gateway.clients SET previous_secret_expires_at = now() - interval '1 second' WHERE id = $1",
        uuid.UUID(client["id"]),
    )
    old_after = await _token(gateway, client["client_id"], client["client_secret"])
    disabled = await gateway.post(f"/v1/clients/{client['client_id']}/disable", headers=admin)
    while_disabled = await _token(gateway, client["client_id"], new_secret)
    enabled = await gateway.post(f"/v1/clients/{client['client_id']}/enable", headers=admin)
    after_enabling = await _token(gateway, client["client_id"], new_secret)

    assert rotated.status_code == 200, rotated.text
    assert new_secret != client["client_secret"]
    assert rotated.json()["previous_secret_expires_at"] is not None
    assert old_in_overlap.status_code == 200
    assert new_works.status_code == 200
    assert assert_problem(old_after, 401)["error"] == "invalid_client"
    assert disabled.json()["active"] is False
    assert assert_problem(while_disabled, 401)["error"] == "invalid_client"
    assert enabled.json()["active"] is True
    assert after_enabling.status_code == 200


async def test_a_disabled_clients_access_token_stops_working_in_every_service_within_a_moment(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    admin = bearer(await login("demo-provincial-93"))
    body = {"name": "ระบบภาคีที่ถูกระงับ", "grants": [{"area": "9301"}]}
    client = (await gateway.post("/v1/clients", json=body, headers=admin)).json()
    token = (await _token(gateway, client["client_id"], client["client_secret"])).json()["access_token"]
    paths = ("/v1/funds", "/v1/projects", "/v1/teams", "/v1/me/inbox")
    before = [(await gateway.get(path, headers=bearer(token))).status_code for path in paths]

    await gateway.post(f"/v1/clients/{client['client_id']}/disable", headers=admin)
    after = await refused_everywhere(gateway, token, paths)
    refused = await gateway.get("/v1/funds", headers={**bearer(token), "Accept-Language": "th"})
    await gateway.post(f"/v1/clients/{client['client_id']}/enable", headers=admin)
    new_token = (await _token(gateway, client["client_id"], client["client_secret"])).json()["access_token"]

    assert 401 not in before, before
    assert after == [401] * len(paths)
    assert "ระงับ" in assert_problem(refused, 401)["detail"]
    assert (await gateway.get("/v1/funds", headers=bearer(new_token))).status_code == 200
