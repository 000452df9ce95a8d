"""Every query of contributions (their rows are written through the ORM session in the service)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.common.pagination import paginate
from services.funds.contributions.models import Contribution, SourceKind


async def page(
    session: AsyncSession,
    fund_id: uuid.UUID,
    *,
    source_kind: SourceKind | None,
    cursor: str | None,
    limit: int,
) -> tuple[Sequence[Contribution], str | None]:
    """A page of the fund's contributions in the order they were recorded."""
    statement = select(Contribution).where(Contribution.fund_id == fund_id)
    if source_kind:
        statement = statement.where(Contribution.source_kind == source_kind)
    return await paginate(session, statement, model=Contribution, cursor=cursor, limit=limit)
