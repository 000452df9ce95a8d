"""The gateway learns the services' event types from their OpenAPI documents: a service that is down keeps
the types of its last copy; one never seen makes a subscription naming its types a 503 to retry, not a 422."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path

import httpx
import pytest

from tests.conftest import Login, bearer
from tests.gateways import gateway_with_funds_down as gateway_with_funds_down_at
from tests.stackrunner import RunningStack
from tests.webhooks.receiver import Receiver

Gateway = Callable[[Path], AbstractAsyncContextManager[httpx.AsyncClient]]


@pytest.fixture
def gateway_with_funds_down(stack: RunningStack) -> Gateway:
    """A second, in-process gateway over the stack's database whose funds service is a closed port."""

    @asynccontextmanager
    async def start(data_dir: Path) -> AsyncIterator[httpx.AsyncClient]:
        async with (
            gateway_with_funds_down_at(stack, data_dir) as url,
            httpx.AsyncClient(base_url=url, timeout=30) as client,
        ):
            yield client

    return start


def _fresh_data_dir(stack: RunningStack, folder: Path) -> Path:
    """The stack's keys (so its tokens verify) without its saved OpenAPI copies: as on a first start."""
    shutil.copytree(stack.data_dir / "keys", folder / "keys")
    return folder


async def test_a_service_that_is_down_keeps_its_event_types_from_the_last_copy(
    gateway: httpx.AsyncClient, gateway_with_funds_down: Gateway, stack: RunningStack
) -> None:
    listed = (await gateway.get("/v1/webhooks/event-types")).json()  # the stack's gateway saves its copies

    async with gateway_with_funds_down(stack.data_dir) as down:
        response = await down.get("/v1/webhooks/event-types")

    assert response.status_code == 200
    assert "khabuan-unseen-services" not in response.headers
    assert response.json() == listed


async def test_a_type_of_a_service_never_seen_is_a_problem_to_retry_and_known_types_still_subscribe(
    gateway_with_funds_down: Gateway,
    stack: RunningStack,
    login: Login,
    receiver: Receiver,
    tmp_path: Path,
) -> None:
    headers = bearer(await login("demo-provincial-93"))

    async with gateway_with_funds_down(_fresh_data_dir(stack, tmp_path)) as first_start:
        listed = await first_start.get("/v1/webhooks/event-types")
        of_funds = await first_start.post(
            "/v1/webhooks/endpoints",
            json={"url": receiver.url("/never-seen"), "event_types": ["fund.created"]},
            headers=headers,
        )
        of_plans = await first_start.post(
            "/v1/webhooks/endpoints",
            json={"url": receiver.url("/never-seen"), "event_types": ["strategy.created"]},
            headers=headers,
        )
        typo = await first_start.post(
            "/v1/webhooks/endpoints",
            json={"url": receiver.url("/never-seen"), "event_types": ["strategy.craeted"]},
            headers=headers,
        )

    assert listed.headers["khabuan-unseen-services"] == "funds"
    assert not any(t["type"].startswith("fund.") for t in listed.json())
    assert of_funds.status_code == 503, of_funds.text
    assert of_funds.headers["content-type"] == "application/problem+json"
    assert of_funds.headers["retry-after"]
    assert of_funds.json()["unseen_services"] == ["funds"]
    assert of_plans.status_code == 201, of_plans.text
    # while a service is unseen any unknown name may be its: retry, rather than a refusal that may be wrong
    assert typo.status_code == 503
    await _unsubscribe(of_plans, headers, stack)


async def _unsubscribe(created: httpx.Response, headers: dict[str, str], stack: RunningStack) -> None:
    """Unsubscribe through the stack's own gateway (the endpoint would otherwise receive every strategy)."""
    async with httpx.AsyncClient(base_url=stack.gateway_url, timeout=30) as client:
        response = await client.delete(created.headers["location"], headers=headers)
    assert response.status_code == 204
