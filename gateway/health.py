"""/health: every component the gateway depends on, in one answer."""

from __future__ import annotations

import asyncio
import time
from typing import Any, Literal

import httpx
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from redis.asyncio import Redis
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from gateway.routing import SERVICES, ServiceName
from services.common.worker import heartbeat_key

router = APIRouter(tags=["health"])
WORKERS: tuple[str, ...] = (*SERVICES, "gateway")


async def _database(engine: AsyncEngine) -> dict[str, Any]:
    try:
        async with engine.connect() as connection:
            version = (await connection.execute(text("SHOW server_version"))).scalar_one()
    except Exception as exc:
        return {"status": "down", "error": type(exc).__name__}
    return {"status": "up", "version": str(version)}


async def _redis(redis: Redis) -> dict[str, Any]:
    try:
        info = await redis.info("server")
    except Exception as exc:
        return {"status": "down", "error": type(exc).__name__}
    return {"status": "up", "version": str(info.get("redis_version"))}


async def _service(client: httpx.AsyncClient, name: ServiceName, url: str) -> dict[str, Any]:
    started = time.perf_counter()
    try:
        response = await client.get(f"{url}/health/ready", timeout=2.0)
    except httpx.HTTPError as exc:
        return {"status": "down", "error": type(exc).__name__}
    latency_ms = round((time.perf_counter() - started) * 1000, 1)
    status = "up" if response.status_code == 200 else "down"
    return {"status": status, "latency_ms": latency_ms}


async def _worker(redis: Redis, name: str) -> dict[str, Any]:
    try:
        beat = await redis.get(heartbeat_key(name))
    except Exception:
        return {"status": "unknown"}
    if beat is None:
        return {"status": "down"}
    return {"status": "up", "last_heartbeat": beat.decode() if isinstance(beat, bytes) else str(beat)}


class Health(BaseModel):
    """`ok` when everything is up; `degraded` when Redis or a worker is down but requests are served; `down`
    (503) when the database or a service is."""

    status: Literal["ok", "degraded", "down"]
    components: dict[str, Any] = Field(
        description="database, redis and each service: `status` (`up`/`down`), `version` or `latency_ms`, "
        "`error`; `workers`: each worker's `status` and `last_heartbeat`"
    )


@router.get(
    "/health",
    summary="Health of the gateway and every component behind it",
    response_model=Health,
    responses={503: {"model": Health, "description": "The database or a service is down"}},
)
async def health(request: Request) -> JSONResponse:
    state = request.app.state
    checks = await asyncio.gather(
        _database(state.engine),
        _redis(state.redis),
        *(_service(state.http, name, state.service_urls[name]) for name in SERVICES),
        *(_worker(state.redis, name) for name in WORKERS),
    )
    database, redis, *rest = checks
    services = dict(zip(SERVICES, rest[: len(SERVICES)], strict=True))
    workers = dict(zip(WORKERS, rest[len(SERVICES) :], strict=True))
    components: dict[str, Any] = {"database": database, "redis": redis, **services}
    components["workers"] = workers
    essential_up = database["status"] == "up" and all(s["status"] == "up" for s in services.values())
    everything_up = (
        essential_up and redis["status"] == "up" and all(w["status"] == "up" for w in workers.values())
    )
    status = "ok" if everything_up else ("degraded" if essential_up else "down")
    return JSONResponse(
        {"status": status, "components": components}, status_code=200 if essential_up else 503
    )
