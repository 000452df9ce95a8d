"""A second gateway, in this test process, over the stack's database and services but with funds a closed
port: what a gateway sees after a restart while the funds service is down."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import uvicorn

from gateway.app import create_app
from khabuan.embedded import free_port
from services.common.settings import Settings
from tests.stackrunner import RunningStack


@asynccontextmanager
async def gateway_with_funds_down(stack: RunningStack, data_dir: Path) -> AsyncIterator[str]:
    """The base URL of that gateway, serving from `data_dir` (its keys and saved OpenAPI copies)."""
    settings = Settings.model_validate(
        {
            "env": "test",
            "data_dir": data_dir,
            "DATABASE_URL": stack.state["database_url"],
            "REDIS_URL": stack.state["redis_url"],
            "plans_url": stack.service_url("plans"),
            "funds_url": f"http://127.0.0.1:{free_port()}",
            "assessment_url": stack.service_url("assessment"),
            "log_level": "WARNING",
        }
    )
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    )
    serving = asyncio.create_task(server.serve())
    while not server.started:
        assert not serving.done(), "the in-process gateway did not start"
        await asyncio.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await serving
