"""Support teams as stored: one row per team, found by id or listed by area and kind."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession
from sqlmodel.sql.expression import SelectOfScalar

from services.assessment.teams.models import Assignment, Member, Team, TeamKind
from services.assessment.teams.schemas import TeamPublic
from services.common.i18n import Text
from services.common.resources import AreaResource

TEAMS = AreaResource(
    model=Team,
    public=TeamPublic,
    area_field="area_code",
    what=Text("team", "ทีม"),
    aggregate="team",
)


def listing(area: str | None, kind: TeamKind | None) -> SelectOfScalar[Team]:
    """Teams inside `area` (all when None), of one kind when asked."""
    return TEAMS.within(area, (Team.kind, kind))


async def member(session: AsyncSession, team_id: uuid.UUID, user_id: str) -> Member | None:
    return await session.get(Member, (team_id, user_id))


async def members_of(session: AsyncSession, team_id: uuid.UUID) -> Sequence[Member]:
    statement = select(Member).where(Member.team_id == team_id).order_by(col(Member.created_at))
    return (await session.exec(statement)).all()


async def assignment(session: AsyncSession, team_id: uuid.UUID, area_code: str) -> Assignment | None:
    return await session.get(Assignment, (team_id, area_code))


async def assignments_of(session: AsyncSession, team_id: uuid.UUID) -> Sequence[Assignment]:
    statement = select(Assignment).where(Assignment.team_id == team_id).order_by(col(Assignment.area_code))
    return (await session.exec(statement)).all()


async def areas_of_member(
    session: AsyncSession, user_id: str, kinds: Iterable[TeamKind]
) -> list[tuple[uuid.UUID, str]]:
    """(team, area) for every assignment of the teams of those kinds `user_id` is on."""
    statement = (
        select(Assignment.team_id, Assignment.area_code)
        .join(Member, col(Member.team_id) == col(Assignment.team_id))
        .join(Team, col(Team.id) == col(Assignment.team_id))
        .where(Member.user_id == user_id, col(Team.kind).in_(list(kinds)))
    )
    return [(team_id, area) for team_id, area in (await session.exec(statement)).all()]


async def teams_of(session: AsyncSession, user_id: str) -> list[uuid.UUID]:
    """The teams `user_id` is on."""
    statement = select(Member.team_id).where(Member.user_id == user_id)
    return list((await session.exec(statement)).all())
