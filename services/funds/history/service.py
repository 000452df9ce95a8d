"""Recording and reading a fund's history (who did what, when)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Table, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.common.clock import utcnow
from services.funds.cursors import decode_position, encode_position
from services.funds.history.models import Action, HistoryEntry, Subject
from services.funds.history.schemas import HistoryEntryPublic

HISTORY: Table = HistoryEntry.__table__  # type: ignore[attr-defined]
# details only the area's staff see: committee member ids, notes and payment references may name people
PRIVATE_DETAILS = frozenset({"changes", "note", "payment_reference", "payee_name"})
ORDER = "history"


async def record(
    session: AsyncSession,
    *,
    fund_id: uuid.UUID,
    subject: Subject,
    subject_id: uuid.UUID,
    action: Action,
    actor: str,
    details: Mapping[str, Any] | None = None,
) -> None:
    await session.execute(
        insert(HISTORY).values(
            fund_id=fund_id,
            subject_type=subject.value,
            subject_id=subject_id,
            action=action.value,
            actor=actor,
            at=utcnow(),
            details=dict(details or {}),
        )
    )


async def approvers(session: AsyncSession, subject_id: uuid.UUID) -> list[str]:
    """Who has approved this request so far, in order."""
    rows = await session.execute(
        select(HISTORY.c.actor)
        .where(HISTORY.c.subject_id == subject_id, HISTORY.c.action == Action.approved.value)
        .order_by(HISTORY.c.id)
    )
    return [row.actor for row in rows]


async def list_history(
    session: AsyncSession,
    *,
    fund_id: uuid.UUID,
    people: bool,
    subject_id: uuid.UUID | None,
    cursor: str | None,
    limit: int,
) -> tuple[list[HistoryEntryPublic], str | None]:
    statement = select(HISTORY).where(
        HISTORY.c.fund_id == fund_id, HISTORY.c.id > decode_position(cursor, ORDER)
    )
    if subject_id is not None:
        statement = statement.where(HISTORY.c.subject_id == subject_id)
    rows = (await session.execute(statement.order_by(HISTORY.c.id).limit(limit + 1))).all()
    items = [public_entry(row, people=people) for row in rows[:limit]]
    next_cursor = encode_position(ORDER, items[-1].id) if len(rows) > limit else None
    return items, next_cursor


def public_entry(row: Any, *, people: bool) -> HistoryEntryPublic:
    details = dict(row.details or {})
    if not people:
        details = {key: value for key, value in details.items() if key not in PRIVATE_DETAILS}
    return HistoryEntryPublic(
        id=row.id,
        subject_type=row.subject_type,
        subject_id=row.subject_id,
        action=row.action,
        at=row.at,
        actor=row.actor if people else None,
        details=details,
    )


def entries_of(rows: Sequence[Any], *, people: bool) -> list[HistoryEntryPublic]:
    return [public_entry(row, people=people) for row in rows]


async def of_subject(
    session: AsyncSession, subject_id: uuid.UUID, *, people: bool
) -> list[HistoryEntryPublic]:
    """The whole history of one request (a handful of rows)."""
    rows = (
        await session.execute(
            select(HISTORY).where(HISTORY.c.subject_id == subject_id).order_by(HISTORY.c.id)
        )
    ).all()
    return entries_of(rows, people=people)
