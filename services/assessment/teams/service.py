"""Support teams: formed by CODI and the provincial movement for an area, their members (accounts, in a
role) and the areas they are assigned to — an evaluator acts only where a team of theirs is assigned."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any, Protocol, TypeVar, cast

import structlog
from sqlmodel.ext.asyncio.session import AsyncSession

from services.assessment.teams import repository
from services.assessment.teams.access import TEAM_FORMERS, TEAM_READERS
from services.assessment.teams.events import TEAM_ASSIGNED, TEAM_UNASSIGNED
from services.assessment.teams.models import Assignment, Member, MemberRole, Team, TeamKind
from services.assessment.teams.repository import TEAMS
from services.assessment.teams.schemas import (
    AssignmentPublic,
    Assignments,
    MemberPublic,
    Members,
    MemberSet,
    TeamCreate,
    TeamPublic,
    TeamUpdate,
)
from services.common import errors
from services.common.auth import Principal
from services.common.clock import utcnow
from services.common.events import record_event
from services.common.events.registry import EventType
from services.common.geo import covers, is_known_area
from services.common.i18n import Text
from services.common.models import ExpectedVersions
from services.common.pagination import Page, PageRequest
from services.common.people import PeopleCheck
from services.common.resources import AreaResource, Stored, confined

log = structlog.get_logger()


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
    expected_version: ExpectedVersions,
) -> TeamPublic:
    """Rename a team; those who may form a team in its area may."""
    return await TEAMS.update(session, principal, team_id, data, expected_version, may=TEAM_FORMERS)


async def list_teams(
    session: AsyncSession,
    principal: Principal | None,
    *,
    area: str | None,
    kind: TeamKind | None,
    page: PageRequest,
) -> Page[TeamPublic]:
    """Teams inside `area`, of one kind when asked, in creation order (or by last change for sync)."""
    statement = repository.listing(confined(principal, area), kind)
    return await TEAMS.page(session, statement, page)


async def set_member(
    session: AsyncSession,
    principal: Principal,
    team_id: uuid.UUID,
    user_id: uuid.UUID,
    data: MemberSet,
    people: PeopleCheck,
) -> tuple[MemberPublic, bool]:
    """Put a person on the team in a role, or change their role; returns them and whether they are new.
    They are an active account with a grant in or over the team's area (`people`, asked before any lock);
    the team is then locked, so two at once give one membership."""
    area = (await TEAMS.get(session, team_id)).area_code  # a team's area never changes
    principal.require(TEAM_FORMERS, area)
    await people([str(user_id)], area, lambda _: "/path/user_id")
    team = await TEAMS.get(session, team_id, for_update=True)
    member = await repository.member(session, team.id, str(user_id))
    new = member is None
    if member is None:
        member = Member(team_id=team.id, user_id=str(user_id), role=data.role, added_by=principal.subject)
    elif member.role is not data.role:
        member.role, member.updated_at = data.role, utcnow()
    session.add(member)
    await session.flush()
    log.info("team.member_set", team_id=str(team.id), role=data.role, new=new)
    return MemberPublic.model_validate(member), new


async def remove_member(
    session: AsyncSession, principal: Principal, team_id: uuid.UUID, user_id: uuid.UUID
) -> None:
    """Take a person off the team (404 when they are not on it)."""
    team = await TEAMS.locked(session, principal, team_id, may=TEAM_FORMERS)
    member = await repository.member(session, team.id, str(user_id))
    if member is None:
        raise errors.NotFound(Text(f"{user_id} is not on team {team.id}.", f"{user_id} ไม่ได้อยู่ในทีม {team.id}"))
    await session.delete(member)
    await session.flush()
    log.info("team.member_removed", team_id=str(team.id))


async def members(session: AsyncSession, principal: Principal, team_id: uuid.UUID) -> Members:
    """Who is on a team: for the staff of its area and its own members (the accounts' ids, no names)."""
    team = await TEAMS.get(session, team_id)
    rows = await repository.members_of(session, team.id)
    if not principal.may(TEAM_READERS, team.area_code) and principal.subject not in {m.user_id for m in rows}:
        principal.require(TEAM_READERS, team.area_code)
    return Members(items=[MemberPublic.model_validate(row) for row in rows])


async def assign(
    session: AsyncSession, principal: Principal, team_id: uuid.UUID, area_code: str
) -> tuple[AssignmentPublic, bool]:
    """Send the team to work in an area inside its own (409 otherwise); returns it and whether it is new."""
    team = await TEAMS.locked(session, principal, team_id, may=TEAM_FORMERS)
    if not is_known_area(area_code):
        raise errors.NotFound(Text(f"There is no area {area_code}.", f"ไม่พบพื้นที่ {area_code}"))
    if not covers(team.area_code, area_code):
        raise errors.at_field(
            errors.Conflict,
            "/path/area_code",
            Text(
                f"Team {team.id} works in {team.area_code}: {area_code} is outside it.",
                f"ทีม {team.id} ทำงานในพื้นที่ {team.area_code} แต่ {area_code} อยู่นอกพื้นที่นั้น",
            ),
        )
    found = await repository.assignment(session, team.id, area_code)
    if found is not None:
        return AssignmentPublic.model_validate(found), False
    assignment = Assignment(team_id=team.id, area_code=area_code, assigned_by=principal.subject)
    session.add(assignment)
    await session.flush()
    await _announce(session, TEAM_ASSIGNED, team, area_code)
    return AssignmentPublic.model_validate(assignment), True


async def unassign(session: AsyncSession, principal: Principal, team_id: uuid.UUID, area_code: str) -> None:
    team = await TEAMS.locked(session, principal, team_id, may=TEAM_FORMERS)
    found = await repository.assignment(session, team.id, area_code)
    if found is None:
        raise errors.NotFound(
            Text(
                f"Team {team.id} is not assigned to {area_code}.",
                f"ทีม {team.id} ไม่ได้รับมอบหมายพื้นที่ {area_code}",
            )
        )
    await session.delete(found)
    await session.flush()
    await _announce(session, TEAM_UNASSIGNED, team, area_code)


async def assignments(session: AsyncSession, principal: Principal | None, team_id: uuid.UUID) -> Assignments:
    """Where a team works (public, like the team)."""
    team = await TEAMS.read(session, principal, team_id)
    rows = await repository.assignments_of(session, team.id)
    return Assignments(items=[AssignmentPublic.model_validate(row) for row in rows])


async def assigned_teams(
    session: AsyncSession, principal: Principal, area_code: str, kinds: Iterable[TeamKind]
) -> list[uuid.UUID]:
    """The teams of those kinds the principal is on that are assigned to an area covering `area_code`: an
    evaluator acts only there (rounds and outcomes ask this)."""
    pairs = await repository.areas_of_member(session, principal.subject, kinds)
    return sorted({team for team, area in pairs if covers(area, area_code)})


class TeamRecord(Protocol):
    """A record a team writes (a lesson, an outcome): the team's own until published."""

    status: Any
    team_id: uuid.UUID
    area_code: str


Row = TypeVar("Row", bound=Stored)


async def team_record(
    session: AsyncSession,
    principal: Principal | None,
    resource: AreaResource[Row, Any],
    row_id: uuid.UUID,
    *,
    for_update: bool = False,
) -> Row:
    """The record as the reader may see it: once published, anyone (a partner system inside its grants);
    before, the team's members only — a 404 to everyone else, as if it were not there."""
    row = await resource.get(session, row_id, for_update=for_update)
    record = cast(TeamRecord, row)
    if record.status == "published":
        confined(principal, record.area_code)
        return row
    if principal is not None and await repository.member(session, record.team_id, principal.subject):
        return row
    what = resource.what
    raise errors.NotFound(Text(f"There is no {what.en} {row_id}.", f"ไม่พบ{what.th} รหัส {row_id}"))


async def require_lead(session: AsyncSession, principal: Principal, team_id: uuid.UUID, doing: Text) -> None:
    """403 unless the principal leads the team; `doing` is what only its lead does (publishes its lessons)."""
    member = await repository.member(session, team_id, principal.subject)
    if member is None or member.role is not MemberRole.lead:
        raise errors.Forbidden(
            Text(f"Only the lead of team {team_id} {doing.en}.", f"เฉพาะหัวหน้าทีม {team_id} {doing.th}ได้")
        )


async def _announce(session: AsyncSession, event: EventType, team: Team, area_code: str) -> None:
    await record_event(
        session,
        event,
        aggregate_id=str(team.id),
        area_code=team.area_code,
        data={"team_id": str(team.id), "kind": TeamKind(team.kind), "area_code": area_code},
    )
