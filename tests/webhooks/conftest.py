"""Webhook tests: a real receiver, endpoints made through the gateway, events from real writes."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from gateway.webhooks.dispatcher import Dispatcher
from services.common.db import create_engine
from services.common.settings import Settings
from tests.conftest import Login, bearer
from tests.stackrunner import RunningStack
from tests.webhooks.receiver import Receiver


@pytest.fixture(scope="session")
def receiver() -> Iterator[Receiver]:
    running = Receiver()
    running.start()
    yield running
    running.stop()


@pytest.fixture
async def engine(stack: RunningStack) -> AsyncIterator[AsyncEngine]:
    """The stack's database, for what no API can do (age the logs, stand in for rows saved long ago)."""
    engine = create_engine(
        Settings(database_url=stack.state["database_url"]), application_name="khabuan-test"
    )
    yield engine
    await engine.dispose()


@pytest.fixture
async def dispatcher(stack: RunningStack) -> AsyncIterator[Dispatcher]:
    """A dispatcher on the stack's database, not started: the test drives it."""
    settings = Settings(database_url=stack.state["database_url"], redis_url=stack.state["redis_url"])
    engine = create_engine(settings, application_name="khabuan-test-dispatcher")
    dispatcher = Dispatcher(engine, settings)
    yield dispatcher
    await dispatcher.sender.close()
    await engine.dispose()


@dataclass
class Endpoint:
    id: str
    path: str
    secret: str
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return bearer(self.token)

    @property
    def url(self) -> str:
        return f"/v1/webhooks/endpoints/{self.id}"


Subscribe = Callable[..., Awaitable[Endpoint]]


@pytest.fixture
def subscribe(gateway: httpx.AsyncClient, receiver: Receiver, login: Login) -> Subscribe:
    """`await subscribe("demo-provincial-93", ["fund.*"])` → an endpoint on a fresh receiver path."""

    async def make(username: str, event_types: list[str], *, token: str | None = None) -> Endpoint:
        token = token or await login(username)
        path = f"hooks/{uuid.uuid4().hex}"
        response = await gateway.post(
            "/v1/webhooks/endpoints",
            json={"url": receiver.url(path), "event_types": event_types, "description": "test receiver"},
            headers=bearer(token),
        )
        assert response.status_code == 201, response.text
        body = response.json()
        return Endpoint(body["id"], path, body["secret"], token)

    return make


OpenStrategy = Callable[..., Awaitable[str]]


@pytest.fixture
def open_strategy(gateway: httpx.AsyncClient, login: Login) -> OpenStrategy:
    """`await open_strategy("93")` → the id of a new people's strategy there (one strategy.created event)."""

    async def make(province_code: str, *, username: str = "demo-national") -> str:
        response = await gateway.post(
            "/v1/strategies",
            json={"province_code": province_code, "title_th": f"ยุทธศาสตร์ทดสอบ {uuid.uuid4().hex[:8]}"},
            headers=bearer(await login(username)),
        )
        assert response.status_code == 201, response.text
        strategy_id: str = response.json()["id"]
        return strategy_id

    return make


async def revise_strategy(gateway: httpx.AsyncClient, token: str, strategy_id: str, title: str) -> None:
    """One strategy.updated event."""
    response = await gateway.patch(
        f"/v1/strategies/{strategy_id}", json={"title_th": title}, headers={**bearer(token), "If-Match": "*"}
    )
    assert response.status_code == 200, response.text


async def deliveries(gateway: httpx.AsyncClient, endpoint: Endpoint, **params: Any) -> list[dict[str, Any]]:
    response = await gateway.get(
        f"{endpoint.url}/deliveries", params={"limit": 200, **params}, headers=endpoint.headers
    )
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items
