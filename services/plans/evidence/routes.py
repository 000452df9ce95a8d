from __future__ import annotations

import uuid
from typing import Annotated
from urllib.parse import quote

from fastapi import File, Form, Query, Request, Response, UploadFile, status

from services.common import errors
from services.common.auth import CurrentPrincipal
from services.common.db import ReadSession, Session
from services.common.etag import resource_response
from services.common.openapi import problems
from services.common.routing import api_router
from services.common.types import Name
from services.plans.evidence import service
from services.plans.evidence.schemas import ACCEPTED, EvidenceFilePublic, EvidenceFiles
from services.plans.evidence.storage import Files

router = api_router(prefix="/v1/evidence", tags=["evidence"])


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=EvidenceFilePublic,
    summary="Give an update a file as evidence (multipart; 200 when the update already has that content)",
    responses={
        200: {
            "model": EvidenceFilePublic,
            "description": "The update already had this content: the same file",
        },
        **problems(errors.NotFound),
    },
)
async def attach(
    request: Request,
    session: Session,
    principal: CurrentPrincipal,
    store: Files,
    file: Annotated[UploadFile, File(description=f"One of: {', '.join(ACCEPTED.values())}; told by content")],
    update_id: Annotated[uuid.UUID, Form(description="The update it backs (its author, while it is open)")],
    title: Annotated[Name | None, Form(description="What it shows, in a few words")] = None,
) -> Response:
    evidence, new = await service.attach(
        session,
        principal,
        store,
        update_id=update_id,
        filename=file.filename or "",
        content=await file.read(),
        title=title,
        max_bytes=request.app.state.settings.evidence_max_bytes,
    )
    response = resource_response(request, evidence, evidence.sha256, status_code=201 if new else 200)
    response.headers["Location"] = f"/v1/evidence/{evidence.id}"
    return response


@router.get(
    "",
    response_model=EvidenceFiles,
    summary="An update's evidence files (the area's staff)",
    responses=problems(errors.NotFound),
)
async def of_update(
    session: ReadSession,
    principal: CurrentPrincipal,
    update_id: uuid.UUID = Query(description="The update whose files to list"),
) -> EvidenceFiles:
    return await service.of_update(session, principal, update_id)


@router.get("/{file_id}", response_model=EvidenceFilePublic, summary="One evidence file's record")
async def get_file(
    file_id: uuid.UUID, session: ReadSession, principal: CurrentPrincipal
) -> EvidenceFilePublic:
    return await service.get(session, principal, file_id)


@router.get(
    "/{file_id}/content",
    summary="Download an evidence file (the area's staff)",
    response_class=Response,
    responses={200: {"content": {media: {} for media in ACCEPTED}, "description": "The file as uploaded"}},
)
async def download(
    file_id: uuid.UUID, request: Request, session: ReadSession, principal: CurrentPrincipal, store: Files
) -> Response:
    evidence, data = await service.content(session, principal, store, file_id)
    tag = f'"{evidence.sha256}"'
    headers = {
        "ETag": tag,
        "Cache-Control": "private, max-age=3600",
        "X-Content-Type-Options": "nosniff",
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(evidence.filename)}",
    }
    if request.headers.get("if-none-match") == tag:
        return Response(status_code=304, headers=headers)
    return Response(data, media_type=evidence.media_type, headers=headers)
