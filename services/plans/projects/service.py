"""One province, one project (หนึ่งจังหวัด หนึ่งโครงการ): each province's integrated project of a fiscal year,
opened by its own movement, readable by everyone; its activities, each weighted in the project's progress
(PROGRESS_FORMULA: the sums are kept on the project in the transaction that changes an activity)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from services.common import errors
from services.common.auth import Principal
from services.common.clock import utcnow
from services.common.events import record_event
from services.common.geo import area_level, province_of
from services.common.i18n import Text
from services.common.models import ExpectedVersions
from services.common.pagination import Page, PageRequest
from services.common.resources import confined
from services.plans.partners.models import Partner
from services.plans.partners.repository import PARTNERS
from services.plans.problems import ProjectExists
from services.plans.projects import repository
from services.plans.projects.access import PROJECT_AUTHORS
from services.plans.projects.events import PROJECT_PROGRESS_CHANGED
from services.plans.projects.models import Activity, Project
from services.plans.projects.repository import ACTIVITIES, MILESTONES, PROJECTS
from services.plans.projects.schemas import (
    ActivityCreate,
    ActivityPublic,
    ActivityUpdate,
    MilestoneCreate,
    MilestonePublic,
    MilestoneUpdate,
    ProjectCreate,
    ProjectPublic,
    ProjectUpdate,
)


async def create(session: AsyncSession, principal: Principal, data: ProjectCreate) -> ProjectPublic:
    """Open the province's project of a fiscal year; a second one is 409 `project-exists` naming the first
    (the database's unique key decides a race)."""
    return await PROJECTS.create(session, principal, data, may=PROJECT_AUTHORS, taken=_project_of_the_year)


async def _project_of_the_year(session: AsyncSession, data: ProjectCreate) -> ProjectExists | None:
    existing = await repository.of_year(session, data.province_code, data.fiscal_year)
    if existing is None:
        return None
    return ProjectExists(
        existing_id=existing.id, province_code=data.province_code, fiscal_year=data.fiscal_year
    )


async def get(session: AsyncSession, principal: Principal | None, project_id: uuid.UUID) -> ProjectPublic:
    """A project is public; a partner system sees only those inside its grants."""
    return await PROJECTS.read(session, principal, project_id)


async def update(
    session: AsyncSession,
    principal: Principal,
    project_id: uuid.UUID,
    data: ProjectUpdate,
    expected_version: ExpectedVersions,
) -> ProjectPublic:
    """Revise a project's title, summary or status; the province's own authors may."""
    return await PROJECTS.update(session, principal, project_id, data, expected_version, may=PROJECT_AUTHORS)


async def list_projects(
    session: AsyncSession,
    principal: Principal | None,
    *,
    area: str | None,
    fiscal_year: int | None,
    page: PageRequest,
) -> Page[ProjectPublic]:
    """Projects of the provinces inside `area` (of one fiscal year when asked), in creation order."""
    statement = PROJECTS.within(confined(principal, area), (Project.fiscal_year, fiscal_year))
    return await PROJECTS.page(session, statement, page)


async def add_activity(
    session: AsyncSession, principal: Principal, project_id: uuid.UUID, data: ActivityCreate
) -> ActivityPublic:
    """Add an activity to a project, in its province or one of its tambons; the province's authors may."""
    project = await PROJECTS.locked(session, principal, project_id, may=PROJECT_AUTHORS)
    _check_place(project, data.area_code)
    who = await _responsible(session, data)
    row = Activity.model_validate(
        data, update={"project_id": project.id, "created_by": principal.subject, **who}
    )
    created = await ACTIVITIES.add(session, row)
    await _move_progress(session, project, weighted=row.weight * row.progress_percent, weight=row.weight)
    return created


async def update_activity(
    session: AsyncSession,
    principal: Principal,
    project_id: uuid.UUID,
    activity_id: uuid.UUID,
    data: ActivityUpdate,
    expected_version: ExpectedVersions,
) -> ActivityPublic:
    """Revise an activity (its progress, weight, budget…); the project's progress follows in the same
    transaction. The project is locked first, then the activity: every writer takes them in that order."""
    project = await PROJECTS.locked(session, principal, project_id, may=PROJECT_AUTHORS)
    activity = await ACTIVITIES.child(session, project.id, activity_id, for_update=True)
    weighted, weight = activity.weight * activity.progress_percent, activity.weight
    changes = data.model_dump(exclude_unset=True) | await _responsible(session, data)
    if await ACTIVITIES.revise(session, activity, changes, expected_version=expected_version):
        moved = activity.weight * activity.progress_percent - weighted
        await _move_progress(session, project, weighted=moved, weight=activity.weight - weight)
    return ACTIVITIES.shown(activity)


async def get_activity(
    session: AsyncSession, principal: Principal | None, project_id: uuid.UUID, activity_id: uuid.UUID
) -> ActivityPublic:
    """An activity is public, like its project."""
    return await ACTIVITIES.read_child(session, principal, project_id, activity_id)


async def list_activities(
    session: AsyncSession, principal: Principal | None, project_id: uuid.UUID, *, page: PageRequest
) -> Page[ActivityPublic]:
    """A project's activities, in the order they were added (or by last change for sync)."""
    return await ACTIVITIES.children(session, principal, project_id, page)


async def _responsible(session: AsyncSession, data: ActivityCreate | ActivityUpdate) -> dict[str, Any]:
    """Who carries an activity out: a recorded partner, whose name it shows (404 when there is none), or a
    name alone, which unlinks any partner."""
    if data.responsible_partner_id is not None and data.responsible_partner is not None:
        raise errors.at_field(
            errors.ValidationFailed,
            "/responsible_partner",
            Text(
                "Name who carries it out once: a recorded partner (responsible_partner_id) or a name.",
                "ระบุผู้รับผิดชอบเพียงแบบเดียว: ภาคีที่บันทึกไว้ (responsible_partner_id) หรือชื่อ",
            ),
        )
    if data.responsible_partner_id is not None:
        partner = await session.get(Partner, data.responsible_partner_id)
        if partner is None:
            raise errors.nothing_at("/responsible_partner_id", PARTNERS.what, data.responsible_partner_id)
        return {"responsible_partner": partner.name_th, "responsible_partner_id": partner.id}
    if data.responsible_partner is not None:
        return {"responsible_partner_id": None}
    return {}


def _check_place(project: Project, area_code: str) -> None:
    """An activity happens in its project's province: the province itself or one of its tambons."""
    if province_of(area_code) != project.province_code or area_level(area_code) not in ("province", "tambon"):
        raise errors.at_field(
            errors.ValidationFailed,
            "/area_code",
            Text(
                f"An activity of province {project.province_code}'s project happens in that province or one "
                f"of its tambons (6 digits starting {project.province_code}): {area_code} is neither.",
                f"กิจกรรมของโครงการจังหวัด {project.province_code} ต้องอยู่ในจังหวัดนั้นหรือตำบลในจังหวัด "
                f"(รหัส 6 หลักขึ้นต้นด้วย {project.province_code}) แต่ {area_code} ไม่ใช่",
            ),
        )


async def _move_progress(session: AsyncSession, project: Project, *, weighted: int, weight: int) -> None:
    """Add an activity's change to the project's locked sums; publish `project.progress.changed` when the
    figure people see moved."""
    if not weighted and not weight:
        return
    before = PROJECTS.shown(project).progress_percent
    project.weighted_progress += weighted
    project.weight_total += weight
    project.updated_at = utcnow()  # a sync by updated_since sees the new progress
    session.add(project)
    await session.flush()
    shown = PROJECTS.shown(project)
    if shown.progress_percent != before:
        await record_event(
            session,
            PROJECT_PROGRESS_CHANGED,
            aggregate_id=str(project.id),
            area_code=project.province_code,
            data=shown,
        )


async def add_milestone(
    session: AsyncSession, principal: Principal, project_id: uuid.UUID, data: MilestoneCreate
) -> MilestonePublic:
    """Set a point the project means to reach by a day; the province's authors may."""
    return await MILESTONES.add_child(session, principal, project_id, data, may=PROJECT_AUTHORS)


async def get_milestone(
    session: AsyncSession, principal: Principal | None, project_id: uuid.UUID, milestone_id: uuid.UUID
) -> MilestonePublic:
    """One milestone of a project the reader may see."""
    return await MILESTONES.read_child(session, principal, project_id, milestone_id)


async def update_milestone(
    session: AsyncSession,
    principal: Principal,
    project_id: uuid.UUID,
    milestone_id: uuid.UUID,
    data: MilestoneUpdate,
    expected_version: ExpectedVersions,
) -> MilestonePublic:
    """Move a milestone's day or mark it reached."""
    return await MILESTONES.update_child(
        session,
        principal,
        project_id,
        milestone_id,
        data,
        expected_version=expected_version,
        may=PROJECT_AUTHORS,
    )


async def list_milestones(
    session: AsyncSession, principal: Principal | None, project_id: uuid.UUID, *, page: PageRequest
) -> Page[MilestonePublic]:
    """A project's milestones, in the order they were set (each says its day and whether it was reached)."""
    return await MILESTONES.children(session, principal, project_id, page)
