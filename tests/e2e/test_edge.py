"""The edge (Caddy on the public port): request ids and the caller's address reach the services' logs, no
server banner, bodies stream both ways, and input a Python proxy choked on (Thai header values, raw UTF-8 in
the URL, a GET with a body) is served or refused as problem+json — never a 500 or a plain-text answer."""

from __future__ import annotations

import asyncio
import re
import time
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from tests.conftest import Login, bearer
from tests.stackrunner import RunningStack

PROBLEM_JSON = "application/problem+json"
FUND = {"name_th": "กองทุนทดสอบประตูหน้า", "kind": "pooled_province", "area_code": "93"}


async def logged_line(log: Path, request_id: str, timeout: float = 10.0) -> str:
    """The access-log line a process wrote for one request (it is written just after the answer)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = await asyncio.to_thread(log.read_text, errors="replace")
        for line in text.splitlines():
            if "http.request_completed" in line and f"request_id={request_id}" in line:
                return line
        await asyncio.sleep(0.05)
    raise AssertionError(f"no access-log line with request_id={request_id} in {log}")


async def raw_request(url: str, request: bytes) -> tuple[int, dict[str, str], bytes]:
    """Send bytes a client library would refuse to send (raw UTF-8 in the request line), read the answer."""
    parts = urlsplit(url)
    reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
    writer.write(request)
    await writer.drain()
    answer = await reader.read()  # the request says Connection: close
    writer.close()
    head, _, body = answer.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers = {name.lower(): value.strip() for name, _, value in (h.partition(":") for h in header_lines)}
    return int(status_line.split()[1]), headers, body


@pytest.fixture(scope="module")
async def fund(gateway: httpx.AsyncClient, login: Login) -> dict[str, Any]:
    response = await gateway.post("/v1/funds", json=FUND, headers=bearer(await login("demo-provincial-93")))
    assert response.status_code == 201, response.text
    return dict(response.json())


# --- what reaches the services ------------------------------------------------------------------------


async def test_a_client_request_id_reaches_the_service_log_with_the_callers_address(
    stack: RunningStack, fund: dict[str, Any]
) -> None:
    request_id = f"edge-{uuid.uuid4().hex}"
    # the caller is 127.0.0.2 (any loopback address reaches the edge); what it claims in X-Forwarded-For
    # is not believed: the edge sends the address it saw
    transport = httpx.AsyncHTTPTransport(local_address="127.0.0.2")
    async with httpx.AsyncClient(base_url=stack.gateway_url, transport=transport) as client:
        response = await client.get(
            f"/v1/funds/{fund['id']}",
            headers={"X-Request-ID": request_id, "X-Forwarded-For": "203.0.113.9"},
        )

    assert response.status_code == 200
    assert response.headers["x-request-id"] == request_id
    line = await logged_line(stack.data_dir / "logs" / "funds.log", request_id)
    assert "client=127.0.0.2" in line
    assert "203.0.113.9" not in line


async def test_a_request_without_an_id_gets_one_that_the_service_logs_too(stack: RunningStack) -> None:
    async with httpx.AsyncClient(base_url=stack.gateway_url) as client:
        response = await client.get("/v1/teams")

    request_id = response.headers["x-request-id"]
    assert re.fullmatch(r"[0-9a-f]{32}", request_id)
    await logged_line(stack.data_dir / "logs" / "assessment.log", request_id)


@pytest.mark.parametrize("path", ["/v1/funds", "/v1/me", "/health", "/metrics", "/v1/nothing", "/docs"])
async def test_no_answer_names_the_server_software(gateway: httpx.AsyncClient, path: str) -> None:
    response = await gateway.get(path)

    assert "server" not in response.headers
    assert "via" not in response.headers


# --- streaming ---------------------------------------------------------------------------------------


async def test_a_chunked_upload_streams_through_to_the_service(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    body = '{"name_th": "กองทุนส่งเป็นช่วง", "kind": "pooled_province", "area_code": "93"}'.encode()

    async def chunks() -> AsyncIterator[bytes]:
        for start in range(0, len(body), 7):
            yield body[start : start + 7]

    headers = {**bearer(await login("demo-provincial-93")), "Content-Type": "application/json"}
    response = await gateway.post("/v1/funds", content=chunks(), headers=headers)

    assert response.status_code == 201, response.text
    assert response.json()["name_th"] == "กองทุนส่งเป็นช่วง"


async def test_the_ledger_export_streams_through_the_edge(
    gateway: httpx.AsyncClient, fund: dict[str, Any]
) -> None:
    async with gateway.stream(
        "GET", f"/v1/funds/{fund['id']}/ledger/export", params={"format": "csv"}
    ) as answer:
        body = b"".join([chunk async for chunk in answer.aiter_raw()])

    assert answer.status_code == 200
    assert answer.headers["transfer-encoding"] == "chunked"  # passed on as it is made, not buffered
    assert "content-length" not in answer.headers
    assert body.count(b"\n") >= 1


# --- input the old proxy failed on -------------------------------------------------------------------


async def test_a_thai_user_agent_is_served(gateway: httpx.AsyncClient) -> None:
    response = await gateway.get("/v1/funds", headers=[(b"User-Agent", "แอปขบวน/1.0".encode())])

    assert response.status_code == 200, response.text


async def test_a_thai_idempotency_key_is_refused_as_422_and_nothing_is_written(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    token = await login("demo-provincial-93")
    name = f"กองทุนคีย์ไทย {uuid.uuid4().hex[:8]}"

    response = await gateway.post(
        "/v1/funds",
        json={**FUND, "name_th": name},
        headers=[
            *((name.encode(), value.encode()) for name, value in bearer(token).items()),
            (b"Idempotency-Key", "คีย์ไทย".encode()),
            (b"Accept-Language", b"th"),
        ],
    )

    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM_JSON
    body = response.json()
    assert body["type"].endswith("/invalid-idempotency-key")
    assert body["errors"][0]["parameter"] == "Idempotency-Key"
    assert "ASCII" in body["detail"]
    listed = await gateway.get("/v1/funds", params={"area": "93", "limit": 200})
    assert name not in [item["name_th"] for item in listed.json()["items"]]


async def test_raw_utf8_in_the_path_is_served(stack: RunningStack) -> None:
    request = "GET /v1/funds/พัทลุง HTTP/1.1\r\nHost: edge\r\nConnection: close\r\n\r\n".encode()

    status, headers, _ = await raw_request(stack.gateway_url, request)

    assert status == 422  # not a fund id: the funds service says so
    assert headers["content-type"] == PROBLEM_JSON


async def test_raw_utf8_in_the_query_is_refused_as_a_problem_in_thai(stack: RunningStack) -> None:
    request = (
        "GET /v1/funds?q=พัทลุง HTTP/1.1\r\nHost: edge\r\nAccept-Language: th\r\nConnection: close\r\n\r\n"
    ).encode()

    status, headers, body = await raw_request(stack.gateway_url, request)

    assert status == 400
    assert headers["content-type"] == PROBLEM_JSON
    assert headers["content-language"] == "th"
    assert b"unencoded-query" in body
    assert "เข้ารหัส".encode() in body


async def test_the_same_query_percent_encoded_is_served(gateway: httpx.AsyncClient) -> None:
    response = await gateway.get("/v1/funds", params={"q": "พัทลุง"})

    assert response.status_code == 200, response.text


@pytest.mark.parametrize("method", ["GET", "HEAD", "OPTIONS"])
async def test_a_safe_method_with_a_body_is_served_or_refused_as_a_problem(
    gateway: httpx.AsyncClient, fund: dict[str, Any], method: str
) -> None:
    response = await gateway.request(
        method, f"/v1/funds/{fund['id']}", content=b'{"x": 1}', headers={"Content-Type": "application/json"}
    )

    assert response.status_code < 500, response.text
    if response.status_code >= 400 and method != "HEAD":
        assert response.headers["content-type"] == PROBLEM_JSON


async def test_a_streamed_body_over_the_limit_is_refused_in_thai_before_the_service_reads_it_all(
    gateway: httpx.AsyncClient,
) -> None:
    """Just over the limit (17 × 64 KiB against 1 MiB), so the edge reads the rest before it closes: a client
    still sending far more may see the connection reset before it reads the answer (see the next test)."""

    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(17):
            yield b"a" * 65536

    response = await gateway.post(
        "/v1/strategies",
        content=chunks(),
        headers={"Content-Type": "application/json", "Accept-Language": "th"},
    )

    assert response.status_code == 413
    assert response.headers["content-type"] == PROBLEM_JSON
    assert response.headers["content-language"] == "th"
    assert "1048576" in response.json()["detail"]


@pytest.mark.parametrize("chunks", [20, 40])
async def test_a_body_over_the_limit_closes_its_connection_so_no_next_request_reads_the_rest(
    stack: RunningStack, chunks: int
) -> None:
    """The edge stops reading at the limit; what the client still sends must never be read as its next request
    (a kept connection once answered the next request on it with 431). 20 chunks of 64 KiB end soon enough
    after the 1 MiB limit that the edge used to drain them and keep the connection."""
    parts = urlsplit(stack.gateway_url)
    reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
    writer.write(
        b"POST /v1/strategies HTTP/1.1\r\nHost: edge\r\nContent-Type: application/json\r\n"
        b"Transfer-Encoding: chunked\r\n\r\n"
    )
    head, second = b"", b""
    try:
        for _ in range(chunks):
            writer.write(b"10000\r\n" + b"a" * 65536 + b"\r\n")
            await writer.drain()
        writer.write(b"0\r\n\r\n")
        await writer.drain()
        head = await reader.readuntil(b"\r\n\r\n")
        await reader.readexactly(int(re.search(rb"(?i)content-length: (\d+)", head)[1]))  # type: ignore[index]
        writer.write(b"GET /v1/funds HTTP/1.1\r\nHost: edge\r\n\r\n")
        await writer.drain()
        second = await reader.read()
    except (ConnectionError, asyncio.IncompleteReadError):
        pass  # the edge closed before the client was done sending: the rest is never read as a request
    finally:
        writer.close()

    if chunks == 20:  # small enough that the answer always arrives before the close
        assert head.lower().startswith(b"http/1.1 413"), head
        assert b"\r\nconnection: close" in head.lower()
    assert second == b""
