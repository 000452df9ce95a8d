"""The routing table: which service owns which /v1 path prefix (docs/architecture.md)."""

from __future__ import annotations

from typing import Literal

from services.common.settings import Settings

ServiceName = Literal["plans", "funds", "assessment"]
SERVICES: tuple[ServiceName, ...] = ("plans", "funds", "assessment")

ROUTES: dict[str, ServiceName] = {
    "/v1/strategies": "plans",
    "/v1/agendas": "plans",
    "/v1/plans": "plans",
    "/v1/projects": "plans",
    "/v1/indicators": "plans",
    "/v1/forums": "plans",
    "/v1/forum-actions": "plans",
    "/v1/partners": "plans",
    "/v1/agreements": "plans",
    "/v1/imports": "plans",
    "/v1/evidence": "plans",
    "/v1/search": "plans",
    "/v1/funds": "funds",
    "/v1/organisations": "funds",
    "/v1/loans": "funds",
    "/v1/welfare-funds": "funds",
    "/v1/savings-groups": "funds",
    "/v1/teams": "assessment",
    "/v1/frameworks": "assessment",
    "/v1/rounds": "assessment",
    "/v1/outcomes": "assessment",
    "/v1/recommendations": "assessment",
    "/v1/lessons": "assessment",
}


def owner_of(path: str) -> ServiceName | None:
    """The service that owns `path`, matching whole segments (`/v1/funds/x`, never `/v1/fundsx`)."""
    parts = path.split("/", 3)
    if len(parts) < 3:
        return None
    return ROUTES.get("/".join(parts[:3]))


def service_urls(settings: Settings) -> dict[ServiceName, str]:
    return {
        "plans": settings.plans_url.rstrip("/"),
        "funds": settings.funds_url.rstrip("/"),
        "assessment": settings.assessment_url.rstrip("/"),
    }
