"""Every process exposes Prometheus metrics: the gateway, each service and each worker."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from tests.stackrunner import RunningStack


@pytest.mark.parametrize("path", ["/metrics", "/metrics/", "/metrics/caddy"])
async def test_no_metrics_are_served_on_the_public_port(gateway: httpx.AsyncClient, path: str) -> None:
    response = await gateway.get(path, headers={"Accept-Language": "th"})

    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"].endswith("/not-found")
    assert response.headers["content-language"] == "th"
    assert "khabuan_" not in response.text
    assert "caddy_" not in response.text


async def test_the_gateway_app_counts_its_requests_on_its_local_port(
    stack: RunningStack, gateway: httpx.AsyncClient
) -> None:
    await gateway.get("/v1/geo/regions")

    async with httpx.AsyncClient(base_url=stack.state["gateway_app_url"]) as client:
        metrics = await client.get("/metrics")

    assert metrics.status_code == 200
    assert metrics.headers["content-type"].startswith("text/plain")
    assert 'method="GET",process="gateway",route="/v1/geo/regions",status="200"' in metrics.text


async def test_the_edge_serves_its_own_metrics_on_a_local_port(stack: RunningStack) -> None:
    upstreams = [stack.service_url(name) for name in ("plans", "funds", "assessment")]
    upstreams.append(stack.state["gateway_app_url"])
    wanted = {
        f'caddy_reverse_proxy_upstreams_healthy{{upstream="{url.removeprefix("http://")}"}} 1'
        for url in upstreams
    }
    # an upstream slow to answer its health check under the suite's load is marked down until its next check
    # passes: wait (a bounded number of scrapes) for every one to be reported healthy
    async with httpx.AsyncClient() as client:
        for _ in range(150):
            metrics = await client.get(stack.state["edge_metrics"])
            if metrics.status_code == 200 and all(line in metrics.text for line in wanted):
                break
            await asyncio.sleep(0.2)

    assert metrics.status_code == 200
    for line in wanted:
        assert line in metrics.text


@pytest.mark.parametrize("service", ["plans", "funds", "assessment"])
async def test_each_service_counts_requests_by_route_template(stack: RunningStack, service: str) -> None:
    async with httpx.AsyncClient(base_url=stack.service_url(service)) as client:
        await client.get("/health/ready")
        metrics = await client.get("/metrics")

    assert metrics.status_code == 200
    assert f'process="{service}",route="/health/ready",status="200"' in metrics.text


@pytest.mark.parametrize("service", ["plans", "funds", "assessment"])
async def test_each_worker_serves_its_metrics_on_a_local_port(stack: RunningStack, service: str) -> None:
    url = stack.state["worker_metrics"][f"{service}-worker"]
    async with httpx.AsyncClient() as client:
        metrics = await client.get(url)

    assert metrics.status_code == 200
    assert f'khabuan_worker_up{{process="{service}-worker"}} 1.0' in metrics.text
