"""Support teams: formed by CODI and the provincial movement for an area."""

from __future__ import annotations

import uuid
from datetime import datetime

import structlog
from sqlmodel.ext.asyncio.session import AsyncSession

from services.assessment.teams import repository
from services.assessment.teams.access import TEAM_FORMERS
from services.assessment.teams.models import Team, TeamKind
from services.assessment.teams.repository import TEAMS
from services.assessment.teams.schemas import TeamCreate, TeamPublic, TeamUpdate
from services.common.auth import Principal
from services.common.pagination import Page
from services.common.resources import confined

log = structlog.get_logger()


async def create(session: AsyncSession, principal: Principal, data: TeamCreate) -> TeamPublic:
    """Form a support team for an area the principal's grants cover."""
    principal.require(TEAM_FORMERS, data.area_code)
    team = await TEAMS.add(session, Team.model_validate(data, update={"created_by": principal.subject}))
    log.info("team.created", team_id=str(team.id), area_code=team.area_code, kind=team.kind)
    return team


async def get(session: AsyncSession, principal: Principal | None, team_id: uuid.UUID) -> TeamPublic:
    """A team is public; a partner system sees only those inside its grants."""
    return await TEAMS.read(session, principal, team_id)


async def update(
    session: AsyncSession,
    principal: Principal,
    team_id: uuid.UUID,
    data: TeamUpdate,
    expected_version: int | None,
) -> TeamPublic:
    """Rename a team; those who may form a team in its area may."""
    team = await TEAMS.get(session, team_id, for_update=True)
    principal.require(TEAM_FORMERS, team.area_code)
    if await TEAMS.revise(session, team, data, expected_version=expected_version):
        log.info("team.updated", team_id=str(team.id), version=team.version)
    return TEAMS.shown(team)


async def list_teams(
    session: AsyncSession,
    principal: Principal | None,
    *,
    area: str | None,
    kind: TeamKind | None,
    updated_since: datetime | None,
    cursor: str | None,
    limit: int,
) -> Page[TeamPublic]:
    """Teams inside `area`, of one kind when asked, in creation order (or by last change for sync)."""
    statement = repository.listing(confined(principal, area), kind)
    return await TEAMS.page(session, statement, cursor=cursor, limit=limit, updated_since=updated_since)
