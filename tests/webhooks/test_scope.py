"""A subscriber receives only events inside its area scope; only some roles may subscribe."""

from __future__ import annotations

import uuid

import httpx
import pytest

from tests.conftest import DEMO_PASSWORD, Login, bearer
from tests.webhooks.conftest import OpenStrategy, Subscribe
from tests.webhooks.receiver import Receiver

TYPES = ["strategy.*", "team.*"]


async def _open_team(gateway: httpx.AsyncClient, token: str, area_code: str) -> str:
    response = await gateway.post(
        "/v1/teams",
        json={"kind": "outcome", "name": f"ทีมทดสอบ {uuid.uuid4().hex[:6]}", "area_code": area_code},
        headers=bearer(token),
    )
    assert response.status_code == 201, response.text
    team_id: str = response.json()["id"]
    return team_id


async def _events_in(
    gateway: httpx.AsyncClient, open_strategy: OpenStrategy, token: str, province: str, tambon: str
) -> set[str]:
    strategies = [await open_strategy(province) for _ in range(2)]
    teams = [await _open_team(gateway, token, area) for area in (province, tambon)]
    return {*strategies, *teams}


@pytest.mark.parametrize("who", ["demo-provincial-93", "demo-partner", "demo-regional-south"])
async def test_a_subscriber_for_phatthalung_receives_every_93_event_and_no_chainat_event(
    who: str,
    gateway: httpx.AsyncClient,
    receiver: Receiver,
    subscribe: Subscribe,
    open_strategy: OpenStrategy,
    login: Login,
) -> None:
    if who == "demo-partner":
        issued = await gateway.post(
            "/v1/auth/token",
            data={"grant_type": "client_credentials", "client_id": who, "client_secret": DEMO_PASSWORD},
        )
        endpoint = await subscribe(who, TYPES, token=issued.json()["access_token"])
    else:
        endpoint = await subscribe(who, TYPES)
    national = await login("demo-national")

    phatthalung = await _events_in(gateway, open_strategy, national, "93", "930101")
    chainat = await _events_in(gateway, open_strategy, national, "18", "180101")
    # markers written after every Chainat event, one per service (each relay keeps its commit order):
    # once both are in, any Chainat event that were to be sent would have been
    markers = {await open_strategy("93"), await _open_team(gateway, national, "93")}

    received = await receiver.wait_for(endpoint.path, len(phatthalung) + len(markers))
    got = {r.event.aggregate_id for r in received}
    assert got == phatthalung | markers
    assert not got & chainat
    assert all(r.event.area_code.startswith("93") for r in received)


@pytest.mark.parametrize("who", ["demo-tambon-930101", "demo-evaluator"])
async def test_roles_that_may_not_subscribe_are_refused(
    who: str, gateway: httpx.AsyncClient, login: Login, receiver: Receiver
) -> None:
    response = await gateway.post(
        "/v1/webhooks/endpoints",
        json={"url": receiver.url("nobody"), "event_types": ["*"]},
        headers={**bearer(await login(who)), "Accept-Language": "th"},
    )

    assert response.status_code == 403
    assert response.headers["content-type"] == "application/problem+json"
    assert "webhook" in response.json()["detail"]
