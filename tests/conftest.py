"""One real stack per test session, as `make run` starts it: embedded PostgreSQL 18 + Redis 6.2
from wheels (or DATABASE_URL / REDIS_URL), migrations, demo accounts, services, workers, gateway."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path

import asyncpg
import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from services.common.db import create_engine
from services.common.settings import Settings
from tests.stackrunner import RunningStack, drop_external_databases, start_stack

DEMO_PASSWORD = os.environ.get("KHABUAN_DEMO_PASSWORD", "khabuan-demo")


@pytest.fixture(scope="session")
def stack() -> Iterator[RunningStack]:
    folder = Path(tempfile.mkdtemp(prefix="khabuan-test-"))
    running = start_stack(folder / "data")
    try:
        yield running
    finally:
        running.stop()
        if not os.environ.get("KHABUAN_TEST_KEEP"):  # KHABUAN_TEST_KEEP=1 keeps the logs to read
            shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session", autouse=True)
def _drop_external_databases() -> Iterator[None]:
    yield
    drop_external_databases()


@pytest.fixture(scope="session")
async def gateway(stack: RunningStack) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=stack.gateway_url, timeout=30) as client:
        yield client


@pytest.fixture
async def database(stack: RunningStack) -> AsyncIterator[asyncpg.Connection]:
    """A direct connection to the stack's database (for tests that check or tamper with stored rows)."""
    connection = await asyncpg.connect(stack.state["database_url"])
    yield connection
    await connection.close()


@pytest.fixture(scope="session")
async def database_engine(stack: RunningStack) -> AsyncIterator[AsyncEngine]:
    """The stack's migrated database, pooled as a service pools it: for service-level tests
    (`tests.sessions.rolled_back_session`), which need the database but none of the processes."""
    engine = create_engine(
        Settings(database_url=stack.state["database_url"], db_pool_size=2), application_name="khabuan-tests"
    )
    yield engine
    await engine.dispose()


Login = Callable[[str], Awaitable[str]]


@pytest.fixture(scope="session")
def login(gateway: httpx.AsyncClient) -> Login:
    """`await login("demo-provincial-93")` → an access token, fetched once per session."""
    tokens: dict[str, str] = {}

    async def get(username: str) -> str:
        if username not in tokens:
            response = await gateway.post(
                "/v1/auth/token",
                data={"grant_type": "password", "username": username, "password": DEMO_PASSWORD},
            )
            assert response.status_code == 200, response.text
            tokens[username] = response.json()["access_token"]
        return tokens[username]

    return get


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
