from __future__ import annotations

from fastapi import FastAPI

from services.common.service_app import create_service_app
from services.common.settings import Settings
from services.funds.funds.routes import router as funds_router


def create_app(settings: Settings | None = None) -> FastAPI:
    return create_service_app(
        name="funds",
        schema="funds",
        title="Khabuan funds",
        description="Pooled community funds (กองทุนบริหารร่วม): contributions, disbursements, public audit.",
        routers=[funds_router],
        settings=settings,
    )
