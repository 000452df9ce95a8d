from __future__ import annotations

from fastapi import Request

from gateway.privacy import service
from gateway.privacy.schemas import PrivacyRequestCreate, PrivacyResult
from gateway.users.problems import OwnAccount
from services.common.auth import CurrentPrincipal
from services.common.db import Session
from services.common.openapi import problems
from services.common.routing import api_router

router = api_router(tags=["privacy"])


@router.post(
    "/v1/privacy/requests",
    response_model=PrivacyResult,
    summary="A data subject's access or erasure request (PDPA), made by a national administrator",
    description="`access` returns what every service holds about the person; `erasure` replaces their names "
    "everywhere with one pseudonym and deactivates their account (ledger entries stay, and every chain still "
    "verifies). A service that cannot be reached is 503 naming it: make the request again (it is idempotent "
    "in effect). Each request is itself an audit entry (`privacy.access`, `privacy.erasure`). One does not "
    "erase one's own account (409 `own-account`).",
    responses=problems(OwnAccount),
)
async def privacy_request(
    body: PrivacyRequestCreate, request: Request, session: Session, principal: CurrentPrincipal
) -> PrivacyResult:
    state = request.app.state
    return await service.handle(
        session,
        principal,
        body,
        http=state.http,
        urls=state.service_urls,
        key=state.key_ring.current(),
        settings=state.settings,
        redis=state.redis,
        stored_answers=state.idempotency,
    )
