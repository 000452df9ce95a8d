"""Support teams: formed by CODI and the provincial movement for an area."""

from __future__ import annotations

from collections.abc import Sequence

import structlog
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.assessment.teams.models import Team, TeamKind
from services.assessment.teams.schemas import TeamCreate
from services.common.auth import Principal, Role
from services.common.geo.queries import within_area
from services.common.pagination import paginate

TEAM_FORMERS: tuple[Role, ...] = ("national", "regional", "provincial")

log = structlog.get_logger()


async def create(session: AsyncSession, principal: Principal, data: TeamCreate) -> Team:
    """Form a support team for an area the principal's grants cover."""
    principal.require(TEAM_FORMERS, data.area_code)
    team = Team.model_validate(data, update={"created_by": principal.subject})
    session.add(team)
    await session.flush()
    log.info("team.created", team_id=str(team.id), area_code=team.area_code, kind=team.kind)
    return team


async def list_teams(
    session: AsyncSession, *, area: str | None, kind: TeamKind | None, cursor: str | None, limit: int
) -> tuple[Sequence[Team], str | None]:
    statement = select(Team)
    if area:
        statement = statement.where(within_area(Team.area_code, area))
    if kind:
        statement = statement.where(Team.kind == kind)
    return await paginate(session, statement, model=Team, cursor=cursor, limit=limit)
