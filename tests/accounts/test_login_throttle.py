"""Login throttling: the 6th wrong password in a window for one account is 429 with Retry-After, counted in
Redis, and in the database while Redis cannot be reached."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import httpx
import pytest

from gateway.app import create_app
from services.common.settings import Settings
from tests.accounts.accounts import new_account, password_login
from tests.conftest import Login
from tests.e2e.test_problems import assert_problem
from tests.gateway.test_upstream_failures import closed_port_url, lifespan_of
from tests.stackrunner import RunningStack

TAMBON = [{"role": "tambon", "area": "930101"}]


async def test_the_sixth_wrong_password_in_a_minute_is_429_with_retry_after_and_so_is_the_right_one(
    gateway: httpx.AsyncClient, stack: RunningStack, login: Login
) -> None:
    account = await new_account(gateway, stack, await login("demo-provincial-93"), TAMBON)
    other = await new_account(gateway, stack, await login("demo-provincial-93"), TAMBON)

    wrong = [await password_login(gateway, account["username"], "ไม่ใช่รหัสนี้") for _ in range(5)]
    sixth = await password_login(gateway, account["username"], "ไม่ใช่รหัสนี้")
    right = await password_login(gateway, account["username"])
    thai = await gateway.post(
        "/v1/auth/token",
        data={"grant_type": "password", "username": account["username"], "password": "x"},
        headers={"Accept-Language": "th"},
    )
    someone_else = await password_login(gateway, other["username"])

    assert [answer.status_code for answer in wrong] == [400] * 5
    throttled = assert_problem(sixth, 429)
    assert throttled["type"].endswith("/too-many-requests")
    assert 1 <= int(sixth.headers["Retry-After"]) <= 60
    assert throttled["retry_after"] == int(sixth.headers["Retry-After"])
    assert_problem(right, 429)  # the account waits out the window, whatever it sends
    assert "วินาที" in assert_problem(thai, 429)["detail"]
    assert someone_else.status_code == 200, someone_else.text


@contextlib.asynccontextmanager
async def _in_process(stack: RunningStack, redis_url: str, address: str) -> AsyncIterator[httpx.AsyncClient]:
    """The gateway app in-process over the stack's database, its callers at `address`."""
    settings = Settings.model_validate(
        {
            "env": "test",
            "data_dir": stack.data_dir,
            "DATABASE_URL": stack.state["database_url"],
            "REDIS_URL": redis_url,
            "log_level": "WARNING",
        }
    )
    app = create_app(settings)
    async with lifespan_of(app):
        transport = httpx.ASGITransport(app=app, client=(address, 40000))
        async with httpx.AsyncClient(transport=transport, base_url="http://gateway", timeout=60) as http:
            yield http


@pytest.fixture
async def gateway_without_redis(stack: RunningStack) -> AsyncIterator[httpx.AsyncClient]:
    """The gateway with Redis a port nobody listens on."""
    async with _in_process(stack, closed_port_url().replace("http://", "redis://"), "127.0.0.1") as http:
        yield http


async def test_with_redis_stopped_login_still_works_and_is_still_throttled(
    gateway: httpx.AsyncClient, gateway_without_redis: httpx.AsyncClient, stack: RunningStack, login: Login
) -> None:
    account = await new_account(gateway, stack, await login("demo-provincial-93"), TAMBON)

    works = await password_login(gateway_without_redis, account["username"])
    wrong = [await password_login(gateway_without_redis, account["username"], "ผิด") for _ in range(5)]
    sixth = await password_login(gateway_without_redis, account["username"])

    assert works.status_code == 200, works.text
    assert [answer.status_code for answer in wrong] == [400] * 5
    assert_problem(sixth, 429)
    assert int(sixth.headers["Retry-After"]) >= 1


@pytest.fixture
async def gateway_at_one_address(stack: RunningStack) -> AsyncIterator[httpx.AsyncClient]:
    """The gateway over the stack's Redis too, its callers at an address of their own (so the address's count
    is this test's alone)."""
    async with _in_process(stack, stack.state["redis_url"], "198.51.100.7") as http:
        yield http


async def test_wrong_passwords_sent_at_once_are_held_to_the_limit_and_a_flood_is_answered_not_stalled(
    gateway: httpx.AsyncClient, gateway_at_one_address: httpx.AsyncClient, stack: RunningStack, login: Login
) -> None:
    account = await new_account(gateway, stack, await login("demo-provincial-93"), TAMBON)
    burst = await asyncio.gather(
        *(password_login(gateway_at_one_address, account["username"], f"ผิด-{n}") for n in range(12))
    )
    # more failures at once than the app has database connections: each holds one at the most
    flood = await asyncio.gather(
        *(password_login(gateway_at_one_address, f"nobody-{n}", "x") for n in range(25))
    )

    assert sorted(answer.status_code for answer in burst) == [400] * 5 + [429] * 7
    assert {answer.status_code for answer in flood} <= {400, 429}
    assert sum(answer.status_code == 429 for answer in flood) == 25 + 12 - 30  # the address's limit, 30
