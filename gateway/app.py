"""The gateway app, behind the edge: auth, merged OpenAPI and docs, geography, webhooks, health.

The edge (gateway/edge) sends it every path the routing table does not give a service."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from fastapi import Depends, FastAPI
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.types import ASGIApp

from gateway.audit.routes import router as audit_router
from gateway.auth.keys import KeyRing
from gateway.auth.repository import enabled_demo_accounts
from gateway.auth.routes import REVOKE_PATH
from gateway.auth.routes import router as auth_router
from gateway.auth.throttle import LoginThrottle
from gateway.clients.routes import router as clients_router
from gateway.events import EVENT_TYPES
from gateway.geo.routes import router as geo_router
from gateway.health import router as health_router
from gateway.inbox.routes import router as inbox_router
from gateway.openapi.routes import router as openapi_router
from gateway.openapi.store import SpecStore
from gateway.privacy.routes import router as privacy_router
from gateway.routing import service_urls
from gateway.users.routes import router as users_router
from gateway.webhooks.catalogue import WEBHOOK_HEADERS_DOC
from gateway.webhooks.routes import router as webhooks_router
from services.common.auth import TokenVerifier
from services.common.db import create_engine, session_factory
from services.common.deactivations import Deactivations, followed
from services.common.events import bind_event_source, event_source
from services.common.events.published import publish_event_types
from services.common.events.registry import register
from services.common.idempotency import idempotency_store
from services.common.logging import configure_logging
from services.common.metrics import metrics_router
from services.common.middleware import (
    BodyLimitMiddleware,
    HeadMiddleware,
    MediaTypeMiddleware,
    RequestContextMiddleware,
)
from services.common.problems import UnexpectedErrorMiddleware, install_problem_handlers, set_problem_base_uri
from services.common.query import single_valued_query
from services.common.service_app import health_router as liveness_router
from services.common.settings import Settings, get_settings

TOKEN_PATH = "/v1/auth/token"


async def refuse_enabled_demo_accounts(engine: AsyncEngine) -> None:
    """A database that served development must not serve production with its demo logins still open."""
    async with engine.connect() as connection:
        count = await enabled_demo_accounts(connection)
    if count:
        raise RuntimeError(
            f"refusing to start with KHABUAN_ENV=production: {count} demo accounts are enabled "
            "in the database; disable them (gateway.users and gateway.clients rows where is_demo)"
        )


def create_app(settings: Settings | None = None) -> ASGIApp:
    settings = settings or get_settings()
    configure_logging("gateway", level=settings.log_level, json=settings.log_json)
    set_problem_base_uri(settings.problem_base_uri)
    key_ring = KeyRing(settings)
    urls = service_urls(settings)
    register(*EVENT_TYPES)
    deactivations = Deactivations(settings.access_token_ttl_seconds)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = create_engine(settings, application_name="khabuan-gateway")
        app.state.engine = engine
        app.state.sessions = session_factory(engine)
        # the gateway records its own events (webhook.endpoint.*) in its outbox, relayed by its worker
        bind_event_source(app.state.sessions, event_source("gateway", "gateway"))
        app.state.idempotency = idempotency_store(engine, settings, "gateway")
        if settings.is_production:
            await refuse_enabled_demo_accounts(engine)
        app.state.redis = Redis.from_url(settings.redis_url, socket_timeout=2.0, socket_connect_timeout=2.0)
        app.state.login_throttle = LoginThrottle(app.state.redis, app.state.sessions, settings)
        # the gateway's own calls to the services (health, their OpenAPI documents)
        app.state.http = httpx.AsyncClient(
            timeout=httpx.Timeout(settings.upstream_read_timeout, connect=settings.upstream_connect_timeout)
        )
        try:
            async with followed(settings, deactivations):  # a deactivated account's tokens stop here too
                yield
        finally:
            await app.state.http.aclose()
            await app.state.redis.aclose()
            await engine.dispose()

    api = FastAPI(
        title="Khabuan",
        description="Plans, pooled funds and assessment for integrated provinces (จังหวัดบูรณาการ).",
        version="1.0.0",
        lifespan=lifespan,
        # the gateway serves its own merged /openapi.json, /docs and /redoc (gateway/openapi)
        openapi_url=None,
        docs_url=None,
        redoc_url=None,
        dependencies=[Depends(single_valued_query)],
    )
    api.state.settings = settings
    api.state.service_name = "gateway"
    api.state.key_ring = key_ring
    api.state.service_urls = urls
    # the services' last good specs (memory, then data_dir/openapi/): docs and the webhooks catalogue
    api.state.openapi_store = SpecStore(
        settings.data_dir / "openapi", urls, webhook_notes=WEBHOOK_HEADERS_DOC
    )
    # the gateway verifies its own tokens with its own key, without a round trip to itself
    api.state.token_verifier = TokenVerifier.with_keys(
        key_ring.public_keys,
        issuer=settings.jwt_issuer,
        audience=settings.jwt_audience,
        deactivations=deactivations,
    )
    install_problem_handlers(api)
    api.include_router(health_router)
    api.include_router(liveness_router())
    api.include_router(auth_router)
    api.include_router(users_router)
    api.include_router(clients_router)
    api.include_router(audit_router)
    api.include_router(inbox_router)
    api.include_router(privacy_router)
    api.include_router(openapi_router)
    api.include_router(geo_router)
    api.include_router(webhooks_router)
    publish_event_types(api, EVENT_TYPES)
    api.include_router(metrics_router())
    api.add_middleware(UnexpectedErrorMiddleware)
    api.add_middleware(MediaTypeMiddleware, form_paths=[TOKEN_PATH, REVOKE_PATH])

    app: ASGIApp = HeadMiddleware(BodyLimitMiddleware(api, max_bytes=settings.max_body_bytes))
    return RequestContextMiddleware(
        app, process="gateway", quiet_paths=("/health", "/health/live", "/health/ready", "/metrics")
    )
