"""Each service checks tokens and area grants itself: called on its own port, never trusting the gateway."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from gateway.auth.keys import thumbprint
from tests.conftest import Login, bearer
from tests.stackrunner import RunningStack

WRITES: dict[str, tuple[str, dict[str, Any]]] = {
    "funds": ("/v1/funds", {"name_th": "กองทุนสวัสดิการชุมชนตำบลคูหาสวรรค์", "kind": "project", "area_code": "93"}),
    "plans": (
        "/v1/strategies",
        {"province_code": "93", "title_th": "ยุทธศาสตร์พัทลุง", "vision": "พัทลุงจัดการตนเอง"},
    ),
    "assessment": (
        "/v1/teams",
        {"kind": "internal_empowerment", "name": "ทีมประเมินภายในพัทลุง", "area_code": "93"},
    ),
}
SERVICES = list(WRITES)


@pytest.fixture(scope="module")
async def direct(stack: RunningStack) -> AsyncIterator[dict[str, httpx.AsyncClient]]:
    """One client per service, on the service's own port."""
    clients = {name: httpx.AsyncClient(base_url=stack.service_url(name), timeout=30) for name in SERVICES}
    try:
        yield clients
    finally:
        for client in clients.values():
            await client.aclose()


def signing_key(stack: RunningStack) -> ec.EllipticCurvePrivateKey:
    key = serialization.load_pem_private_key(
        (stack.data_dir / "keys" / "jwt-signing-key.pem").read_bytes(), password=None
    )
    assert isinstance(key, ec.EllipticCurvePrivateKey)
    return key


def mint(
    key: ec.EllipticCurvePrivateKey,
    *,
    kid: str | None = None,
    expires_in: int = 600,
    grants: list[dict[str, str]] | None = None,
    **overrides: Any,
) -> str:
    """A token shaped like gateway/auth/tokens.py issues, signed by `key`."""
    now = int(time.time())
    claims: dict[str, Any] = {
        "iss": "khabuan",
        "aud": "khabuan",
        "sub": str(uuid.uuid4()),
        "kind": "user",
        "grants": grants if grants is not None else [{"role": "national", "area": "TH"}],
        "iat": now - 60,
        "exp": now + expires_in,
        "jti": uuid.uuid4().hex,
        **overrides,
    }
    kid = kid if kid is not None else thumbprint(key.public_key())
    return jwt.encode(claims, key, algorithm="ES256", headers={"kid": kid})


def assert_unauthorized(response: httpx.Response) -> None:
    assert response.status_code == 401, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert response.json()["type"].endswith("/unauthorized")


def assert_forbidden(response: httpx.Response, slug: str) -> None:
    assert response.status_code == 403, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"].endswith(f"/{slug}")


@pytest.mark.parametrize("service", SERVICES)
async def test_a_write_without_a_token_is_refused_by_the_service_itself(
    direct: dict[str, httpx.AsyncClient], service: str
) -> None:
    path, body = WRITES[service]

    response = await direct[service].post(path, json=body)

    assert_unauthorized(response)
    assert response.headers["www-authenticate"] == 'Bearer realm="khabuan"'


@pytest.mark.parametrize("service", SERVICES)
async def test_a_well_signed_token_is_accepted_by_the_service_itself(
    stack: RunningStack, direct: dict[str, httpx.AsyncClient], service: str
) -> None:
    path, body = WRITES[service]

    response = await direct[service].post(path, json=body, headers=bearer(mint(signing_key(stack))))

    assert response.status_code == 201, response.text


@pytest.mark.parametrize("service", SERVICES)
async def test_an_expired_token_is_refused_with_invalid_token(
    stack: RunningStack, direct: dict[str, httpx.AsyncClient], service: str
) -> None:
    path, body = WRITES[service]
    token = mint(signing_key(stack), expires_in=-60)

    response = await direct[service].post(path, json=body, headers=bearer(token))

    assert_unauthorized(response)
    assert 'error="invalid_token"' in response.headers["www-authenticate"]
    assert "expired" in response.json()["detail"]


async def test_a_token_the_service_remembers_is_refused_once_it_expires(
    stack: RunningStack, direct: dict[str, httpx.AsyncClient]
) -> None:
    path, body = WRITES["funds"]
    token = mint(signing_key(stack), expires_in=2)  # the token's own lifetime, made short

    while_valid = await direct["funds"].post(path, json=body, headers=bearer(token))
    again_while_valid = await direct["funds"].post(path, json=body, headers=bearer(token))
    await asyncio.sleep(3)
    after_expiry = await direct["funds"].post(path, json=body, headers=bearer(token))

    assert while_valid.status_code == again_while_valid.status_code == 201
    assert_unauthorized(after_expiry)
    assert "expired" in after_expiry.json()["detail"]


@pytest.mark.parametrize("service", SERVICES)
async def test_a_token_signed_by_a_stranger_key_with_its_own_kid_is_refused(
    direct: dict[str, httpx.AsyncClient], service: str
) -> None:
    path, body = WRITES[service]
    stranger = ec.generate_private_key(ec.SECP256R1())

    response = await direct[service].post(path, json=body, headers=bearer(mint(stranger)))

    assert_unauthorized(response)
    assert 'error="invalid_token"' in response.headers["www-authenticate"]


@pytest.mark.parametrize("service", SERVICES)
async def test_a_token_signed_by_a_stranger_key_forging_the_real_kid_is_refused(
    stack: RunningStack, direct: dict[str, httpx.AsyncClient], service: str
) -> None:
    path, body = WRITES[service]
    real_kid = thumbprint(signing_key(stack).public_key())
    forged = mint(ec.generate_private_key(ec.SECP256R1()), kid=real_kid)

    response = await direct[service].post(path, json=body, headers=bearer(forged))

    assert_unauthorized(response)
    assert 'error="invalid_token"' in response.headers["www-authenticate"]


@pytest.mark.parametrize("service", SERVICES)
@pytest.mark.parametrize("claims", [{"aud": "someone-else"}, {"iss": "https://evil.example"}])
async def test_a_token_for_another_audience_or_from_another_issuer_is_refused(
    stack: RunningStack, direct: dict[str, httpx.AsyncClient], service: str, claims: dict[str, Any]
) -> None:
    path, body = WRITES[service]

    response = await direct[service].post(path, json=body, headers=bearer(mint(signing_key(stack), **claims)))

    assert_unauthorized(response)


@pytest.mark.parametrize("service", SERVICES)
async def test_a_token_signed_with_hs256_and_the_public_key_id_is_refused(
    stack: RunningStack, direct: dict[str, httpx.AsyncClient], service: str
) -> None:
    path, body = WRITES[service]
    kid = thumbprint(signing_key(stack).public_key())
    now = int(time.time())
    claims = {"iss": "khabuan", "aud": "khabuan", "sub": "x", "kind": "user", "iat": now, "exp": now + 600}
    token = jwt.encode(
        {**claims, "grants": [{"role": "national", "area": "TH"}], "jti": "j"},
        "a-guessable-secret-of-32-bytes-at-least",
        algorithm="HS256",
        headers={"kid": kid},
    )

    response = await direct[service].post(path, json=body, headers=bearer(token))

    assert_unauthorized(response)


@pytest.mark.parametrize("service", SERVICES)
@pytest.mark.parametrize("authorization", ["Basic x", "Bearer", "Bearer not-a-jwt"])
async def test_an_authorization_header_that_is_not_a_bearer_jwt_is_refused(
    direct: dict[str, httpx.AsyncClient], service: str, authorization: str
) -> None:
    path, body = WRITES[service]

    response = await direct[service].post(path, json=body, headers={"Authorization": authorization})

    assert_unauthorized(response)
    assert 'error="invalid_token"' in response.headers["www-authenticate"]


@pytest.mark.parametrize("service", SERVICES)
async def test_lists_are_public_without_a_token(direct: dict[str, httpx.AsyncClient], service: str) -> None:
    path, _ = WRITES[service]

    response = await direct[service].get(path, params={"area": "93"})

    assert response.status_code == 200, response.text
    assert isinstance(response.json()["items"], list)


@pytest.mark.parametrize("service", SERVICES)
async def test_a_provincial_user_is_refused_outside_their_province_by_the_service_itself(
    direct: dict[str, httpx.AsyncClient], login: Login, service: str
) -> None:
    path, body = WRITES[service]
    token = await login("demo-provincial-18")

    response = await direct[service].post(path, json=body, headers=bearer(token))

    assert_forbidden(response, "outside-area")
    assert "93" in response.json()["detail"]


@pytest.mark.parametrize("service", SERVICES)
async def test_the_southern_regional_coordinator_creates_in_phatthalung_but_not_in_chai_nat(
    direct: dict[str, httpx.AsyncClient], login: Login, service: str
) -> None:
    path, body = WRITES[service]
    token = await login("demo-regional-south")
    area_field = "province_code" if service == "plans" else "area_code"

    in_south = await direct[service].post(path, json=body, headers=bearer(token))
    in_central = await direct[service].post(path, json={**body, area_field: "18"}, headers=bearer(token))

    assert in_south.status_code == 201, in_south.text
    assert in_south.json()[area_field] == "93"
    assert_forbidden(in_central, "outside-area")


@pytest.mark.parametrize("service", SERVICES)
@pytest.mark.parametrize("area", ["18", "57", "10"])
async def test_the_national_account_creates_in_any_province(
    direct: dict[str, httpx.AsyncClient], login: Login, service: str, area: str
) -> None:
    path, body = WRITES[service]
    token = await login("demo-national")
    area_field = "province_code" if service == "plans" else "area_code"

    response = await direct[service].post(path, json={**body, area_field: area}, headers=bearer(token))

    assert response.status_code == 201, response.text
    assert response.json()[area_field] == area


async def test_a_tambon_leader_opens_a_tambon_fund_in_their_own_tambon(
    direct: dict[str, httpx.AsyncClient], login: Login
) -> None:
    token = await login("demo-tambon-930101")
    body = {"name_th": "กองทุนสวัสดิการชุมชนตำบลคูหาสวรรค์", "kind": "tambon", "area_code": "930101"}

    response = await direct["funds"].post("/v1/funds", json=body, headers=bearer(token))

    assert response.status_code == 201, response.text
    assert response.json()["area_code"] == "930101"


async def test_a_tambon_leader_cannot_open_a_fund_in_the_neighbouring_tambon(
    direct: dict[str, httpx.AsyncClient], login: Login
) -> None:
    token = await login("demo-tambon-930101")
    # 930103 (ลำปำ) is the next tambon of Mueang Phatthalung: 930102 is not a DOPA code at all
    body = {"name_th": "กองทุนตำบลลำปำ", "kind": "tambon", "area_code": "930103"}

    response = await direct["funds"].post("/v1/funds", json=body, headers=bearer(token))

    assert_forbidden(response, "outside-area")


async def test_a_fund_in_a_tambon_code_that_does_not_exist_is_invalid_not_forbidden(
    direct: dict[str, httpx.AsyncClient], login: Login
) -> None:
    token = await login("demo-tambon-930101")
    body = {"name_th": "กองทุนตำบล", "kind": "tambon", "area_code": "930102"}

    response = await direct["funds"].post("/v1/funds", json=body, headers=bearer(token))

    assert response.status_code == 422, response.text
    assert [e["pointer"] for e in response.json()["errors"]] == ["/area_code"]


async def test_a_tambon_leader_cannot_write_a_provincial_strategy_even_for_their_own_province(
    direct: dict[str, httpx.AsyncClient], login: Login
) -> None:
    token = await login("demo-tambon-930101")
    path, body = WRITES["plans"]

    response = await direct["plans"].post(path, json=body, headers=bearer(token))

    assert_forbidden(response, "forbidden")


async def test_an_evaluator_cannot_open_a_fund_even_in_their_own_province(
    direct: dict[str, httpx.AsyncClient], login: Login
) -> None:
    token = await login("demo-evaluator")
    path, body = WRITES["funds"]

    response = await direct["funds"].post(path, json=body, headers=bearer(token))

    assert_forbidden(response, "forbidden")
    assert "national" in response.json()["detail"]
