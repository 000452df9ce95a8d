"""Central-space forums (เวทีพื้นที่กลาง): an area's open meetings, their agenda, minutes and attendance by
sector (names only for the area's staff), the resolutions they adopt — which may serve a project — and the
follow-up actions each resolution sets, a partner carrying each by a day; the overdue ones are listed and
announced once."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import structlog
from sqlmodel.ext.asyncio.session import AsyncSession

from services.common import errors
from services.common.auth import Principal
from services.common.calendar import bangkok_date
from services.common.clock import utcnow
from services.common.events import record_event
from services.common.geo import covers
from services.common.i18n import Text
from services.common.models import ExpectedVersions
from services.common.pagination import Page, PageRequest, paginate
from services.common.resources import AreaResource, confined
from services.plans.agendas.repository import AGENDAS
from services.plans.forums import repository
from services.plans.forums.access import FORUM_AUTHORS, sees_names
from services.plans.forums.events import ACTION_OVERDUE, RESOLUTION_ADOPTED
from services.plans.forums.models import Action, ActionStatus, Forum, Resolution
from services.plans.forums.repository import ACTIONS, FORUMS, RESOLUTIONS
from services.plans.forums.schemas import (
    ActionCreate,
    ActionPublic,
    ActionUpdate,
    ForumCreate,
    ForumPublic,
    ForumUpdate,
    ResolutionCreate,
    ResolutionPublic,
)
from services.plans.partners.repository import PARTNERS
from services.plans.projects.repository import PROJECTS
from services.plans.strategies.repository import PLANS

log = structlog.get_logger()


async def create(session: AsyncSession, principal: Principal, data: ForumCreate) -> ForumPublic:
    created = await FORUMS.create(session, principal, data, may=FORUM_AUTHORS)
    return _for(principal, created, data.attendee_names)


async def get(session: AsyncSession, principal: Principal | None, forum_id: uuid.UUID) -> ForumPublic:
    """A forum is public; who attended, only to the area's staff."""
    forum = await FORUMS.visible(session, principal, forum_id)
    return _for(principal, FORUMS.shown(forum), forum.attendee_names)


async def update(
    session: AsyncSession,
    principal: Principal,
    forum_id: uuid.UUID,
    data: ForumUpdate,
    expected_version: ExpectedVersions,
) -> ForumPublic:
    shown = await FORUMS.update(session, principal, forum_id, data, expected_version, may=FORUM_AUTHORS)
    forum = await FORUMS.get(session, forum_id)
    return _for(principal, shown, forum.attendee_names)


async def list_forums(
    session: AsyncSession,
    principal: Principal | None,
    *,
    area: str | None,
    held_from: date | None,
    held_to: date | None,
    page: PageRequest,
) -> Page[ForumPublic]:
    statement = FORUMS.within(confined(principal, area))
    if held_from is not None:
        statement = statement.where(Forum.held_on >= held_from)
    if held_to is not None:
        statement = statement.where(Forum.held_on <= held_to)
    rows, next_cursor = await paginate(session, statement, model=Forum, page=page)
    return Page(
        items=[_for(principal, FORUMS.shown(row), row.attendee_names) for row in rows],
        next_cursor=next_cursor,
    )


async def adopt(
    session: AsyncSession, principal: Principal, forum_id: uuid.UUID, data: ResolutionCreate
) -> ResolutionPublic:
    """Record a resolution the forum adopted (`forum.resolution.adopted`)."""
    forum = await FORUMS.get(session, forum_id)
    principal.require(FORUM_AUTHORS, forum.area_code)
    await _check_served(session, forum, data)
    resolution = Resolution(
        forum_id=forum.id,
        area_code=forum.area_code,
        **data.model_dump(),
        created_by=principal.subject,
    )
    session.add(resolution)
    await session.flush()
    await record_event(
        session, RESOLUTION_ADOPTED, aggregate_id=str(forum.id), area_code=forum.area_code, data=resolution
    )
    log.info("forum.resolution_adopted", forum_id=str(forum.id), resolution_id=str(resolution.id))
    return RESOLUTIONS.shown(resolution)


async def resolutions(
    session: AsyncSession, principal: Principal | None, forum_id: uuid.UUID, *, page: PageRequest
) -> Page[ResolutionPublic]:
    return await RESOLUTIONS.children(session, principal, forum_id, page)


async def add_action(
    session: AsyncSession,
    principal: Principal,
    forum_id: uuid.UUID,
    resolution_id: uuid.UUID,
    data: ActionCreate,
) -> ActionPublic:
    """Set a follow-up of a resolution, carried by a partner, by a day."""
    resolution = await RESOLUTIONS.child(session, forum_id, resolution_id)
    principal.require(FORUM_AUTHORS, resolution.area_code)
    await PARTNERS.referenced(session, data.owner_partner_id, pointer="/owner_partner_id")
    action = Action(
        resolution_id=resolution.id,
        area_code=resolution.area_code,
        created_by=principal.subject,
        **data.model_dump(),
    )
    return await ACTIONS.add(session, action)


async def get_action(
    session: AsyncSession, principal: Principal | None, action_id: uuid.UUID
) -> ActionPublic:
    """One follow-up action (public, as the list is)."""
    return await ACTIONS.read(session, principal, action_id)


async def update_action(
    session: AsyncSession,
    principal: Principal,
    action_id: uuid.UUID,
    data: ActionUpdate,
    expected_version: ExpectedVersions,
) -> ActionPublic:
    """Mark an action done (its day is kept) or dropped, or move its date."""
    action = await ACTIONS.locked(session, principal, action_id, may=FORUM_AUTHORS)
    changes = data.model_dump(exclude_unset=True)
    if changes.get("status") is ActionStatus.done and action.status is not ActionStatus.done:
        changes["done_on"] = bangkok_date(utcnow())
    if "due_on" in changes:
        changes["overdue_announced_at"] = None  # a new day: overdue again only after it
    await ACTIONS.revise(session, action, changes, expected_version=expected_version)
    return ACTIONS.shown(action)


async def list_actions(
    session: AsyncSession,
    principal: Principal | None,
    *,
    area: str | None,
    status: ActionStatus | None,
    overdue: bool,
    page: PageRequest,
) -> Page[ActionPublic]:
    """Follow-up actions inside `area`; `overdue` gives the open ones past their day."""
    today = bangkok_date(utcnow())
    statement = repository.actions(
        area=confined(principal, area),
        status=ActionStatus.open if overdue else status,
        due_before=today if overdue else None,
    )
    return await ACTIONS.page(session, statement, page)


async def announce_overdue(session: AsyncSession) -> int:
    """`forum.action.overdue` once for each open action past its day (the plans worker, hourly)."""
    now = utcnow()
    overdue = await repository.lock_newly_overdue(session, bangkok_date(now))
    for action in overdue:
        action.overdue_announced_at = now
        await record_event(
            session, ACTION_OVERDUE, aggregate_id=str(action.id), area_code=action.area_code, data=action
        )
    await session.flush()
    if overdue:
        log.info("forum.actions_overdue", actions=len(overdue))
    return len(overdue)


def _for(principal: Principal | None, forum: ForumPublic, names: list[str]) -> ForumPublic:
    forum.attendee_names = list(names) if sees_names(principal, forum.area_code) else None
    return forum


async def _check_served(session: AsyncSession, forum: Forum, data: ResolutionCreate) -> None:
    """What a resolution serves exists (422 at it) and overlaps the forum's area (409 at it)."""
    served: tuple[tuple[str, AreaResource[Any, Any], uuid.UUID | None], ...] = (
        ("project_id", PROJECTS, data.project_id),
        ("plan_id", PLANS, data.plan_id),
        ("agenda_id", AGENDAS, data.agenda_id),
    )
    for field, resource, row_id in served:
        if row_id is None:
            continue
        row = await session.get(resource.model, row_id)
        what = resource.what
        if row is None:
            raise errors.nothing_at(f"/{field}", what, row_id)
        province = resource.area_of(row)
        if not (covers(province, forum.area_code) or covers(forum.area_code, province)):
            raise errors.at_field(
                errors.Conflict,
                f"/{field}",
                Text(
                    f"{what.en.capitalize()} {row_id} is province {province}'s; "
                    f"the forum met in {forum.area_code}.",
                    f"{what.th} {row_id} เป็นของจังหวัด {province} แต่เวทีจัดที่ {forum.area_code}",
                ),
            )
