"""Every query of a fund's history, built from the table; the history is only appended to."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from sqlalchemy import Row, Table, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.common.clock import utcnow
from services.funds.history.models import Action, HistoryEntry, Step

HISTORY: Table = HistoryEntry.__table__  # type: ignore[attr-defined]


async def append(session: AsyncSession, step: Step) -> None:
    values = {**asdict(step), "subject_type": step.subject.value, "action": step.action.value, "at": utcnow()}
    del values["subject"]
    await session.execute(insert(HISTORY).values(values))


async def approvers(session: AsyncSession, subject_id: uuid.UUID) -> list[str]:
    """Who has approved this request so far, in order."""
    rows = await session.execute(
        select(HISTORY.c.actor)
        .where(HISTORY.c.subject_id == subject_id, HISTORY.c.action == Action.approved.value)
        .order_by(HISTORY.c.id)
    )
    return [row.actor for row in rows]


async def of_fund(
    session: AsyncSession, fund_id: uuid.UUID, *, subject_id: uuid.UUID | None, after: int, limit: int
) -> Sequence[Row[Any]]:
    """Up to `limit` rows of the fund's history after id `after` (only one subject's, if given)."""
    statement = select(HISTORY).where(HISTORY.c.fund_id == fund_id, HISTORY.c.id > after)
    if subject_id is not None:
        statement = statement.where(HISTORY.c.subject_id == subject_id)
    return (await session.execute(statement.order_by(HISTORY.c.id).limit(limit))).all()


async def of_subject(session: AsyncSession, subject_id: uuid.UUID) -> Sequence[Row[Any]]:
    """The whole history of one request, in order (a handful of rows)."""
    statement = select(HISTORY).where(HISTORY.c.subject_id == subject_id).order_by(HISTORY.c.id)
    return (await session.execute(statement)).all()
