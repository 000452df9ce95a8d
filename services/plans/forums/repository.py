"""Forums, their resolutions and actions as stored."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.common.i18n import Text
from services.common.resources import AreaResource, where_given
from services.plans.forums.models import Action, ActionStatus, Forum, Resolution
from services.plans.forums.schemas import ActionPublic, ForumPublic, ResolutionPublic

FORUMS = AreaResource(
    model=Forum, public=ForumPublic, area_field="area_code", what=Text("forum", "เวที"), aggregate="forum"
)
RESOLUTIONS = AreaResource(
    model=Resolution,
    public=ResolutionPublic,
    area_field="area_code",
    what=Text("resolution", "มติ"),
    aggregate="forum.resolution",
    parent=FORUMS,
    parent_field="forum_id",
)
ACTIONS = AreaResource(
    model=Action,
    public=ActionPublic,
    area_field="area_code",
    what=Text("follow-up action", "การติดตามมติ"),
    aggregate="forum.action",
)


def actions(*, area: str | None, status: ActionStatus | None, due_before: date | None) -> Any:
    statement = where_given(ACTIONS.within(area), (Action.status, status))
    if due_before is not None:
        statement = statement.where(col(Action.due_on) < due_before)
    return statement


async def lock_newly_overdue(session: AsyncSession, today: date, limit: int = 500) -> Sequence[Action]:
    """Open actions past their day not yet announced, locked (others' announcers skip them)."""
    statement = (
        select(Action)
        .where(
            Action.status == ActionStatus.open,
            col(Action.due_on) < today,
            col(Action.overdue_announced_at).is_(None),
        )
        .order_by(col(Action.due_on), col(Action.id))
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return (await session.exec(statement)).all()
