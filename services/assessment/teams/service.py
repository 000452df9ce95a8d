"""Support teams: formed by CODI and the provincial movement for an area."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from services.assessment.teams import repository
from services.assessment.teams.access import TEAM_FORMERS
from services.assessment.teams.models import TeamKind
from services.assessment.teams.repository import TEAMS
from services.assessment.teams.schemas import TeamCreate, TeamPublic, TeamUpdate
from services.common.auth import Principal
from services.common.pagination import Page
from services.common.resources import confined


async def create(session: AsyncSession, principal: Principal, data: TeamCreate) -> TeamPublic:
    """Form a support team for an area the principal's grants cover."""
    return await TEAMS.create(session, principal, data, may=TEAM_FORMERS)


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
    return await TEAMS.update(
        session, principal, team_id, data, expected_version=expected_version, may=TEAM_FORMERS
    )


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
