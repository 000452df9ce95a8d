"""Submitted round items that wait for their team's lead."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, select
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from services.assessment.rounds.models import Item, ItemStatus, Round
from services.assessment.teams.models import Member, MemberRole


async def items_to_review(session: AsyncSession, lead: str, *, limit: int) -> Sequence[Row[Any]]:
    statement = (
        select(Item, col(Round.title_th))
        .join(Round, col(Round.id) == col(Item.round_id))
        .join(Member, col(Member.team_id) == col(Round.team_id))
        .where(
            col(Member.user_id) == lead,
            col(Member.role) == MemberRole.lead,
            col(Item.status) == ItemStatus.submitted,
        )
        .order_by(col(Item.submitted_at), col(Item.round_id), col(Item.area_code), col(Item.criterion))
        .limit(limit)
    )
    return (await session.execute(statement)).all()
