"""Every process exposes Prometheus metrics: the gateway, each service and each worker."""

from __future__ import annotations

import httpx
import pytest

from tests.stackrunner import RunningStack


async def test_the_gateway_counts_proxied_requests_by_service(gateway: httpx.AsyncClient) -> None:
    await gateway.get("/v1/funds")

    metrics = await gateway.get("/metrics")

    assert metrics.status_code == 200
    assert metrics.headers["content-type"].startswith("text/plain")
    assert 'khabuan_http_requests_total{method="GET",process="gateway",route="proxy:funds",status="200"}' in (
        metrics.text
    )


@pytest.mark.parametrize("service", ["plans", "funds", "assessment"])
async def test_each_service_counts_requests_by_route_template(stack: RunningStack, service: str) -> None:
    async with httpx.AsyncClient(base_url=stack.service_url(service)) as client:
        await client.get("/health/ready")
        metrics = await client.get("/metrics")

    assert metrics.status_code == 200
    assert f'process="{service}",route="/health/ready",status="200"' in metrics.text


@pytest.mark.parametrize("service", ["plans", "funds", "assessment"])
async def test_each_worker_serves_metrics_on_its_own_port(stack: RunningStack, service: str) -> None:
    url = stack.state["worker_metrics"][f"{service}-worker"]
    async with httpx.AsyncClient() as client:
        metrics = await client.get(url)

    assert metrics.status_code == 200
    assert f'khabuan_worker_up{{process="{service}-worker"}} 1.0' in metrics.text
