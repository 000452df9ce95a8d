"""The frame every service app is built in: lifespan, middleware, problem handlers, health."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager
from typing import Any

from fastapi import APIRouter, Depends, FastAPI, Request
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.responses import JSONResponse, Response

from services.common import errors
from services.common.auth import TokenVerifier
from services.common.db import create_engine, database_is_ready, read_session_factory, session_factory
from services.common.deactivations import Deactivations, followed
from services.common.events.outbox import bind_event_source, event_source
from services.common.events.published import publish_event_types
from services.common.events.registry import EventType, register
from services.common.geo.regions import region_map_from_gateway, region_map_kept_fresh
from services.common.i18n import Text
from services.common.idempotency import idempotency_store
from services.common.logging import configure_logging
from services.common.metrics import metrics_router
from services.common.middleware import (
    BodyLimitMiddleware,
    HeadMiddleware,
    MediaTypeMiddleware,
    RequestContextMiddleware,
)
from services.common.openapi import with_problem_responses
from services.common.problems import UnexpectedErrorMiddleware, install_problem_handlers, set_problem_base_uri
from services.common.query import single_valued_query
from services.common.settings import Settings, get_settings

Resource = Callable[[FastAPI, AsyncEngine, Settings], AbstractAsyncContextManager[None]]
QUIET_PATHS = ("/health/live", "/health/ready", "/metrics")


def create_service_app(
    *,
    name: str,
    schema: str,
    title: str,
    description: str,
    routers: Sequence[APIRouter],
    event_types: Sequence[EventType] = (),
    resources: Sequence[Resource] = (),
    upload_paths: Sequence[str] = (),
    settings: Settings | None = None,
) -> FastAPI:
    """The service's app; it records `event_types` and publishes them in its OpenAPI `webhooks`; each of
    `resources` is opened on its engine for the app's lifetime (say, a pool of the service's own); the
    `upload_paths` take a multipart file up to `max_upload_bytes`."""
    settings = settings or get_settings()
    register(*event_types)
    configure_logging(name, level=settings.log_level, json=settings.log_json)
    set_problem_base_uri(settings.problem_base_uri)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = create_engine(settings, application_name=f"khabuan-{name}")
        app.state.engine = engine
        app.state.sessions = session_factory(engine)
        # the request session records this service's events in its own schema's outbox
        app.state.event_source = event_source(name, schema)
        bind_event_source(app.state.sessions, app.state.event_source)
        app.state.read_sessions = read_session_factory(engine)
        app.state.idempotency = idempotency_store(engine, settings, schema)
        deactivations = Deactivations(settings.access_token_ttl_seconds)
        app.state.token_verifier = TokenVerifier(
            jwks_url=settings.jwks_url,
            issuer=settings.jwt_issuer,
            audience=settings.jwt_audience,
            cache_seconds=settings.jwks_cache_seconds,
            deactivations=deactivations,
        )
        # area checks read the province → region map the gateway serves (bundled CSV until it answers)
        gateway_regions = region_map_from_gateway(settings.geo_url)
        try:
            async with AsyncExitStack() as kept:
                await kept.enter_async_context(
                    region_map_kept_fresh(gateway_regions, settings.geo_refresh_seconds)
                )
                await kept.enter_async_context(followed(settings, deactivations))
                for resource in resources:
                    await kept.enter_async_context(resource(app, engine, settings))
                app.openapi()  # built once before the first request: the gateway's fetch of it is timed
                yield
        finally:
            await engine.dispose()

    app = FastAPI(
        title=title,
        description=description,
        version="1.0.0",
        lifespan=lifespan,
        dependencies=[Depends(single_valued_query)],
    )
    app.state.settings = settings
    app.state.service_name = name
    install_problem_handlers(app)
    app.include_router(health_router())
    app.include_router(metrics_router())
    for router in routers:
        app.include_router(router)
    # the gateway learns the service's event types from this document (gateway/webhooks/catalogue.py)
    publish_event_types(app, event_types)
    app.add_middleware(UnexpectedErrorMiddleware)
    app.add_middleware(MediaTypeMiddleware, form_paths=upload_paths)
    app.add_middleware(
        BodyLimitMiddleware,
        max_bytes=settings.max_body_bytes,
        upload_paths=upload_paths,
        upload_bytes=settings.max_upload_bytes,
    )
    app.add_middleware(HeadMiddleware)
    app.add_middleware(RequestContextMiddleware, process=name, quiet_paths=QUIET_PATHS)
    document_problems(app)
    return app


def document_problems(app: FastAPI) -> None:
    """The app's OpenAPI document says what its errors really are: problem+json (see common/openapi.py)."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None or "Problem" not in app.openapi_schema.get("components", {}).get(
            "schemas", {}
        ):
            app.openapi_schema = with_problem_responses(generate())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def health_router() -> APIRouter:
    router = APIRouter(prefix="/health", tags=["health"])

    @router.get("/live", summary="The process is up")
    async def live() -> dict[str, str]:
        return {"status": "ok"}

    @router.get("/ready", summary="The service can reach its database", response_model=None)
    async def ready(request: Request) -> Response:
        if await database_is_ready(request.app.state.engine):
            return JSONResponse({"status": "ok", "service": request.app.state.service_name})
        raise errors.ServiceUnavailable(
            Text("The service cannot reach its database.", "บริการเชื่อมต่อฐานข้อมูลไม่ได้")
        )

    return router
