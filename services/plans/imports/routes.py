from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import File, Form, Query, Request, Response, UploadFile, status

from services.common.auth import CurrentPrincipal, MaybePrincipal
from services.common.db import ReadSession, Session
from services.common.etag import resource_response
from services.common.routing import api_router
from services.common.types import AreaCode, FiscalYearQuery
from services.plans.imports import exports, service
from services.plans.imports.models import FileFormat, ImportKind
from services.plans.imports.schemas import ImportPublic

router = api_router(prefix="/v1", tags=["imports"])


@router.post(
    "/imports",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=ImportPublic,
    summary="Upload a CSV or XLSX file to import (202: follow the job at Location)",
)
async def create_import(
    request: Request,
    session: Session,
    principal: CurrentPrincipal,
    file: Annotated[
        UploadFile, File(description="CSV (UTF-8) or XLSX: a header row, then one row per figure")
    ],
    kind: Annotated[ImportKind, Form(description="What the rows are")],
    indicator_id: Annotated[uuid.UUID, Form(description="The indicator they belong to")],
    dry_run: Annotated[bool, Form(description="Only check: report the errors, change nothing")] = False,
) -> Response:
    job = await service.create(
        session,
        principal,
        indicator_id=indicator_id,
        kind=kind,
        dry_run=dry_run,
        file_name=file.filename or "",
        content=await file.read(),
    )
    response = resource_response(request, job, job.updated_at.isoformat(), status_code=202)
    response.headers["Location"] = f"/v1/imports/{job.id}"
    return response


@router.get("/imports/{import_id}", response_model=ImportPublic, summary="An import's progress and errors")
async def get_import(import_id: uuid.UUID, session: ReadSession, principal: CurrentPrincipal) -> ImportPublic:
    return await service.get(session, principal, import_id)


@router.get(
    "/indicators/{indicator_id}/export",
    summary="An indicator's values, targets or TPMAP households as CSV or XLSX, in the import's columns",
    response_class=Response,
    responses={200: {"content": {media: {} for media in exports.MEDIA.values()}}},
)
async def export(
    indicator_id: uuid.UUID,
    session: ReadSession,
    principal: MaybePrincipal,
    kind: ImportKind = Query(ImportKind.indicator_values, description="What to export"),
    file_format: FileFormat = Query(FileFormat.csv, alias="format", description="csv or xlsx"),
    fiscal_year: FiscalYearQuery = None,
    area: AreaCode | None = Query(None, description="Only areas inside this one"),
) -> Response:
    content, media, name = await exports.export(
        session,
        principal,
        indicator_id,
        kind=kind,
        file_format=file_format,
        fiscal_year=fiscal_year,
        area=area,
    )
    return Response(
        content, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )
