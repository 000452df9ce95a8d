"""Every failure a client sees is RFC 9457 problem+json, in English or Thai, with the request id."""

from __future__ import annotations

import asyncio
import base64
import json
import re
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fastapi import APIRouter

from services.common.service_app import create_service_app
from services.common.settings import Settings
from tests.conftest import DEMO_PASSWORD, Login, bearer
from tests.stackrunner import RunningStack

PROBLEM_JSON = "application/problem+json"
THAI = re.compile(r"[\u0E00-\u0E7F]")
MAX_BODY_BYTES = 1024 * 1024
FUND = {"name_th": "กองทุนบริหารร่วมจังหวัดพัทลุง", "kind": "pooled_province", "area_code": "93"}


def assert_problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM_JSON
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body["type"]
    assert body["title"]
    return body


def pointers(body: dict[str, Any]) -> set[str]:
    return {error["pointer"] for error in body["errors"]}


async def password_grant(gateway: httpx.AsyncClient, username: str = "demo-provincial-93") -> httpx.Response:
    return await gateway.post(
        "/v1/auth/token", data={"grant_type": "password", "username": username, "password": DEMO_PASSWORD}
    )


@pytest.mark.parametrize("path", ["/v1/nothing", "/nothing", "/v1/funds-and-more", "/v1/funds/not-a-route/x"])
async def test_an_unknown_path_is_a_404_problem(gateway: httpx.AsyncClient, path: str) -> None:
    response = await gateway.get(path)

    body = assert_problem(response, 404)
    assert body["type"].endswith("/not-found")
    assert body["instance"] == path


async def test_a_404_reads_in_thai_when_asked(gateway: httpx.AsyncClient) -> None:
    response = await gateway.get("/v1/nothing", headers={"Accept-Language": "th"})

    body = assert_problem(response, 404)
    assert response.headers["content-language"] == "th"
    assert THAI.search(body["title"])
    assert THAI.search(body["detail"])


async def test_an_invalid_fund_points_at_each_wrong_field(gateway: httpx.AsyncClient, login: Login) -> None:
    token = await login("demo-national")

    response = await gateway.post(
        "/v1/funds", json={"name_th": "กองทุน", "kind": "bank", "area_code": 93}, headers=bearer(token)
    )

    body = assert_problem(response, 422)
    assert body["type"].endswith("/validation-failed")
    assert pointers(body) == {"/kind", "/area_code"}
    assert all(error["detail"] for error in body["errors"])


async def test_missing_fields_are_each_reported_with_their_pointer(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    token = await login("demo-national")

    response = await gateway.post("/v1/teams", json={}, headers=bearer(token))

    body = assert_problem(response, 422)
    assert pointers(body) == {"/kind", "/name", "/area_code"}


async def test_a_body_that_is_not_json_is_a_400_problem(gateway: httpx.AsyncClient, login: Login) -> None:
    token = await login("demo-national")

    response = await gateway.post(
        "/v1/funds",
        content=b'{"name_th": ',
        headers={**bearer(token), "Content-Type": "application/json"},
    )

    assert_problem(response, 400)


@pytest.mark.parametrize("area_code", ["99", "9999", "939999"])
async def test_an_area_code_outside_the_dopa_list_is_a_422_on_area_code(
    gateway: httpx.AsyncClient, login: Login, area_code: str
) -> None:
    token = await login("demo-national")

    response = await gateway.post("/v1/funds", json={**FUND, "area_code": area_code}, headers=bearer(token))

    body = assert_problem(response, 422)
    assert [error["pointer"] for error in body["errors"]] == ["/area_code"]
    assert area_code in body["errors"][0]["detail"]


async def test_validation_problems_read_in_thai_when_asked(gateway: httpx.AsyncClient, login: Login) -> None:
    token = await login("demo-national")

    response = await gateway.post(
        "/v1/funds",
        json={"name_th": "กองทุน", "kind": "bank", "area_code": "99"},
        headers={**bearer(token), "Accept-Language": "th-TH,en;q=0.5"},
    )

    body = assert_problem(response, 422)
    assert response.headers["content-language"] == "th"
    assert THAI.search(body["title"])
    assert THAI.search(body["detail"])
    assert pointers(body) == {"/kind", "/area_code"}
    assert all(THAI.search(error["detail"]) for error in body["errors"])
    by_pointer = {error["pointer"]: error["detail"] for error in body["errors"]}
    assert "99" in by_pointer["/area_code"]
    assert "pooled_province" in by_pointer["/kind"]


async def test_english_is_the_default_language_of_problems(gateway: httpx.AsyncClient, login: Login) -> None:
    token = await login("demo-national")

    response = await gateway.post("/v1/funds", json={**FUND, "area_code": "99"}, headers=bearer(token))

    body = assert_problem(response, 422)
    assert response.headers["content-language"] == "en"
    assert not THAI.search(body["title"] + body["detail"] + body["errors"][0]["detail"])


@pytest.mark.parametrize("field", ["name_th", "vision"])
async def test_text_with_a_nul_character_is_a_422_not_a_server_error(
    gateway: httpx.AsyncClient, login: Login, field: str
) -> None:
    token = await login("demo-national")
    path, body = (
        ("/v1/funds", {**FUND})
        if field == "name_th"
        else ("/v1/strategies", {"province_code": "93", "title_th": "ยุทธศาสตร์", "vision": ""})
    )
    body[field] = "กองทุน\u0000พัทลุง"

    response = await gateway.post(path, json=body, headers={**bearer(token), "Accept-Language": "th"})

    problem = assert_problem(response, 422)
    assert [error["pointer"] for error in problem["errors"]] == [f"/{field}"]
    assert THAI.search(problem["errors"][0]["detail"])


@pytest.mark.parametrize("path", ["/v1/search", "/v1/lessons", "/v1/outcomes", "/v1/geo/tambons"])
async def test_words_searched_for_with_a_nul_character_are_a_422_at_the_q_parameter(
    gateway: httpx.AsyncClient, path: str
) -> None:
    response = await gateway.get(path, params={"q": "ปู\u0000"}, headers={"Accept-Language": "th"})

    problem = assert_problem(response, 422)
    assert [error["pointer"] for error in problem["errors"]] == ["/query/q"]
    assert THAI.search(problem["errors"][0]["detail"])


@pytest.mark.parametrize(
    "cursor_parts",
    [
        ["created_at", "2024-01-01T00:00:00+00:00", 5],
        ["created_at", 1, "00000000-0000-0000-0000-000000000000"],
        ["created_at", "2024-01-01T00:00:00+00:00", "not-a-uuid"],
        "x",
        {"a": 1},
    ],
)
async def test_a_tampered_list_cursor_is_a_422_on_the_cursor_parameter(
    gateway: httpx.AsyncClient, cursor_parts: object
) -> None:
    cursor = base64.urlsafe_b64encode(json.dumps(cursor_parts).encode()).decode().rstrip("=")

    response = await gateway.get("/v1/funds", params={"cursor": cursor})

    body = assert_problem(response, 422)
    assert body["errors"][0]["parameter"] == "cursor"


async def test_a_bad_query_parameter_is_reported_by_name(gateway: httpx.AsyncClient) -> None:
    response = await gateway.get("/v1/funds", params={"limit": "201"})

    body = assert_problem(response, 422)
    assert body["errors"][0]["parameter"] == "limit"
    assert body["errors"][0]["in"] == "query"


async def test_an_unsupported_method_on_a_service_path_is_a_405_problem_with_allow(
    gateway: httpx.AsyncClient,
) -> None:
    response = await gateway.delete("/v1/funds")

    body = assert_problem(response, 405)
    assert body["type"].endswith("/method-not-allowed")
    assert {"GET", "HEAD", "POST"} <= {method.strip() for method in response.headers["allow"].split(",")}


async def test_an_unsupported_method_on_a_gateway_path_is_a_405_problem(gateway: httpx.AsyncClient) -> None:
    response = await gateway.delete("/v1/me")

    assert_problem(response, 405)
    assert {"GET", "HEAD"} <= {method.strip() for method in response.headers["allow"].split(",")}


async def test_a_body_over_one_mebibyte_is_refused_by_the_gateway(gateway: httpx.AsyncClient) -> None:
    payload = b'{"name_th": "' + b"a" * MAX_BODY_BYTES + b'"}'

    response = await gateway.post("/v1/funds", content=payload, headers={"Content-Type": "application/json"})

    body = assert_problem(response, 413)
    assert str(MAX_BODY_BYTES) in body["detail"]


async def test_a_streamed_body_over_one_mebibyte_is_refused_by_the_gateway(
    gateway: httpx.AsyncClient,
) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(20):
            yield b"a" * 65536

    response = await gateway.post("/v1/funds", content=chunks(), headers={"Content-Type": "application/json"})

    assert_problem(response, 413)


async def test_a_body_over_one_mebibyte_is_refused_by_the_service_itself(stack: RunningStack) -> None:
    payload = b'{"name_th": "' + b"a" * MAX_BODY_BYTES + b'"}'

    async with httpx.AsyncClient(base_url=stack.service_url("funds"), timeout=30) as funds:
        response = await funds.post(
            "/v1/funds",
            content=payload,
            headers={"Content-Type": "application/json", "Accept-Language": "th"},
        )

    body = assert_problem(response, 413)
    assert THAI.search(body["detail"])


async def test_a_body_just_under_the_limit_reaches_the_service(gateway: httpx.AsyncClient) -> None:
    payload = b'{"name_th": "' + b"a" * (MAX_BODY_BYTES - 64) + b'"}'

    response = await gateway.post("/v1/funds", content=payload, headers={"Content-Type": "application/json"})

    # past the size check, the service asks who is calling
    assert_problem(response, 401)


async def test_a_plain_text_body_for_a_fund_is_a_415_problem(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    token = await login("demo-national")

    response = await gateway.post(
        "/v1/funds", content=b"name_th=x", headers={**bearer(token), "Content-Type": "text/plain"}
    )

    body = assert_problem(response, 415)
    assert "application/json" in body["detail"]


async def test_json_sent_to_the_token_endpoint_is_a_415_problem(gateway: httpx.AsyncClient) -> None:
    response = await gateway.post(
        "/v1/auth/token",
        json={"grant_type": "password", "username": "demo-provincial-93", "password": DEMO_PASSWORD},
    )

    body = assert_problem(response, 415)
    assert "application/x-www-form-urlencoded" in body["detail"]


async def test_a_wrong_password_is_invalid_grant_in_both_problem_and_oauth_form(
    gateway: httpx.AsyncClient,
) -> None:
    response = await gateway.post(
        "/v1/auth/token",
        data={"grant_type": "password", "username": "demo-provincial-93", "password": "not-the-password"},
    )

    body = assert_problem(response, 400)
    assert body["error"] == "invalid_grant"
    assert body["error_description"]
    assert "access_token" not in body


async def test_an_unknown_user_looks_exactly_like_a_wrong_password(gateway: httpx.AsyncClient) -> None:
    unknown = await gateway.post(
        "/v1/auth/token", data={"grant_type": "password", "username": "nobody-here", "password": "x"}
    )
    wrong = await gateway.post(
        "/v1/auth/token", data={"grant_type": "password", "username": "demo-provincial-93", "password": "x"}
    )

    assert assert_problem(unknown, 400) == {
        **assert_problem(wrong, 400),
        "instance": unknown.json()["instance"],
    }


async def test_an_unknown_grant_type_is_unsupported_grant_type(gateway: httpx.AsyncClient) -> None:
    response = await gateway.post("/v1/auth/token", data={"grant_type": "authorization_code", "code": "x"})

    body = assert_problem(response, 400)
    assert body["error"] == "unsupported_grant_type"
    assert "authorization_code" in body["error_description"]


async def test_a_missing_grant_type_is_invalid_request(gateway: httpx.AsyncClient) -> None:
    response = await gateway.post("/v1/auth/token", data={"username": "demo-provincial-93", "password": "x"})

    body = assert_problem(response, 400)
    assert body["error"] == "invalid_request"
    assert "grant_type" in body["error_description"]


async def test_token_errors_read_in_thai_while_oauth_fields_stay_machine_readable(
    gateway: httpx.AsyncClient,
) -> None:
    response = await gateway.post(
        "/v1/auth/token",
        data={"grant_type": "password", "username": "demo-provincial-93", "password": "wrong"},
        headers={"Accept-Language": "th"},
    )

    body = assert_problem(response, 400)
    assert THAI.search(body["title"])
    assert THAI.search(body["detail"])
    assert body["error"] == "invalid_grant"


async def test_reusing_a_refresh_token_revokes_the_whole_family(gateway: httpx.AsyncClient) -> None:
    login = await password_grant(gateway)
    assert login.status_code == 200, login.text
    original = login.json()["refresh_token"]

    first = await gateway.post(
        "/v1/auth/token", data={"grant_type": "refresh_token", "refresh_token": original}
    )
    replay = await gateway.post(
        "/v1/auth/token", data={"grant_type": "refresh_token", "refresh_token": original}
    )
    assert first.status_code == 200, first.text
    successor = first.json()["refresh_token"]
    after_theft = await gateway.post(
        "/v1/auth/token", data={"grant_type": "refresh_token", "refresh_token": successor}
    )

    assert assert_problem(replay, 400)["error"] == "invalid_grant"
    assert assert_problem(after_theft, 400)["error"] == "invalid_grant"


async def test_a_refresh_token_family_revocation_leaves_other_logins_working(
    gateway: httpx.AsyncClient,
) -> None:
    stolen = (await password_grant(gateway)).json()["refresh_token"]
    other_device = (await password_grant(gateway)).json()["refresh_token"]
    await gateway.post("/v1/auth/token", data={"grant_type": "refresh_token", "refresh_token": stolen})
    await gateway.post("/v1/auth/token", data={"grant_type": "refresh_token", "refresh_token": stolen})

    response = await gateway.post(
        "/v1/auth/token", data={"grant_type": "refresh_token", "refresh_token": other_device}
    )

    assert response.status_code == 200, response.text


async def test_a_revoked_refresh_token_ends_its_session_and_an_unknown_one_is_answered_200_too(
    gateway: httpx.AsyncClient,
) -> None:
    login = (await password_grant(gateway)).json()
    other_device = (await password_grant(gateway)).json()["refresh_token"]
    rotated = await gateway.post(
        "/v1/auth/token", data={"grant_type": "refresh_token", "refresh_token": login["refresh_token"]}
    )
    successor = rotated.json()["refresh_token"]

    revoked = await gateway.post("/v1/auth/revoke", data={"token": login["refresh_token"]})
    again = await gateway.post("/v1/auth/revoke", data={"token": login["refresh_token"]})
    unknown = await gateway.post("/v1/auth/revoke", data={"token": "not-a-token-of-ours"})
    too_long = await gateway.post("/v1/auth/revoke", data={"token": "x" * 5000})
    access = await gateway.post(
        "/v1/auth/revoke", data={"token": login["access_token"]}, headers={"Accept-Language": "th"}
    )
    refreshed = await gateway.post(
        "/v1/auth/token", data={"grant_type": "refresh_token", "refresh_token": successor}
    )
    elsewhere = await gateway.post(
        "/v1/auth/token", data={"grant_type": "refresh_token", "refresh_token": other_device}
    )

    assert [r.status_code for r in (revoked, again, unknown, too_long)] == [200, 200, 200, 200]
    assert revoked.headers["cache-control"] == "no-store"
    body = assert_problem(access, 400)
    assert body["error"] == "unsupported_token_type"
    assert THAI.search(body["detail"])
    assert assert_problem(refreshed, 400)["error"] == "invalid_grant"  # the rotated successor ended too
    assert elsewhere.status_code == 200, elsewhere.text


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/health"),
        ("GET", "/v1/funds"),
        ("GET", "/v1/nothing"),
        ("POST", "/v1/funds"),
        ("GET", "/v1/me"),
    ],
)
async def test_every_response_carries_a_request_id(
    gateway: httpx.AsyncClient, method: str, path: str
) -> None:
    response = await gateway.request(method, path)

    assert re.fullmatch(r"[0-9a-f]{32}", response.headers["x-request-id"])


async def test_a_client_request_id_is_echoed_back(gateway: httpx.AsyncClient) -> None:
    response = await gateway.get("/v1/funds", headers={"X-Request-ID": "abc-123"})

    assert response.status_code == 200
    assert response.headers["x-request-id"] == "abc-123"


async def test_a_malformed_client_request_id_is_replaced_not_echoed(gateway: httpx.AsyncClient) -> None:
    response = await gateway.get("/v1/funds", headers={"X-Request-ID": "abc 123 <script>"})

    assert re.fullmatch(r"[0-9a-f]{32}", response.headers["x-request-id"])


async def test_a_client_request_id_reaches_the_service_log(
    gateway: httpx.AsyncClient, stack: RunningStack
) -> None:
    request_id = f"abc-123-{uuid.uuid4().hex[:8]}"
    log_file = stack.data_dir / "logs" / "funds.log"

    response = await gateway.get("/v1/funds", params={"area": "93"}, headers={"X-Request-ID": request_id})

    assert response.headers["x-request-id"] == request_id
    for _ in range(50):  # the service writes its access line as the response finishes
        lines = [line for line in log_file.read_text(errors="replace").splitlines() if request_id in line]
        if lines:
            break
        await asyncio.sleep(0.1)
    assert lines, f"{request_id} not in {log_file}"
    assert "http.request_completed" in lines[0]
    assert "/v1/funds" in lines[0]


def _probe_app(stack: RunningStack) -> Any:
    """The real service frame around one route that fails the way an unexpected bug would."""
    router = APIRouter()

    @router.get("/v1/probe/explode")
    async def explode() -> None:
        raise RuntimeError("secret-internal-detail: password=hunter2")

    settings = Settings(
        **{"DATABASE_URL": stack.state["database_url"], "REDIS_URL": stack.state["redis_url"]},
        data_dir=stack.data_dir,
    )
    return create_service_app(
        name="probe", schema="probe", title="probe", description="probe", routers=[router], settings=settings
    )


async def test_an_unexpected_error_is_a_500_problem_without_a_traceback(stack: RunningStack) -> None:
    transport = httpx.ASGITransport(app=_probe_app(stack), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://probe") as client:
        response = await client.get("/v1/probe/explode", headers={"Accept-Language": "th"})

    body = assert_problem(response, 500)
    assert THAI.search(body["title"])
    assert "Traceback" not in response.text
    assert "secret-internal-detail" not in response.text
    assert "RuntimeError" not in response.text


async def test_an_unexpected_error_in_a_service_still_carries_the_request_id(stack: RunningStack) -> None:
    transport = httpx.ASGITransport(app=_probe_app(stack), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://probe") as client:
        response = await client.get("/v1/probe/explode", headers={"X-Request-ID": "abc-500"})

    assert_problem(response, 500)
    assert response.headers.get("x-request-id") == "abc-500"


async def test_a_patch_naming_a_field_that_cannot_change_is_refused_not_ignored(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    token = await login("demo-provincial-93")
    created = await gateway.post(
        "/v1/funds",
        json={"name_th": "กองทุนย้ายพื้นที่ไม่ได้", "kind": "project", "area_code": "93"},
        headers=bearer(token),
    )
    fund_id = created.json()["id"]

    moved = await gateway.patch(
        f"/v1/funds/{fund_id}", json={"area_code": "18"}, headers={**bearer(token), "Accept-Language": "th"}
    )

    assert moved.status_code == 422
    assert moved.json()["errors"][0]["pointer"] == "/area_code"
    assert (await gateway.get(f"/v1/funds/{fund_id}")).json()["area_code"] == "93"
