"""A slow or dead service fails alone: the edge answers 504 or 503 for it and keeps serving the rest."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.types import ASGIApp, Message

from gateway.app import create_app
from gateway.edge.caddyfile import Owner
from services.common.settings import Settings
from tests.conftest import Login, bearer
from tests.edgerunner import running_edge
from tests.stackrunner import RunningStack

PROBLEM_JSON = "application/problem+json"


class SilentServer:
    """A TCP server that accepts connections and reads requests but never answers (a hung service)."""

    def __init__(self) -> None:
        self.accepted = asyncio.Event()
        self._release = asyncio.Event()
        self._server: asyncio.Server | None = None

    async def __aenter__(self) -> SilentServer:
        self._server = await asyncio.start_server(self._hold, "127.0.0.1", 0)
        return self

    async def __aexit__(self, *exc: object) -> None:
        self._release.set()
        assert self._server is not None
        self._server.close()
        await self._server.wait_closed()

    @property
    def url(self) -> str:
        assert self._server is not None
        host, port = self._server.sockets[0].getsockname()[:2]
        return f"http://{host}:{port}"

    async def _hold(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.accepted.set()
        await self._release.wait()
        writer.close()


def closed_port_url() -> str:
    """A local port nobody listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@asynccontextmanager
async def lifespan_of(app: ASGIApp) -> AsyncIterator[None]:
    """Run an ASGI app's lifespan the way a server does: startup before the first request, shutdown after."""
    inbox: asyncio.Queue[Message] = asyncio.Queue()
    outbox: asyncio.Queue[Message] = asyncio.Queue()

    async def run() -> None:
        await app({"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}}, inbox.get, outbox.put)

    task = asyncio.create_task(run())
    await inbox.put({"type": "lifespan.startup"})
    started = await outbox.get()
    assert started["type"] == "lifespan.startup.complete", started
    try:
        yield
    finally:
        await inbox.put({"type": "lifespan.shutdown"})
        stopped = await outbox.get()
        assert stopped["type"] == "lifespan.shutdown.complete", stopped
        await task


@pytest.fixture(scope="module")
async def silent_funds() -> AsyncIterator[SilentServer]:
    async with SilentServer() as server:
        yield server


@pytest.fixture(scope="module")
def edge(
    stack: RunningStack, silent_funds: SilentServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """The real edge in front of funds hanging, plans down, the stack's own assessment and gateway app."""
    settings = Settings(
        upstream_read_timeout=0.5, upstream_connect_timeout=1.0, edge_health_interval_seconds=3600
    )
    upstreams: dict[Owner, list[str]] = {
        "funds": [address(silent_funds.url)],
        "plans": [address(closed_port_url())],
        "assessment": [address(stack.service_url("assessment"))],
        "gateway": [address(stack.state["gateway_app_url"])],
    }
    with running_edge(upstreams, tmp_path_factory.mktemp("edge"), settings) as url:
        yield url


@pytest.fixture(scope="module")
async def client(edge: str) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=edge, timeout=30) as http:
        yield http


def address(url: str) -> str:
    return url.removeprefix("http://")


async def test_a_service_that_never_answers_gives_a_504_problem_naming_it(client: httpx.AsyncClient) -> None:
    response = await client.get("/v1/funds", headers={"X-Request-ID": "hung-funds-1"})

    assert response.status_code == 504
    assert response.headers["content-type"] == PROBLEM_JSON
    body = response.json()
    assert body["type"].endswith("/gateway-timeout")
    assert body["service"] == "funds"
    assert "funds" in body["detail"]
    assert response.headers["x-request-id"] == "hung-funds-1"
    assert "server" not in response.headers


async def test_a_timeout_reads_in_thai_when_asked(client: httpx.AsyncClient) -> None:
    response = await client.get("/v1/loans", headers={"Accept-Language": "th"})

    assert response.status_code == 504
    assert response.headers["content-language"] == "th"
    assert "funds" in response.json()["detail"]
    assert "ไม่ตอบสนอง" in response.json()["detail"]


async def test_a_service_that_is_down_gives_a_503_problem_with_retry_after(client: httpx.AsyncClient) -> None:
    response = await client.get("/v1/strategies")

    assert response.status_code == 503
    assert response.headers["content-type"] == PROBLEM_JSON
    assert int(response.headers["retry-after"]) > 0
    body = response.json()
    assert body["type"].endswith("/service-unavailable")
    assert body["service"] == "plans"
    assert "plans" in body["detail"]
    assert response.headers["x-request-id"]


async def test_a_service_that_is_down_reads_in_thai_when_asked(client: httpx.AsyncClient) -> None:
    response = await client.get("/v1/strategies", headers={"Accept-Language": "th-TH,th;q=0.9,en;q=0.5"})

    assert response.status_code == 503
    assert response.headers["content-language"] == "th"
    assert response.json()["title"] == "บริการไม่พร้อมใช้งานชั่วคราว"
    assert "plans" in response.json()["detail"]


async def test_a_write_to_a_service_that_is_down_is_a_503_not_a_hang(
    client: httpx.AsyncClient, login: Login
) -> None:
    token = await login("demo-national")

    response = await client.post(
        "/v1/strategies",
        json={"province_code": "93", "title_th": "ยุทธศาสตร์พัทลุง", "vision": ""},
        headers=bearer(token),
    )

    assert response.status_code == 503
    assert response.json()["service"] == "plans"


async def test_the_gateway_and_the_healthy_service_answer_while_another_service_hangs(
    client: httpx.AsyncClient, silent_funds: SilentServer, login: Login
) -> None:
    token = await login("demo-provincial-93")
    hanging = asyncio.create_task(client.get("/v1/funds", params={"area": "93"}))
    await asyncio.wait_for(silent_funds.accepted.wait(), timeout=10)

    me, teams, down = await asyncio.gather(
        client.get("/v1/me", headers=bearer(token)),
        client.get("/v1/teams", params={"area": "93"}),
        client.get("/v1/strategies"),
    )
    timed_out = await hanging

    assert me.status_code == 200, me.text
    assert me.json()["username"] == "demo-provincial-93"
    assert teams.status_code == 200, teams.text
    assert isinstance(teams.json()["items"], list)
    assert down.status_code == 503
    assert timed_out.status_code == 504


async def test_the_gateway_app_down_is_a_503_naming_it(tmp_path: Path, stack: RunningStack) -> None:
    upstreams: dict[Owner, list[str]] = {
        "funds": [address(stack.service_url("funds"))],
        "plans": [address(stack.service_url("plans"))],
        "assessment": [address(stack.service_url("assessment"))],
        "gateway": [address(closed_port_url())],
    }
    with running_edge(upstreams, tmp_path) as url:
        async with httpx.AsyncClient(base_url=url, timeout=30) as http:
            token = await http.post("/v1/auth/token", data={"grant_type": "password"})
            funds = await http.get("/v1/funds")

    assert token.status_code == 503
    assert token.json()["service"] == "gateway"
    assert funds.status_code == 200, funds.text


@pytest.fixture(scope="module")
async def gateway_app(stack: RunningStack, silent_funds: SilentServer) -> AsyncIterator[httpx.AsyncClient]:
    """The gateway app in-process with funds hanging and plans down (its /health calls them itself)."""
    overrides: dict[str, Any] = {
        "DATABASE_URL": stack.state["database_url"],
        "REDIS_URL": stack.state["redis_url"],
    }
    settings = Settings(
        **overrides,
        env="test",
        data_dir=stack.data_dir,
        funds_url=silent_funds.url,
        plans_url=closed_port_url(),
        assessment_url=stack.service_url("assessment"),
        upstream_read_timeout=0.5,
        upstream_connect_timeout=1.0,
    )
    app = create_app(settings)
    async with lifespan_of(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://gateway", timeout=30) as http:
            yield http


async def test_gateway_health_reports_which_services_are_down(gateway_app: httpx.AsyncClient) -> None:
    response = await gateway_app.get("/health")

    assert response.status_code == 503
    components = response.json()["components"]
    assert components["database"]["status"] == "up"
    assert components["assessment"]["status"] == "up"
    assert components["plans"]["status"] == "down"
    assert components["funds"]["status"] == "down"
