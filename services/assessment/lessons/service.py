"""The lessons library (คลังบทเรียน): lessons a core team drew from the work — its context, what worked,
what did not and the conditions for reuse — found by Thai words (a part of a word is enough), theme, area and
year. draft (the team's own) → published (public, announced as `lesson.published`)."""

from __future__ import annotations

import uuid

import structlog
from sqlmodel.ext.asyncio.session import AsyncSession

from services.assessment.lessons.events import LESSON_PUBLISHED
from services.assessment.lessons.models import Lesson, LessonStatus
from services.assessment.lessons.repository import LESSONS, listing
from services.assessment.lessons.schemas import LessonCreate, LessonPublic, LessonUpdate
from services.assessment.teams import repository as teams
from services.assessment.teams.models import TeamKind
from services.assessment.teams.service import assigned_teams, require_lead, team_record
from services.common import errors
from services.common.auth import Principal
from services.common.clock import utcnow
from services.common.events import record_event
from services.common.i18n import Text
from services.common.models import ExpectedVersions
from services.common.pagination import Page, PageRequest
from services.common.resources import apply_changes, confined
from services.common.text import search_form

log = structlog.get_logger()


async def create(session: AsyncSession, principal: Principal, data: LessonCreate) -> LessonPublic:
    """A draft, by a member of a core lessons team assigned to the lesson's area."""
    await _require_writer(session, principal, data.team_id, data.area_code)
    lesson = Lesson(**data.model_dump(), created_by=principal.subject)
    session.add(lesson)
    await session.flush()
    log.info("lesson.drafted", lesson_id=str(lesson.id), area=lesson.area_code)
    return LESSONS.shown(lesson)


async def get(session: AsyncSession, principal: Principal | None, lesson_id: uuid.UUID) -> LessonPublic:
    """A published lesson for everyone; a draft for its team's members only (404 to anyone else)."""
    lesson = await team_record(session, principal, LESSONS, lesson_id)
    return LESSONS.shown(lesson)


async def update(
    session: AsyncSession,
    principal: Principal,
    lesson_id: uuid.UUID,
    data: LessonUpdate,
    expected_version: ExpectedVersions,
) -> LessonPublic:
    """Its team's members edit a lesson where the team is assigned (a published one stays published)."""
    lesson = await team_record(session, principal, LESSONS, lesson_id, for_update=True)
    await _require_writer(session, principal, lesson.team_id, lesson.area_code)
    if apply_changes(lesson, data, expected_version=expected_version):
        await session.flush()
        log.info("lesson.edited", lesson_id=str(lesson.id), version=lesson.version)
    return LESSONS.shown(lesson)


async def publish(session: AsyncSession, principal: Principal, lesson_id: uuid.UUID) -> LessonPublic:
    """The team's lead publishes a draft (again: nothing changes)."""
    lesson = await team_record(session, principal, LESSONS, lesson_id, for_update=True)
    only_the_lead = Text("publishes its lessons", "เผยแพร่บทเรียนของทีม")
    await require_lead(session, principal, lesson.team_id, only_the_lead)
    if lesson.status is LessonStatus.published:
        return LESSONS.shown(lesson)
    apply_changes(lesson, {"status": LessonStatus.published, "published_at": utcnow()}, expected_version=None)
    await session.flush()
    await record_event(
        session, LESSON_PUBLISHED, aggregate_id=str(lesson.id), area_code=lesson.area_code, data=lesson
    )
    log.info("lesson.published", lesson_id=str(lesson.id))
    return LESSONS.shown(lesson)


async def list_lessons(
    session: AsyncSession,
    principal: Principal | None,
    *,
    q: str | None,
    area: str | None,
    theme: str | None,
    fiscal_year: int | None,
    page: PageRequest,
) -> Page[LessonPublic]:
    """Published lessons (and the drafts of the reader's teams) inside `area`, by words, theme and year."""
    words = search_form(q) if q else None
    if q and not words:
        return Page(items=[])
    mine = await teams.teams_of(session, principal.subject) if principal else []
    statement = listing(
        confined(principal, area), words=words, theme=theme, fiscal_year=fiscal_year, teams=mine
    )
    return await LESSONS.page(session, statement, page)


async def _require_writer(session: AsyncSession, principal: Principal, team_id: uuid.UUID, area: str) -> None:
    """403 unless the principal is on `team_id`, a core lessons team assigned to an area covering `area`."""
    if team_id in await assigned_teams(session, principal, area, (TeamKind.core_lessons,)):
        return
    raise errors.at_field(
        errors.Forbidden,
        "/team_id",
        Text(
            f"Lessons of {area} are drawn by the members of a core lessons team assigned there ({team_id} is "
            "not yours, not a core lessons team, or not assigned there).",
            f"บทเรียนของพื้นที่ {area} เขียนโดยสมาชิกทีมถอดบทเรียนที่ได้รับมอบหมายพื้นที่นั้น",
        ),
    )
