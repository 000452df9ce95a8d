"""Updates and values: a figure for a tambon is entered as an update (draft → submitted → returned with a
comment | approved); only an approved update changes the tambon's value, which is what rollups count.
A tambon's period that is verified, or a province's that is certified, takes no new figures (409
`period-locked`; a certified one takes no new targets either: `chain.refuse_if_certified`)."""

from __future__ import annotations

import uuid

import structlog
from sqlmodel.ext.asyncio.session import AsyncSession

from services.common import errors
from services.common.approvals import require_status
from services.common.auth import Principal
from services.common.clock import utcnow
from services.common.events import record_event
from services.common.geo import area_level, covers
from services.common.i18n import Text
from services.common.inbox import announce
from services.common.models import ExpectedVersions, touch
from services.common.pagination import Page, PageRequest, paginate
from services.common.resources import apply_changes, confined
from services.plans.indicators import figures, periods
from services.plans.indicators.models import Indicator
from services.plans.indicators.repository import INDICATORS
from services.plans.indicators.service import check_dimension, outside
from services.plans.problems import NotTheAuthor, OwnUpdate
from services.plans.reporting import chain, repository
from services.plans.reporting.access import DATA_ENTRY, STAFF, UPDATE_REVIEWERS, VERIFIERS, is_staff, may
from services.plans.reporting.events import VALUE_APPROVED
from services.plans.reporting.inbox import period_item, update_item
from services.plans.reporting.models import Update, UpdateStatus, Value
from services.plans.reporting.schemas import UpdateCreate, UpdatePublic, UpdateRevise, ValuePublic

log = structlog.get_logger()

STATUS_TH = {"draft": "ร่าง", "submitted": "ส่งตรวจแล้ว", "returned": "ถูกส่งกลับ", "approved": "อนุมัติแล้ว"}
REVISABLE = (UpdateStatus.draft, UpdateStatus.returned)


async def create_update(
    session: AsyncSession, principal: Principal, indicator_id: uuid.UUID, data: UpdateCreate
) -> UpdatePublic:
    """Enter a tambon's figure for a period (and dimension) as a draft, or submitted at once."""
    indicator = await INDICATORS.get(session, indicator_id)
    principal.require(DATA_ENTRY, data.area_code)
    _check_tambon(indicator, data.area_code)
    period = periods.parse(data.period, indicator.period_kind)
    dimension = check_dimension(indicator, data.dimension)
    figures.check(indicator.measure, data)
    state = await chain.lock_tambon(session, indicator.id, data.area_code, period.name)
    state.refuse_if_locked()
    now = utcnow()
    update = Update(
        indicator_id=indicator.id,
        area_code=data.area_code,
        period=period.name,
        fiscal_year=period.fiscal_year,
        quarter=period.quarter,
        dimension=dimension,
        value=data.value,
        numerator=data.numerator,
        denominator=data.denominator,
        text=data.text,
        note=data.note,
        evidence=[link.model_dump(mode="json") for link in data.evidence],
        status=UpdateStatus.submitted if data.submit else UpdateStatus.draft,
        submitted_at=now if data.submit else None,
        created_by=principal.subject,
    )
    session.add(update)
    await session.flush()
    if update.status is UpdateStatus.submitted:
        await _announce_review(session, indicator, update)
    log.info(
        "indicator.update_entered", update_id=str(update.id), area=update.area_code, status=update.status
    )
    return shown_update(principal, update, state)


async def revise_update(
    session: AsyncSession,
    principal: Principal,
    indicator_id: uuid.UUID,
    update_id: uuid.UUID,
    data: UpdateRevise,
    expected_version: ExpectedVersions,
) -> UpdatePublic:
    """Its author revises a draft or a returned update (If-Match)."""
    indicator, update = await _locked(session, indicator_id, update_id)
    state = await _revisable(session, principal, update, Text("revised", "แก้ไข"))
    changes = data.model_dump(exclude_unset=True)
    if "evidence" in changes:
        changes["evidence"] = [link.model_dump(mode="json") for link in data.evidence or []]
    figure = {name: changes.get(name, getattr(update, name)) for name in figures.ALL_FIELDS}
    figures.check(indicator.measure, figures.Plain(**figure), sent=changes.keys())
    if apply_changes(update, changes, expected_version=expected_version):
        await session.flush()
    return shown_update(principal, update, state)


async def submit_update(
    session: AsyncSession, principal: Principal, indicator_id: uuid.UUID, update_id: uuid.UUID
) -> UpdatePublic:
    """Its author sends a draft (or a returned update) for review."""
    indicator, update = await _locked(session, indicator_id, update_id)
    state = await _revisable(session, principal, update, Text("submitted", "ส่งตรวจ"))
    update.status, update.submitted_at = UpdateStatus.submitted, utcnow()
    touch(update)
    await session.flush()
    await _announce_review(session, indicator, update)
    log.info("indicator.update_submitted", update_id=str(update.id))
    return shown_update(principal, update, state)


async def approve_update(
    session: AsyncSession, principal: Principal, indicator_id: uuid.UUID, update_id: uuid.UUID
) -> UpdatePublic:
    """A reviewer (not its author) approves a submitted update: its figure becomes the tambon's value."""
    indicator, update = await _locked(session, indicator_id, update_id)
    state = await _reviewable(session, principal, update, Text("approved", "อนุมัติ"))
    now = utcnow()
    update.status, update.reviewed_by, update.reviewed_at = UpdateStatus.approved, principal.subject, now
    touch(update)
    value = await repository.upsert_value(
        session,
        {
            "id": uuid.uuid4(),
            **{name: getattr(update, name) for name in _PLACE + figures.ALL_FIELDS},
            "update_id": update.id,
            "approved_by": principal.subject,
            "approved_at": now,
            "created_at": now,
            "updated_at": now,
            "version": 1,
        },
    )
    await session.flush()
    await record_event(
        session, VALUE_APPROVED, aggregate_id=str(indicator.id), area_code=value.area_code, data=value
    )
    if not await repository.pending_updates(session, indicator.id, value.area_code, value.period):
        item = period_item(
            "tambon_verification", indicator.id, value.area_code, value.period, indicator.title_th, now
        )
        await announce(session, item, roles=VERIFIERS)
    log.info("indicator.value_approved", update_id=str(update.id), area=value.area_code, period=value.period)
    return shown_update(principal, update, state)


async def return_update(
    session: AsyncSession, principal: Principal, indicator_id: uuid.UUID, update_id: uuid.UUID, comment: str
) -> UpdatePublic:
    """A reviewer (not its author) sends a submitted update back with a comment; the value stays as it was."""
    _, update = await _locked(session, indicator_id, update_id)
    state = await _reviewable(session, principal, update, Text("returned", "ส่งกลับ"))
    update.status, update.reviewed_by, update.reviewed_at = UpdateStatus.returned, principal.subject, utcnow()
    update.review_comment = comment
    touch(update)
    await session.flush()
    log.info("indicator.update_returned", update_id=str(update.id))
    return shown_update(principal, update, state)


async def get_update(
    session: AsyncSession, principal: Principal, indicator_id: uuid.UUID, update_id: uuid.UUID
) -> UpdatePublic:
    """An update is seen by the area's staff only (its note and evidence, its author)."""
    update = await repository.get_update(session, update_id)
    _of_indicator(update, indicator_id)
    principal.require(STAFF, update.area_code)
    state = await chain.state(session, indicator_id, update.area_code, update.period)
    return shown_update(principal, update, state)


async def list_updates(
    session: AsyncSession,
    principal: Principal,
    indicator_id: uuid.UUID,
    *,
    area: str | None,
    period: str | None,
    status: UpdateStatus | None,
    page: PageRequest,
) -> Page[UpdatePublic]:
    """Updates inside `area` (the indicator's whole area when left out), for the area's staff."""
    indicator = await INDICATORS.get(session, indicator_id)
    principal.require(STAFF, area or indicator.area_code)
    statement = repository.updates_of(indicator.id, area=area, period=period, status=status)
    rows, next_cursor = await paginate(session, statement, model=Update, page=page)
    items = [
        shown_update(principal, row, await chain.state(session, indicator.id, row.area_code, row.period))
        for row in rows
    ]
    return Page(items=items, next_cursor=next_cursor)


async def list_values(
    session: AsyncSession,
    principal: Principal | None,
    indicator_id: uuid.UUID,
    *,
    area: str | None,
    period: str | None,
    fiscal_year: int | None,
    page: PageRequest,
) -> Page[ValuePublic]:
    """The tambons' approved values (public; who approved them, to the area's staff)."""
    indicator = await INDICATORS.get(session, indicator_id)
    area = confined(principal, area)
    statement = repository.values_of(indicator.id, area=area, period=period, fiscal_year=fiscal_year)
    rows, next_cursor = await paginate(session, statement, model=Value, page=page)
    return Page(items=[shown_value(principal, row) for row in rows], next_cursor=next_cursor)


def shown_value(principal: Principal | None, value: Value) -> ValuePublic:
    shown = ValuePublic.model_validate(value)
    if not is_staff(principal, value.area_code):
        shown.approved_by = None
    return shown


def shown_update(principal: Principal, update: Update, state: chain.State) -> UpdatePublic:
    """The update with what the caller may do with it now."""
    waiting = update.status is UpdateStatus.submitted
    reviewer = may(principal, UPDATE_REVIEWERS, update.area_code) and principal.subject != update.created_by
    open_ = state.locked_by is None
    return UpdatePublic.model_validate(
        update,
        update={
            "may_submit": open_ and update.status in REVISABLE and principal.subject == update.created_by,
            "may_approve": open_ and waiting and reviewer,
            "may_return": open_ and waiting and reviewer,
            **state.permissions(principal),
        },
    )


_PLACE = ("indicator_id", "area_code", "period", "fiscal_year", "quarter", "dimension")


async def _announce_review(session: AsyncSession, indicator: Indicator, update: Update) -> None:
    """A submitted update waits for its reviewers (grants covering the tambon), its author aside."""
    item = update_item(update, indicator.title_th)
    await announce(session, item, roles=UPDATE_REVIEWERS)


async def _locked(
    session: AsyncSession, indicator_id: uuid.UUID, update_id: uuid.UUID
) -> tuple[Indicator, Update]:
    indicator = await INDICATORS.get(session, indicator_id)
    update = await repository.get_update(session, update_id, for_update=True)
    _of_indicator(update, indicator_id)
    return indicator, update


async def _reviewable(
    session: AsyncSession, principal: Principal, update: Update, action: Text
) -> chain.State:
    principal.require(UPDATE_REVIEWERS, update.area_code)
    if principal.subject == update.created_by:
        raise OwnUpdate()
    require_status(update.status, (UpdateStatus.submitted,), action, STATUS_TH)
    state = await chain.lock_tambon(session, update.indicator_id, update.area_code, update.period)
    state.refuse_if_locked()
    return state


async def revisable(
    session: AsyncSession, principal: Principal, update_id: uuid.UUID, action: Text
) -> Update:
    """The update, locked, when the caller may still change it (`action`): its author, while it is a draft or
    returned and its tambon's period is open (403, 409 otherwise)."""
    update = await repository.get_update(session, update_id, for_update=True)
    await _revisable(session, principal, update, action)
    return update


async def _revisable(
    session: AsyncSession, principal: Principal, update: Update, action: Text
) -> chain.State:
    _by_author(principal, update)
    require_status(update.status, REVISABLE, action, STATUS_TH)
    state = await chain.lock_tambon(session, update.indicator_id, update.area_code, update.period)
    state.refuse_if_locked()
    return state


def _of_indicator(update: Update, indicator_id: uuid.UUID) -> None:
    if update.indicator_id != indicator_id:
        raise errors.NotFound(
            Text(
                f"Indicator {indicator_id} has no update {update.id}.",
                f"ตัวชี้วัด {indicator_id} ไม่มีข้อมูลรหัส {update.id}",
            )
        )


def _by_author(principal: Principal, update: Update) -> None:
    if principal.subject != update.created_by:
        raise NotTheAuthor()


def _check_tambon(indicator: Indicator, area_code: str) -> None:
    if area_level(area_code) != "tambon":
        raise errors.at_field(
            errors.ValidationFailed,
            "/area_code",
            Text(
                "Figures are entered per tambon (6 digits); districts and provinces are rolled up from them.",
                "บันทึกข้อมูลรายตำบล (รหัส 6 หลัก) ระดับอำเภอและจังหวัดคำนวณรวมจากตำบล",
            ),
        )
    if not covers(indicator.area_code, area_code):
        raise errors.at_field(errors.Conflict, "/area_code", outside(indicator, area_code))
