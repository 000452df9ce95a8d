from __future__ import annotations

from typing import Annotated

from fastapi import Query, Request
from fastapi.responses import StreamingResponse

from gateway.audit import service
from gateway.audit.schemas import AuditPage, AuditVerification
from services.common.auth import CurrentPrincipal
from services.common.db import Session
from services.common.pagination import FIRST_PAGE, PagingInOrder
from services.common.problems import language_of
from services.common.routing import api_router
from services.common.types import AreaCode, Moment

router = api_router(prefix="/v1/audit", tags=["audit"])
ACTOR = r"^(user|client|service):[A-Za-z0-9._-]{1,100}$"
ACTION = r"^[a-z_.]{1,128}$"


@router.get(
    "",
    response_model=AuditPage,
    summary="Who did what, where and when: security- and money-relevant actions (national, regional admins)",
    description="Entries inside the caller's areas in chain order (oldest first), filtered; `next_cursor` "
    "pages on.",
)
async def list_audit(
    session: Session,
    principal: CurrentPrincipal,
    area: AreaCode | None = Query(None, description="Only entries inside this area"),
    actor: Annotated[str | None, Query(pattern=ACTOR, description="Only this actor (`user:<id>`, …)")] = None,
    action: Annotated[
        str | None, Query(pattern=ACTION, description="Only actions starting with this")
    ] = None,
    since: Annotated[Moment | None, Query(description="Only entries at or after this time")] = None,
    until: Annotated[Moment | None, Query(description="Only entries before this time")] = None,
    page: PagingInOrder = FIRST_PAGE,
) -> AuditPage:
    return await service.list_entries(
        session,
        principal,
        page=page,
        area=area,
        actor=actor,
        action=action,
        since=since,
        until=until,
    )


@router.get(
    "/export",
    response_class=StreamingResponse,
    responses={200: {"description": "The filtered entries as CSV (UTF-8)", "content": {"text/csv": {}}}},
    summary="Download the audit entries as CSV (the export is itself an entry)",
)
async def export_audit(
    request: Request,
    session: Session,
    principal: CurrentPrincipal,
    area: AreaCode | None = Query(None, description="Only entries inside this area"),
    actor: Annotated[str | None, Query(pattern=ACTOR, description="Only this actor")] = None,
    action: Annotated[
        str | None, Query(pattern=ACTION, description="Only actions starting with this")
    ] = None,
    since: Annotated[Moment | None, Query(description="Only entries at or after this time")] = None,
    until: Annotated[Moment | None, Query(description="Only entries before this time")] = None,
) -> StreamingResponse:
    filters = {"area": area, "actor": actor, "action": action, "since": since, "until": until}
    statement = service.filtered(principal, **filters)
    await service.record_export(session, principal, filters)
    language = language_of(request.headers)
    return StreamingResponse(
        service.csv_rows(request.app.state.sessions, statement, language),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": 'attachment; filename="khabuan-audit.csv"',
            "Content-Language": language,
        },
    )


@router.get(
    "/verify",
    response_model=AuditVerification,
    summary="Walk the audit chain: an edited, deleted or inserted entry is found (national, regional admins)",
)
async def verify_audit(session: Session, principal: CurrentPrincipal) -> AuditVerification:
    return await service.verify(session, principal)
