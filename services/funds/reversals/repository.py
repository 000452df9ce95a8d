"""Every query of reversal requests (their rows change through the ORM session in the service)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.common.pagination import PageRequest, paginate
from services.funds.reversals.models import Reversal, ReversalStatus

OPEN = (ReversalStatus.requested, ReversalStatus.approved)


async def open_for(session: AsyncSession, transfer_id: uuid.UUID) -> uuid.UUID | None:
    """The reversal request still open (or done) for a transfer, if any."""
    statement = select(Reversal.id).where(Reversal.transfer_id == transfer_id, col(Reversal.status).in_(OPEN))
    return (await session.exec(statement)).first()


async def page(
    session: AsyncSession,
    fund_id: uuid.UUID,
    *,
    page: PageRequest,
) -> tuple[Sequence[Reversal], str | None]:
    """A page of the fund's reversal requests, in the order they were made or (to sync) last changed."""
    statement = select(Reversal).where(Reversal.fund_id == fund_id)
    return await paginate(session, statement, model=Reversal, page=page)
