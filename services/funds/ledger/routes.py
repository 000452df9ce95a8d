from __future__ import annotations

import uuid

from fastapi import Query, Request
from starlette.responses import StreamingResponse

from services.common.auth import MaybePrincipal
from services.common.clock import utcnow
from services.common.db import Session
from services.common.pagination import FIRST_PAGE, Page, PagingInOrder
from services.common.problems import language_of
from services.common.routing import api_router
from services.funds.funds import service as funds
from services.funds.ledger import public
from services.funds.ledger.audit import verify_owner_shared
from services.funds.ledger.events import record_export
from services.funds.ledger.export import MEDIA_TYPES, ExportFormat, export, filename
from services.funds.ledger.schemas import BrokenLinkPublic, LedgerEntryPublic, LedgerVerification
from services.funds.reads import Reads

router = api_router(prefix="/v1/funds/{fund_id}/ledger", tags=["funds"])


@router.get(
    "",
    response_model=Page[LedgerEntryPublic],
    summary="The fund's public ledger, hash-chained entry by entry (anonymous allowed, no personal data)",
)
async def fund_ledger(
    fund_id: uuid.UUID,
    reader: Reads,
    principal: MaybePrincipal,
    page: PagingInOrder = FIRST_PAGE,
) -> Page[LedgerEntryPublic]:
    ledger = await funds.ledger_of(reader, principal, fund_id)
    items, next_cursor = await public.page(reader, ledger, page=page)
    return Page(items=items, next_cursor=next_cursor)


@router.get(
    "/verify",
    response_model=LedgerVerification,
    summary="Recompute the fund's hash chains, balances and transfer sums; report the first broken link",
)
async def verify_ledger(fund_id: uuid.UUID, reader: Reads, principal: MaybePrincipal) -> LedgerVerification:
    ledger = await funds.ledger_of(reader, principal, fund_id)
    verification = await verify_owner_shared(reader, ledger.fund_id)
    problems = [
        BrokenLinkPublic(
            account=p.account,
            problem=p.problem,
            sequence=p.sequence,
            transfer_id=p.transfer_id,
            detail=p.detail,
        )
        for p in verification.problems
    ]
    return LedgerVerification(
        fund_id=ledger.fund_id,
        verified=verification.verified,
        entries_checked=verification.entries_checked,
        head_hash=verification.head_hash,
        first_broken_link=problems[0] if problems else None,
        problems=problems,
        checked_at=utcnow(),
    )


@router.get(
    "/export",
    response_class=StreamingResponse,
    responses={
        200: {
            "description": "The whole ledger, streamed (no row cap); amounts in baht with two decimals",
            "content": {media_type: {} for media_type in MEDIA_TYPES.values()},
        }
    },
    summary="Download the whole ledger as CSV or XLSX (Thai headers with Accept-Language: th)",
)
async def export_ledger(
    fund_id: uuid.UUID,
    request: Request,
    reader: Reads,
    session: Session,
    principal: MaybePrincipal,
    format: ExportFormat = Query(ExportFormat.csv, description="csv or xlsx"),
) -> StreamingResponse:
    ledger = await funds.ledger_of(reader, principal, fund_id)
    await record_export(session, fund_id, ledger.area_code, format.value)  # audited, as every export is
    language = language_of(request.headers)
    return StreamingResponse(
        export(reader, ledger, format, language),
        media_type=MEDIA_TYPES[format],
        headers={
            "Content-Disposition": f'attachment; filename="{filename(ledger, format)}"',
            "Content-Language": language,
        },
    )
