"""The chain's stamps (DHIS2's data approval, kept to few named states): a tambon verifies its period once
no update waits for review; its province may send it back until it certifies; the province certifies once
every tambon with data has verified, which locks the period; only a national user reopens a certified
period, with a reason, and only that province's."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TypeVar

import structlog
from sqlmodel.ext.asyncio.session import AsyncSession

from services.common import errors
from services.common.approvals import require_status
from services.common.auth import Principal
from services.common.clock import utcnow
from services.common.events import record_event
from services.common.events.registry import EventType
from services.common.geo import covers, is_known_area
from services.common.i18n import Text
from services.common.inbox import announce
from services.common.resources import confined
from services.plans.indicators import periods
from services.plans.indicators.models import Indicator
from services.plans.indicators.repository import INDICATORS
from services.plans.problems import PeriodLocked, TambonsUnverified, UpdatesPending
from services.plans.reporting import chain, repository
from services.plans.reporting.access import CERTIFIERS, REOPENERS, SENDERS_BACK, VERIFIERS, is_staff, may
from services.plans.reporting.events import (
    PERIOD_CERTIFIED,
    PERIOD_REOPENED,
    PERIOD_SENT_BACK,
    PERIOD_VERIFIED,
)
from services.plans.reporting.inbox import period_item
from services.plans.reporting.models import ProvincePeriod, ProvinceStatus, TambonPeriod, TambonStatus
from services.plans.reporting.schemas import ProvincePeriodPublic, Stamp, TambonPeriodPublic

log = structlog.get_logger()
TAMBON_STATUS_TH = {"open": "เปิด", "verified": "ยืนยันแล้ว", "returned": "ถูกส่งกลับ"}
PROVINCE_STATUS_TH = {"open": "เปิด", "certified": "รับรองแล้ว", "reopened": "เปิดใหม่"}


async def tambon_period(
    session: AsyncSession, principal: Principal | None, indicator_id: uuid.UUID, tambon: str, period: str
) -> TambonPeriodPublic:
    """Where a tambon's period stands (public; who and why, to the area's staff)."""
    indicator = await _indicator_of(session, indicator_id, tambon, period)
    confined(principal, tambon)
    return await _shown_tambon(
        session, principal, indicator, await chain.state(session, indicator.id, tambon, period)
    )


async def verify_tambon(
    session: AsyncSession, principal: Principal, indicator_id: uuid.UUID, tambon: str, period: str
) -> TambonPeriodPublic:
    """The tambon signs its figures for the period; nothing may wait for review. Verifying twice changes
    nothing."""
    indicator = await _indicator_of(session, indicator_id, tambon, period)
    principal.require(VERIFIERS, tambon)
    state = await chain.lock_tambon(session, indicator.id, tambon, period)
    if state.province_status is ProvinceStatus.certified:
        raise PeriodLocked(area_code=tambon, period=period, locked_by="certification")
    if state.tambon_status is not TambonStatus.verified:
        if pending := await repository.pending_updates(session, indicator.id, tambon, period):
            raise UpdatesPending(area_code=tambon, period=period, updates=list(pending))
        row = state.tambon or TambonPeriod(indicator_id=indicator.id, area_code=tambon, period=period)
        row.status, row.verified_by, row.verified_at = TambonStatus.verified, principal.subject, utcnow()
        state.tambon = await _stamped(session, row, PERIOD_VERIFIED, indicator, tambon)
        await _announce_certifiable(session, indicator, tambon[:2], period, row.verified_at)
    return await _shown_tambon(session, principal, indicator, state)


async def send_back_tambon(
    session: AsyncSession,
    principal: Principal,
    indicator_id: uuid.UUID,
    tambon: str,
    period: str,
    reason: str,
) -> TambonPeriodPublic:
    """The province sends a verified tambon period back, with a reason its tambon's users see; not once
    the province has certified."""
    indicator = await _indicator_of(session, indicator_id, tambon, period)
    principal.require(SENDERS_BACK, tambon[:2])
    state = await chain.lock_tambon(session, indicator.id, tambon, period)
    if state.province_status is ProvinceStatus.certified:
        raise PeriodLocked(area_code=tambon, period=period, locked_by="certification")
    require_status(
        state.tambon_status, (TambonStatus.verified,), Text("sent back", "ส่งกลับ"), TAMBON_STATUS_TH
    )
    row = state.tambon
    assert row is not None  # verified, so stamped
    row.status, row.returned_by, row.returned_at = TambonStatus.returned, principal.subject, utcnow()
    row.return_reason = reason
    state.tambon = await _stamped(session, row, PERIOD_SENT_BACK, indicator, tambon)
    return await _shown_tambon(session, principal, indicator, state)


async def province_period(
    session: AsyncSession, principal: Principal | None, indicator_id: uuid.UUID, province: str, period: str
) -> ProvincePeriodPublic:
    """Where a province's period stands, with its tambons still to verify (public)."""
    indicator = await _indicator_of(session, indicator_id, province, period)
    confined(principal, province)
    row = await repository.province_period(session, indicator.id, province, period)
    return await _shown_province(session, principal, indicator, province, period, row)


async def certify(
    session: AsyncSession, principal: Principal, indicator_id: uuid.UUID, province: str, period: str
) -> ProvincePeriodPublic:
    """The province signs the period once every tambon with data has verified it (409 listing those that
    have not); the period is then locked. Certifying twice changes nothing."""
    indicator = await _indicator_of(session, indicator_id, province, period)
    principal.require(CERTIFIERS, province)
    await repository.lock_province_period(session, indicator.id, province, period, shared=False)
    row = await repository.province_period(session, indicator.id, province, period)
    if row is None or row.status is not ProvinceStatus.certified:
        unverified = await _unverified(session, indicator.id, province, period)
        if unverified:
            raise TambonsUnverified(province_code=province, period=period, tambons=unverified)
        row = row or ProvincePeriod(indicator_id=indicator.id, province_code=province, period=period)
        row.status, row.certified_by, row.certified_at = ProvinceStatus.certified, principal.subject, utcnow()
        row = await _stamped(session, row, PERIOD_CERTIFIED, indicator, province)
    return await _shown_province(session, principal, indicator, province, period, row)


async def reopen(
    session: AsyncSession,
    principal: Principal,
    indicator_id: uuid.UUID,
    province: str,
    period: str,
    reason: str,
) -> ProvincePeriodPublic:
    """A national user reopens a certified province period, with a reason; its tambons stay as they are
    (the province may then send one back), and no other province changes."""
    indicator = await _indicator_of(session, indicator_id, province, period)
    principal.require(REOPENERS, province)
    await repository.lock_province_period(session, indicator.id, province, period, shared=False)
    row = await repository.province_period(session, indicator.id, province, period)
    status = row.status if row else ProvinceStatus.open
    require_status(status, (ProvinceStatus.certified,), Text("reopened", "เปิดใหม่"), PROVINCE_STATUS_TH)
    assert row is not None
    row.status, row.reopened_by, row.reopened_at = ProvinceStatus.reopened, principal.subject, utcnow()
    row.reopen_reason = reason
    row = await _stamped(session, row, PERIOD_REOPENED, indicator, province)
    return await _shown_province(session, principal, indicator, province, period, row)


async def _indicator_of(session: AsyncSession, indicator_id: uuid.UUID, area: str, period: str) -> Indicator:
    """The indicator; 404 unless `area` is a known tambon or province inside it; 422 for a period of
    another kind."""
    indicator = await INDICATORS.get(session, indicator_id)
    if not is_known_area(area) or not covers(indicator.area_code, area):
        raise errors.NotFound(
            Text(
                f"Indicator {indicator.id} is measured in {indicator.area_code}: it has no area {area}.",
                f"ตัวชี้วัด {indicator.id} วัดในพื้นที่ {indicator.area_code} ไม่มีพื้นที่ {area}",
            )
        )
    periods.parse(period, indicator.period_kind, pointer="/path/period", problem=errors.NotFound)
    return indicator


Stamped = TypeVar("Stamped", TambonPeriod, ProvincePeriod)


async def _stamped(
    session: AsyncSession,
    row: Stamped,
    event: EventType,
    indicator: Indicator,
    area: str,
) -> Stamped:
    row.updated_at = utcnow()
    if row in session:  # stamped before: a new version
        row.version += 1
    session.add(row)
    await session.flush()
    await record_event(
        session,
        event,
        aggregate_id=str(indicator.id),
        area_code=area,
        data={
            "indicator_id": indicator.id,
            "area_code": area,
            "period": row.period,
            "status": row.status,
            "version": row.version,
            "updated_at": row.updated_at,
        },
    )
    log.info(event.name, indicator_id=str(indicator.id), area=area, period=row.period)
    return row


async def _announce_certifiable(
    session: AsyncSession, indicator: Indicator, province: str, period: str, since: datetime
) -> None:
    """The last tambon with data verified, nothing waiting for review: the province's period waits for it."""
    if await _unverified(session, indicator.id, province, period):
        return
    if await repository.pending_updates(session, indicator.id, province, period):
        return
    item = period_item("province_certification", indicator.id, province, period, indicator.title_th, since)
    await announce(session, item, roles=CERTIFIERS)


async def _unverified(
    session: AsyncSession, indicator_id: uuid.UUID, province: str, period: str
) -> list[str]:
    with_data = await repository.tambons_with_data(session, indicator_id, province, period)
    verified = await repository.verified_tambons(session, indicator_id, province, period)
    return [tambon for tambon in with_data if tambon not in verified]


async def _shown_tambon(
    session: AsyncSession, principal: Principal | None, indicator: Indicator, state: chain.State
) -> TambonPeriodPublic:
    row, staff = state.tambon, is_staff(principal, state.area_code)
    certified = state.province_status is ProvinceStatus.certified
    return TambonPeriodPublic(
        indicator_id=indicator.id,
        area_code=state.area_code,
        period=state.period,
        status=state.tambon_status,
        verified=_stamp(staff, row, "verified"),
        returned=_stamp(staff, row, "returned", "return_reason"),
        province_status=state.province_status,
        values=await repository.values_count(session, indicator.id, state.area_code, state.period),
        pending_updates=len(
            await repository.pending_updates(session, indicator.id, state.area_code, state.period)
        ),
        version=row.version if row else 0,
        may_return=not certified
        and state.tambon_status is TambonStatus.verified
        and may(principal, SENDERS_BACK, state.area_code[:2]),
        **state.permissions(principal),
    )


async def _shown_province(
    session: AsyncSession,
    principal: Principal | None,
    indicator: Indicator,
    province: str,
    period: str,
    row: ProvincePeriod | None,
) -> ProvincePeriodPublic:
    staff = is_staff(principal, province)
    status = row.status if row else ProvinceStatus.open
    with_data = await repository.tambons_with_data(session, indicator.id, province, period)
    verified = await repository.verified_tambons(session, indicator.id, province, period)
    unverified = [tambon for tambon in with_data if tambon not in verified]
    return ProvincePeriodPublic(
        indicator_id=indicator.id,
        province_code=province,
        period=period,
        status=status,
        certified=_stamp(staff, row, "certified"),
        reopened=_stamp(staff, row, "reopened", "reopen_reason"),
        tambons_with_data=len(with_data),
        tambons_verified=len([tambon for tambon in with_data if tambon in verified]),
        unverified_tambons=unverified,
        version=row.version if row else 0,
        may_certify=status is not ProvinceStatus.certified
        and not unverified
        and may(principal, CERTIFIERS, province),
        may_reopen=status is ProvinceStatus.certified and may(principal, REOPENERS, province),
    )


def _stamp(staff: bool, row: TambonPeriod | ProvincePeriod | None, step: str, reason: str = "") -> Stamp:
    """A step's stamp on a period: when (public), who and why (the area's staff)."""
    if row is None:
        return Stamp()
    return Stamp(
        by=getattr(row, f"{step}_by") if staff else None,
        at=getattr(row, f"{step}_at"),
        reason=getattr(row, reason) if staff and reason else None,
    )
