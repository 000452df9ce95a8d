"""Requests that wait for one committee member: asked in a fund whose committee holds them, not by them,
and not yet approved by them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, cast, exists, literal, select
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from services.funds.disbursements.models import Disbursement, DisbursementStatus
from services.funds.funds.models import Fund
from services.funds.history.models import Action, HistoryEntry
from services.funds.reversals.models import Reversal, ReversalStatus


def _waiting_for(model: Any, status: str, member: str) -> Any:
    approved_by_member = exists().where(
        col(HistoryEntry.subject_id) == model.id,
        col(HistoryEntry.action) == Action.approved.value,
        col(HistoryEntry.actor) == member,
    )
    return (
        select(model, col(Fund.area_code), col(Fund.name_th))
        .join(Fund, col(Fund.id) == model.fund_id)
        .where(
            model.status == status,
            col(Fund.committee).op("@>")(cast(literal(f'["{member}"]'), JSONB)),
            model.requested_by != member,
            ~approved_by_member,
        )
        .order_by(model.created_at)
    )


async def disbursements_for(session: AsyncSession, member: str) -> Sequence[Row[Any]]:
    statement = _waiting_for(Disbursement, DisbursementStatus.requested.value, member)
    return (await session.execute(statement)).all()


async def reversals_for(session: AsyncSession, member: str) -> Sequence[Row[Any]]:
    statement = _waiting_for(Reversal, ReversalStatus.requested.value, member)
    return (await session.execute(statement)).all()
