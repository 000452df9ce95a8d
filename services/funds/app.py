from __future__ import annotations

from fastapi import FastAPI

from services.common.service_app import create_service_app
from services.common.settings import Settings
from services.funds.contributions.routes import router as contributions_router
from services.funds.db import SCHEMA
from services.funds.disbursements.routes import router as disbursements_router
from services.funds.events import EVENT_TYPES
from services.funds.funds.routes import router as funds_router
from services.funds.ledger.routes import router as ledger_router
from services.funds.privacy.routes import router as privacy_router
from services.funds.reads import reader_kept
from services.funds.reversals.routes import router as reversals_router
from services.funds.waiting.routes import router as waiting_router


def create_app(settings: Settings | None = None) -> FastAPI:
    return create_service_app(
        name="funds",
        schema=SCHEMA,
        title="Khabuan funds",
        description="Pooled community funds (กองทุนบริหารร่วม) on a double-entry ledger: contributions, "
        "committee-approved disbursements, reversals, and a public, hash-chained ledger anyone can audit.",
        routers=[
            privacy_router,
            waiting_router,
            funds_router,
            contributions_router,
            disbursements_router,
            reversals_router,
            ledger_router,
        ],
        event_types=EVENT_TYPES,
        resources=[reader_kept],
        settings=settings,
    )
