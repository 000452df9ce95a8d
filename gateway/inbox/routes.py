from __future__ import annotations

from fastapi import Request

from gateway.inbox import service
from gateway.inbox.service import Inbox
from services.common.auth import CurrentPrincipal
from services.common.pagination import UpdatedSince
from services.common.routing import api_router

router = api_router(tags=["inbox"])


@router.get(
    "/v1/me/inbox",
    response_model=Inbox,
    summary="What waits for you: disbursements and reversals to approve, figures to review, items to review",
    description="Gathered at once from each service's own state, asked with your token (so each applies its "
    "own rules); `updated_since` keeps what started waiting since then. A service that does not answer is "
    "named in `unavailable`; the rest still come.",
)
async def my_inbox(
    request: Request, principal: CurrentPrincipal, updated_since: UpdatedSince = None
) -> Inbox:
    del principal  # verified here first: an anonymous caller is 401, not a fan-out of 401s
    return await service.inbox(
        request.app.state.http,
        request.app.state.service_urls,
        request.headers["authorization"],
        updated_since=updated_since,
    )
