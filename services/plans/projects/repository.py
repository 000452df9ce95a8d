"""Projects and their activities as stored: a project by id or by province and fiscal year, an activity by
id or listed under its project."""

from __future__ import annotations

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.common.i18n import Text
from services.common.resources import AreaResource
from services.plans.projects.models import Activity, Milestone, Project
from services.plans.projects.schemas import ActivityPublic, MilestonePublic, ProjectPublic

PROJECTS = AreaResource(
    model=Project,
    public=ProjectPublic,
    area_field="province_code",
    what=Text("project", "โครงการ"),
    aggregate="project",
)
MILESTONES = AreaResource(
    model=Milestone,
    public=MilestonePublic,
    area_field="province_code",
    what=Text("milestone", "หมุดหมาย"),
    aggregate="milestone",
    parent=PROJECTS,
    parent_field="project_id",
)
ACTIVITIES = AreaResource(
    model=Activity,
    public=ActivityPublic,
    area_field="area_code",
    what=Text("activity", "กิจกรรม"),
    aggregate="activity",
    parent=PROJECTS,
    parent_field="project_id",
)


async def of_year(session: AsyncSession, province_code: str, fiscal_year: int) -> Project | None:
    """The province's project of that fiscal year, if one was opened."""
    statement = select(Project).where(
        Project.province_code == province_code, Project.fiscal_year == fiscal_year
    )
    return (await session.exec(statement)).first()
