"""Support teams: formed by CODI and the provincial movement for an area."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

import structlog
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.assessment.teams.models import Team, TeamKind
from services.assessment.teams.schemas import TeamCreate, TeamPublic, TeamUpdate
from services.common.auth import Principal, Role
from services.common.events import record_event
from services.common.geo.queries import within_area
from services.common.i18n import Text
from services.common.pagination import paginate
from services.common.reads import Reader, get_public_or_404
from services.common.resources import apply_changes, get_or_404

TEAM_FORMERS: tuple[Role, ...] = ("national", "regional", "provincial")
TEAM = Text("team", "ทีม")

log = structlog.get_logger()


async def create(session: AsyncSession, principal: Principal, data: TeamCreate) -> Team:
    """Form a support team for an area the principal's grants cover."""
    principal.require(TEAM_FORMERS, data.area_code)
    team = Team.model_validate(data, update={"created_by": principal.subject})
    session.add(team)
    await session.flush()
    await record_event(
        session,
        type="team.created",
        aggregate_type="team",
        aggregate_id=str(team.id),
        area_code=team.area_code,
        data=team,
    )
    log.info("team.created", team_id=str(team.id), area_code=team.area_code, kind=team.kind)
    return team


async def get(reader: Reader, principal: Principal | None, team_id: uuid.UUID) -> TeamPublic:
    team = await get_public_or_404(reader, Team, TeamPublic, team_id, what=TEAM)
    if principal is not None:
        principal.confine_reads(team.area_code)
    return team


async def update(
    session: AsyncSession,
    principal: Principal,
    team_id: uuid.UUID,
    data: TeamUpdate,
    expected_version: int | None,
) -> Team:
    """Rename a team; those who may form a team in its area may."""
    team = await get_or_404(session, Team, team_id, what=TEAM, for_update=True)
    principal.require(TEAM_FORMERS, team.area_code)
    if apply_changes(team, data, expected_version=expected_version):
        await session.flush()
        await record_event(
            session,
            type="team.updated",
            aggregate_type="team",
            aggregate_id=str(team.id),
            area_code=team.area_code,
            data=team,
        )
        log.info("team.updated", team_id=str(team.id), version=team.version)
    return team


async def list_teams(
    session: AsyncSession,
    principal: Principal | None,
    *,
    area: str | None,
    kind: TeamKind | None,
    updated_since: datetime | None,
    cursor: str | None,
    limit: int,
) -> tuple[Sequence[Team], str | None]:
    if principal is not None:
        area = principal.confine_reads(area)
    statement = select(Team)
    if area:
        statement = statement.where(within_area(Team.area_code, area))
    if kind:
        statement = statement.where(Team.kind == kind)
    return await paginate(
        session, statement, model=Team, cursor=cursor, limit=limit, updated_since=updated_since
    )
