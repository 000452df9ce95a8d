from __future__ import annotations

from fastapi import FastAPI

from services.common.middleware import UPLOAD_PATHS
from services.common.service_app import create_service_app
from services.common.settings import Settings
from services.plans.agendas.routes import router as agendas_router
from services.plans.agreements.routes import router as agreements_router
from services.plans.db import SCHEMA
from services.plans.events import EVENT_TYPES
from services.plans.evidence.routes import router as evidence_router
from services.plans.forums.routes import actions_router as forum_actions_router
from services.plans.forums.routes import router as forums_router
from services.plans.imports.routes import router as imports_router
from services.plans.indicators.routes import router as indicators_router
from services.plans.partners.routes import router as partners_router
from services.plans.payments.routes import router as payments_router
from services.plans.privacy.routes import router as privacy_router
from services.plans.projects.routes import router as projects_router
from services.plans.reporting.routes import router as reporting_router
from services.plans.rollups.routes import router as rollups_router
from services.plans.search.routes import router as search_router
from services.plans.strategies.routes import plans_router
from services.plans.strategies.routes import router as strategies_router
from services.plans.waiting.routes import router as waiting_router


def create_app(settings: Settings | None = None) -> FastAPI:
    return create_service_app(
        name="plans",
        schema=SCHEMA,
        title="Khabuan plans",
        description="People's strategies, shared agendas, one province one project, verified indicators.",
        # FastAPI tries the routers in this order, each route in turn: the hottest read (dashboards poll
        # rollups) first saves it ~0.2 ms of matching a request (bench/README.md, Rollups)
        routers=[
            rollups_router,
            privacy_router,
            waiting_router,
            strategies_router,
            plans_router,
            agendas_router,
            projects_router,
            payments_router,
            partners_router,
            agreements_router,
            forums_router,
            forum_actions_router,
            indicators_router,
            reporting_router,
            evidence_router,
            imports_router,
            search_router,
        ],
        event_types=EVENT_TYPES,
        upload_paths=UPLOAD_PATHS,
        settings=settings,
    )
