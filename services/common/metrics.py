"""Prometheus metrics: every process exposes /metrics (HTTP processes on their port, workers on their own)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from prometheus_client import CONTENT_TYPE_LATEST, Counter, Gauge, Histogram, generate_latest
from starlette.responses import Response
from starlette.types import Scope

if TYPE_CHECKING:
    from fastapi import APIRouter

HTTP_REQUESTS = Counter(
    "khabuan_http_requests_total", "HTTP requests answered", ["process", "method", "route", "status"]
)
HTTP_LATENCY = Histogram(
    "khabuan_http_request_duration_seconds",
    "Time to answer an HTTP request",
    ["process", "method", "route"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
WORKER_JOBS = Counter("khabuan_worker_jobs_total", "arq jobs run by this worker", ["process", "stage"])
WORKER_UP = Gauge("khabuan_worker_up", "1 while the worker runs", ["process"])
WEBHOOK_ATTEMPTS = Counter("khabuan_webhook_attempts_total", "Webhook delivery attempts", ["outcome"])


def route_label(scope: Scope) -> str:
    """The route template (never the raw path: ids would explode the label set)."""
    route = scope.get("route")
    if route is not None and hasattr(route, "path"):
        return str(route.path)
    return "unmatched"


_Children = tuple[Counter, Histogram]
# labelled children per (process, method, route, status): `.labels()` locks and builds its key on every call
_children: dict[tuple[str, str, str, int], _Children] = {}


def observe_request(process: str, scope: Scope, status: int, seconds: float) -> None:
    key = (process, scope["method"], route_label(scope), status)
    children = _children.get(key)
    if children is None:
        process, method, route, _ = key
        children = _children[key] = (
            HTTP_REQUESTS.labels(process, method, route, str(status)),
            HTTP_LATENCY.labels(process, method, route),
        )
    children[0].inc()
    children[1].observe(seconds)


def metrics_router() -> APIRouter:
    from fastapi import APIRouter  # workers import this module too, and they need no FastAPI

    router = APIRouter(tags=["health"])

    # not in the public API document: the edge answers 404 for it; each process serves it on a local port
    @router.get(
        "/metrics",
        summary="Prometheus metrics of this process",
        response_class=Response,
        include_in_schema=False,
    )
    async def metrics() -> Response:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    return router
