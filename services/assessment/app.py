from __future__ import annotations

from fastapi import FastAPI

from services.assessment.db import SCHEMA
from services.assessment.events import EVENT_TYPES
from services.assessment.frameworks.routes import router as frameworks_router
from services.assessment.lessons.routes import router as lessons_router
from services.assessment.outcomes.routes import router as outcomes_router
from services.assessment.privacy.routes import router as privacy_router
from services.assessment.recommendations.routes import router as recommendations_router
from services.assessment.rounds.routes import router as rounds_router
from services.assessment.teams.routes import router as teams_router
from services.assessment.waiting.routes import router as waiting_router
from services.common.service_app import create_service_app
from services.common.settings import Settings


def create_app(settings: Settings | None = None) -> FastAPI:
    return create_service_app(
        name="assessment",
        schema=SCHEMA,
        title="Khabuan assessment",
        description="The three support teams: empowerment evaluation, outcome evaluation, lessons.",
        routers=[
            privacy_router,
            waiting_router,
            teams_router,
            frameworks_router,
            rounds_router,
            outcomes_router,
            recommendations_router,
            lessons_router,
        ],
        event_types=EVENT_TYPES,
        settings=settings,
    )
