"""Recording and reading a fund's history (who did what, when); only the area's staff see who."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from services.common.pagination import PageRequest
from services.funds.cursors import decode_position, encode_position
from services.funds.history import repository
from services.funds.history.models import Step
from services.funds.history.schemas import HistoryEntryPublic

# details only the area's staff see: committee member ids, notes and payment references may name people
PRIVATE_DETAILS = frozenset({"changes", "note", "payment_reference", "payee_name"})
ORDER = "history"


async def record(session: AsyncSession, step: Step) -> None:
    """Keep one step of a fund's history."""
    await repository.append(session, step)


async def approvers(session: AsyncSession, subject_id: uuid.UUID) -> list[str]:
    """Who has approved this request so far, in order."""
    return await repository.approvers(session, subject_id)


async def list_history(
    session: AsyncSession,
    *,
    fund_id: uuid.UUID,
    people: bool,
    subject_id: uuid.UUID | None,
    page: PageRequest,
) -> tuple[list[HistoryEntryPublic], str | None]:
    cursor, limit = page.cursor, page.limit
    after = decode_position(cursor, ORDER)
    rows = await repository.of_fund(session, fund_id, subject_id=subject_id, after=after, limit=limit + 1)
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


async def of_subject(
    session: AsyncSession, subject_id: uuid.UUID, *, people: bool
) -> list[HistoryEntryPublic]:
    """The whole history of one request, shaped for the caller."""
    return [public_entry(row, people=people) for row in await repository.of_subject(session, subject_id)]
