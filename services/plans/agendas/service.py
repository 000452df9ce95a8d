"""The shared provincial agenda (วาระร่วมจังหวัด): what a province's people and partners agree to work on
together, by theme; the fiscal years each item is on the annual agenda; the plans and projects serving it.
Everyone reads it; the province's staff keep it."""

from __future__ import annotations

import uuid
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from services.common import errors
from services.common.auth import Principal
from services.common.i18n import Text
from services.common.models import ExpectedVersions
from services.common.pagination import Page, PageRequest
from services.common.resources import AreaResource, confined
from services.plans.agendas import repository
from services.plans.agendas.access import AGENDA_AUTHORS
from services.plans.agendas.models import Agenda, AgendaBase, Theme
from services.plans.agendas.repository import AGENDAS
from services.plans.agendas.schemas import AgendaCreate, AgendaPublic, AgendaUpdate
from services.plans.projects.repository import PROJECTS
from services.plans.strategies.repository import PLANS


async def create(session: AsyncSession, principal: Principal, data: AgendaCreate) -> AgendaPublic:
    """Put an item on the province's shared agenda."""
    principal.require(AGENDA_AUTHORS, data.province_code)
    await _check_links(session, data.province_code, data.plan_ids, data.project_ids)
    fields = AgendaBase(
        **data.model_dump(exclude={"fiscal_years"}), fiscal_years=sorted(set(data.fiscal_years))
    )
    return await AGENDAS.create(session, principal, fields, may=AGENDA_AUTHORS)


async def get(session: AsyncSession, principal: Principal | None, agenda_id: uuid.UUID) -> AgendaPublic:
    return await AGENDAS.read(session, principal, agenda_id)


async def update(
    session: AsyncSession,
    principal: Principal,
    agenda_id: uuid.UUID,
    data: AgendaUpdate,
    expected_version: ExpectedVersions,
) -> AgendaPublic:
    """Revise an agenda item: its words, its years, what serves it (each list replaced whole)."""
    agenda = await AGENDAS.locked(session, principal, agenda_id, may=AGENDA_AUTHORS)
    await _check_links(session, agenda.province_code, data.plan_ids or [], data.project_ids or [])
    changes = data.model_dump(exclude_unset=True)
    if data.fiscal_years is not None:
        changes["fiscal_years"] = sorted(set(data.fiscal_years))
    await AGENDAS.revise(session, agenda, changes, expected_version=expected_version)
    return AGENDAS.shown(agenda)


async def list_agendas(
    session: AsyncSession,
    principal: Principal | None,
    *,
    area: str | None,
    theme: Theme | None,
    fiscal_year: int | None,
    plan_id: uuid.UUID | None,
    project_id: uuid.UUID | None,
    page: PageRequest,
) -> Page[AgendaPublic]:
    """Agenda items of the provinces inside `area`: of a theme, on a year's annual agenda, or served by a
    plan or a project."""
    given = (
        (Agenda.theme, theme),
        (Agenda.fiscal_years, fiscal_year),
        (Agenda.plan_ids, plan_id),
        (Agenda.project_ids, project_id),
    )
    statement = AGENDAS.within(confined(principal, area), *given)
    return await AGENDAS.page(session, statement, page)


async def _check_links(
    session: AsyncSession, province_code: str, plan_ids: list[uuid.UUID], project_ids: list[uuid.UUID]
) -> None:
    """Each plan and project serving the item exists (404 at it) and is of its province (409 at it)."""
    for field, resource, ids in (("plan_ids", PLANS, plan_ids), ("project_ids", PROJECTS, project_ids)):
        await _check_of_province(session, province_code, field, resource, ids)


async def _check_of_province(
    session: AsyncSession,
    province_code: str,
    field: str,
    resource: AreaResource[Any, Any],
    ids: list[uuid.UUID],
) -> None:
    provinces = await repository.provinces_of(session, resource.model, ids)
    for index, row_id in enumerate(ids):
        pointer, what = f"/{field}/{index}", resource.what
        if row_id not in provinces:
            raise errors.nothing_at(pointer, what, row_id)
        if provinces[row_id] != province_code:
            raise errors.at_field(
                errors.Conflict,
                pointer,
                Text(
                    f"{what.en.capitalize()} {row_id} is province {provinces[row_id]}'s: an agenda item of "
                    f"province {province_code} is served by its own.",
                    f"{what.th} {row_id} เป็นของจังหวัด {provinces[row_id]} วาระของจังหวัด {province_code} "
                    "ต้องเชื่อมกับแผนหรือโครงการของจังหวัดเอง",
                ),
            )
