"""One request's failure never fails another's: a refusal or an unhandled 500 beside ordinary reads and
writes costs the others nothing (the Python proxy once reused the connection the service had closed after its
500, and a quarter of the reads beside it got 503)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import date, timedelta
from pathlib import Path

import httpx
import pytest
import uvicorn
from fastapi import FastAPI

from services.common.logging import configure_logging
from services.common.middleware import RequestContextMiddleware
from services.common.problems import UnexpectedErrorMiddleware, install_problem_handlers
from tests.conftest import Login, bearer
from tests.edgerunner import running_edge
from tests.stackrunner import RunningStack

REQUESTS = 800
AT_ONCE = 16


async def run_mix(calls: list[Callable[[], Awaitable[httpx.Response]]]) -> list[httpx.Response]:
    limit = asyncio.Semaphore(AT_ONCE)

    async def one(call: Callable[[], Awaitable[httpx.Response]]) -> httpx.Response:
        async with limit:
            return await call()

    return await asyncio.gather(*(one(call) for call in calls))


async def test_refused_writes_in_funds_cost_the_reads_beside_them_nothing(
    gateway: httpx.AsyncClient, login: Login
) -> None:
    staff = bearer(await login("demo-provincial-93"))
    fund = {"name_th": f"กองทุนข้างเคียง {uuid.uuid4().hex[:6]}", "kind": "pooled_province", "area_code": "93"}
    created = await gateway.post("/v1/funds", json=fund, headers=staff)
    assert created.status_code == 201, created.text
    fund_id = created.json()["id"]
    # a NUL byte PostgreSQL refuses: once an unhandled 500 here, now a 422 before anything runs (a 500 beside
    # other requests is test_a_500_beside_writes_without_keys_fails_none_of_them's, on a fragile app)
    refused = {
        "amount_satang": 100,
        "source_kind": "partner",
        "source_name": "ภาคีทดสอบ",
        "received_on": (date.today() - timedelta(days=1)).isoformat(),
        "reference": "a\u0000b",
    }

    def call(n: int) -> Callable[[], Awaitable[httpx.Response]]:
        if n % 4 == 0:
            return lambda: gateway.post(f"/v1/funds/{fund_id}/contributions", json=refused, headers=staff)
        return lambda: gateway.get(f"/v1/funds/{fund_id}")

    answers = await run_mix([call(n) for n in range(REQUESTS)])

    writes = [a for a in answers if a.request.method == "POST"]
    reads = [a for a in answers if a.request.method == "GET"]
    assert {a.status_code for a in writes} == {422}
    assert all(a.headers["content-type"] == "application/problem+json" for a in writes)
    assert [a.status_code for a in reads] == [200] * len(reads)


@pytest.fixture(scope="module")
async def fragile_app() -> AsyncIterator[str]:
    """A service-shaped app on uvicorn (the services' HTTP flags): /boom raises, /ok answers."""
    configure_logging("fragile", level="WARNING")
    app = FastAPI()
    install_problem_handlers(app)

    @app.api_route("/v1/funds/boom", methods=["GET", "POST"])
    async def boom() -> None:
        raise RuntimeError("a bug")

    @app.api_route("/v1/funds/ok", methods=["GET", "POST"])
    async def ok() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/health/ready")
    async def ready() -> dict[str, str]:
        return {"status": "ok"}

    app.add_middleware(UnexpectedErrorMiddleware)
    app.add_middleware(RequestContextMiddleware, process="fragile")
    config = uvicorn.Config(
        app, host="127.0.0.1", port=0, http="httptools", log_level="warning", timeout_keep_alive=75
    )
    server = uvicorn.Server(config)
    serving = asyncio.create_task(server.serve())
    while not server.started:
        assert not serving.done()
        await asyncio.sleep(0.02)
    host, port = server.servers[0].sockets[0].getsockname()[:2]
    try:
        yield f"{host}:{port}"
    finally:
        server.should_exit = True
        await serving


async def test_a_500_beside_writes_without_keys_fails_none_of_them(
    fragile_app: str, stack: RunningStack, tmp_path: Path
) -> None:
    upstreams = {
        "funds": [fragile_app],
        "plans": [stack.service_url("plans").removeprefix("http://")],
        "assessment": [stack.service_url("assessment").removeprefix("http://")],
        "gateway": [stack.state["gateway_app_url"].removeprefix("http://")],
    }
    with running_edge(upstreams, tmp_path) as url:  # type: ignore[arg-type]
        async with httpx.AsyncClient(base_url=url, timeout=30) as client:

            def call(n: int) -> Callable[[], Awaitable[httpx.Response]]:
                if n % 4 == 0:
                    return lambda: client.post("/v1/funds/boom", json={})
                method = "POST" if n % 2 else "GET"
                return lambda: client.request(method, "/v1/funds/ok", json={} if method == "POST" else None)

            answers = await run_mix([call(n) for n in range(REQUESTS)])

    boom = [a for a in answers if a.request.url.path.endswith("/boom")]
    others = [a for a in answers if a.request.url.path.endswith("/ok")]
    assert {a.status_code for a in boom} == {500}
    assert all(a.headers["content-type"] == "application/problem+json" for a in boom)
    assert [a.status_code for a in others] == [200] * len(others)
