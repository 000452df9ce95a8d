"""Every query of contributions."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import Table, bindparam, insert
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.common.db import CompiledStatement
from services.common.pagination import PageRequest, paginate
from services.funds.contributions.models import Contribution, SourceKind

CONTRIBUTIONS: Table = Contribution.__table__  # type: ignore[attr-defined]


_INSERT = CompiledStatement(
    insert(CONTRIBUTIONS).values({column.name: bindparam(column.name) for column in CONTRIBUTIONS.c})
)


async def insert_contribution(session: AsyncSession, contribution: Contribution) -> None:
    """Write a new contribution (it never changes afterwards: no ORM state to keep)."""
    values = contribution.model_dump()
    await _INSERT.fetch(session, **{column.name: values[column.name] for column in CONTRIBUTIONS.c})


async def page(
    session: AsyncSession,
    fund_id: uuid.UUID,
    *,
    source_kind: SourceKind | None,
    page: PageRequest,
) -> tuple[Sequence[Contribution], str | None]:
    """A page of the fund's contributions in the order they were recorded."""
    statement = select(Contribution).where(Contribution.fund_id == fund_id)
    if source_kind:
        statement = statement.where(Contribution.source_kind == source_kind)
    return await paginate(session, statement, model=Contribution, page=page)
