"""Every query of disbursements (their rows change through the ORM session in the service)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.common.pagination import PageRequest, paginate
from services.funds.disbursements.models import Disbursement, DisbursementStatus


async def page(
    session: AsyncSession,
    fund_id: uuid.UUID,
    *,
    status: DisbursementStatus | None,
    page: PageRequest,
) -> tuple[Sequence[Disbursement], str | None]:
    """A page of the fund's disbursements, in the order they were made or (to sync) last changed."""
    statement = select(Disbursement).where(Disbursement.fund_id == fund_id)
    if status:
        statement = statement.where(Disbursement.status == status)
    return await paginate(session, statement, model=Disbursement, page=page)
