from __future__ import annotations

import uuid

from services.common.auth import MaybePrincipal
from services.common.db import ReadSession
from services.common.routing import api_router
from services.plans.payments import service
from services.plans.payments.schemas import ProjectPayments

router = api_router(prefix="/v1/projects/{project_id}", tags=["projects"])


@router.get(
    "/disbursements",
    response_model=ProjectPayments,
    summary="What the funds paid for a project (from the funds service's events; public)",
)
async def project_payments(
    project_id: uuid.UUID, session: ReadSession, principal: MaybePrincipal
) -> ProjectPayments:
    return await service.of_project(session, principal, project_id)
