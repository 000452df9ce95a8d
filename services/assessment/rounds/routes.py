from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends, Path, Query, Request, Response, status

from services.assessment.problems import DialogueNeeded, FrameworkSuperseded, RoundNotOpen, WrongStage
from services.assessment.rounds import reports, results, scoring, service
from services.assessment.rounds.evidence import plans_peer
from services.assessment.rounds.models import ItemStatus, RoundStatus
from services.assessment.rounds.schemas import (
    ItemPublic,
    Items,
    Ranking,
    ReportPublic,
    Results,
    Review,
    RoundCreate,
    RoundPublic,
    Score,
)
from services.common import errors
from services.common.auth import CurrentPrincipal, MaybePrincipal
from services.common.db import ReadSession, Session
from services.common.etag import resource_response
from services.common.openapi import CONDITIONAL_READ, problems
from services.common.pagination import FIRST_PAGE, Page, Paging, PagingInOrder
from services.common.peers import Peer
from services.common.routing import api_router
from services.common.types import AreaCode, AreaPath, FiscalYearQuery

router = api_router(prefix="/v1/rounds", tags=["rounds"])

Criterion = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[a-z][a-z0-9_]*$")]
Plans = Annotated[Peer, Depends(plans_peer)]
ITEM = "/{round_id}/items/{area_code}/{criterion}"


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=RoundPublic,
    summary="Plan a round",
    responses=problems(FrameworkSuperseded),
)
async def create_round(
    body: RoundCreate, request: Request, session: Session, principal: CurrentPrincipal
) -> Response:
    row = await service.create(session, principal, body)
    response = resource_response(request, row, row.version, status_code=201)
    response.headers["Location"] = f"/v1/rounds/{row.id}"
    return response


@router.get("", response_model=Page[RoundPublic], summary="List rounds (published ones for everyone)")
async def list_rounds(
    session: ReadSession,
    principal: MaybePrincipal,
    area: AreaCode | None = Query(None, description="Only rounds inside this area"),
    status: RoundStatus | None = None,
    fiscal_year: FiscalYearQuery = None,
    framework_id: uuid.UUID | None = None,
    page: Paging = FIRST_PAGE,
) -> Page[RoundPublic]:
    return await service.list_rounds(
        session,
        principal,
        area=area,
        status=status,
        fiscal_year=fiscal_year,
        framework_id=framework_id,
        page=page,
    )


@router.get(
    "/{round_id}",
    response_model=RoundPublic,
    summary="One round (public once published; ETag)",
    openapi_extra=CONDITIONAL_READ,
)
async def get_round(
    round_id: uuid.UUID, request: Request, session: ReadSession, principal: MaybePrincipal
) -> Response:
    row = await service.get(session, principal, round_id)
    return resource_response(request, row, row.version)


@router.post(
    "/{round_id}/open",
    response_model=RoundPublic,
    summary="Open a planned round for scores",
    responses=problems(WrongStage),
)
async def open_round(round_id: uuid.UUID, session: Session, principal: CurrentPrincipal) -> RoundPublic:
    return await service.open_round(session, principal, round_id)


@router.post(
    "/{round_id}/close",
    response_model=RoundPublic,
    summary="Close an open round: no more scores",
    responses=problems(WrongStage),
)
async def close_round(round_id: uuid.UUID, session: Session, principal: CurrentPrincipal) -> RoundPublic:
    return await service.close_round(session, principal, round_id)


@router.post(
    "/{round_id}/publish",
    response_model=RoundPublic,
    summary="Publish a closed round and its reviewed items",
    responses=problems(WrongStage),
)
async def publish_round(round_id: uuid.UUID, session: Session, principal: CurrentPrincipal) -> RoundPublic:
    return await service.publish_round(session, principal, round_id)


@router.get(
    "/{round_id}/results",
    response_model=Results,
    summary="A round's results: levels counted per area group; medians, coverage, change, progress to 2579",
)
async def round_results(
    round_id: uuid.UUID,
    session: ReadSession,
    principal: MaybePrincipal,
    level: results.Grouping = Query(
        "province", description="Group the areas by tambon, province, region or nation"
    ),
) -> Results:
    return await results.results(session, principal, round_id, level)


@router.get(
    "/{round_id}/ranking",
    response_model=Ranking,
    summary="Provinces by readiness for next year's expansion, each criterion's contribution shown",
)
async def round_ranking(round_id: uuid.UUID, session: ReadSession, principal: MaybePrincipal) -> Ranking:
    return await results.ranking(session, principal, round_id)


@router.post(
    "/{round_id}/reports",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=ReportPublic,
    summary="Ask for an XLSX of the round's results per province (202: follow the job at Location)",
)
async def request_report(round_id: uuid.UUID, session: Session, principal: CurrentPrincipal) -> Response:
    report = await reports.request(session, principal, round_id)
    response = Response(report.model_dump_json(), status_code=202, media_type="application/json")
    response.headers["Location"] = f"/v1/rounds/{round_id}/reports/{report.id}"
    return response


@router.get("/{round_id}/reports/{report_id}", response_model=ReportPublic, summary="A round report's job")
async def get_report(
    round_id: uuid.UUID, report_id: uuid.UUID, session: ReadSession, principal: MaybePrincipal
) -> ReportPublic:
    return reports.shown(await reports.get(session, principal, round_id, report_id))


@router.get(
    "/{round_id}/reports/{report_id}/content",
    response_class=Response,
    summary="Download a completed round report (XLSX)",
    responses={
        200: {"content": {reports.XLSX: {}}, "description": "The workbook"},
        **problems(errors.Conflict),
    },
)
async def report_content(
    round_id: uuid.UUID, report_id: uuid.UUID, session: ReadSession, principal: MaybePrincipal
) -> Response:
    content, name = await reports.content(session, principal, round_id, report_id)
    return Response(
        content, media_type=reports.XLSX, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


@router.get(
    "/{round_id}/items", response_model=Items, summary="A round's items (published ones for everyone)"
)
async def list_items(
    round_id: uuid.UUID,
    session: ReadSession,
    principal: MaybePrincipal,
    area: AreaCode | None = Query(None, description="Only items of areas inside this one"),
    criterion: str | None = Query(None, max_length=64, pattern=r"^[a-z][a-z0-9_]*$"),
    status: ItemStatus | None = None,
    flagged: bool | None = None,
    page: PagingInOrder = FIRST_PAGE,
) -> Items:
    return await scoring.list_items(
        session,
        principal,
        round_id,
        area=area,
        criterion=criterion,
        status=status,
        flagged=flagged,
        page=page,
    )


@router.get(ITEM, response_model=ItemPublic, summary="One item of a round")
async def get_item(
    round_id: uuid.UUID,
    area_code: AreaPath,
    criterion: Criterion,
    session: ReadSession,
    principal: MaybePrincipal,
) -> ItemPublic:
    return await scoring.get_item(session, principal, round_id, area_code, criterion)


@router.put(
    ITEM + "/self",
    response_model=ItemPublic,
    summary="The community's own level for a criterion in its area",
    responses=problems(RoundNotOpen, WrongStage, errors.ServiceUnavailable),
)
async def score_self(
    round_id: uuid.UUID,
    area_code: AreaPath,
    criterion: Criterion,
    body: Score,
    session: Session,
    principal: CurrentPrincipal,
    plans: Plans,
) -> ItemPublic:
    return await scoring.score(session, principal, plans, round_id, area_code, criterion, "self", body)


@router.put(
    ITEM + "/team",
    response_model=ItemPublic,
    summary="The team's level for a criterion in an area it is assigned to",
    responses=problems(RoundNotOpen, WrongStage, errors.ServiceUnavailable),
)
async def score_team(
    round_id: uuid.UUID,
    area_code: AreaPath,
    criterion: Criterion,
    body: Score,
    session: Session,
    principal: CurrentPrincipal,
    plans: Plans,
) -> ItemPublic:
    return await scoring.score(session, principal, plans, round_id, area_code, criterion, "team", body)


@router.post(
    ITEM + "/submit",
    response_model=ItemPublic,
    summary="Send an item with both sides scored for review",
    responses=problems(WrongStage),
)
async def submit_item(
    round_id: uuid.UUID,
    area_code: AreaPath,
    criterion: Criterion,
    session: Session,
    principal: CurrentPrincipal,
) -> ItemPublic:
    return await scoring.submit(session, principal, round_id, area_code, criterion)


@router.post(
    ITEM + "/review",
    response_model=ItemPublic,
    summary="Review a submitted item (the team's lead; a dialogue note where the sides differ)",
    responses=problems(DialogueNeeded, WrongStage),
)
async def review_item(
    round_id: uuid.UUID,
    area_code: AreaPath,
    criterion: Criterion,
    body: Review,
    session: Session,
    principal: CurrentPrincipal,
) -> ItemPublic:
    return await scoring.review(session, principal, round_id, area_code, criterion, body)
