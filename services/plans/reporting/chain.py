"""Where a tambon's period stands in the chain (open, verified, returned; its province open, certified,
reopened), read with or without the locks a writer takes, and what that lets a caller do."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from sqlmodel.ext.asyncio.session import AsyncSession

from services.common.auth import Principal
from services.common.geo import LEVEL_DIGITS, area_level
from services.plans.problems import PeriodLocked
from services.plans.reporting import repository
from services.plans.reporting.access import CERTIFIERS, VERIFIERS, may
from services.plans.reporting.models import ProvincePeriod, ProvinceStatus, TambonPeriod, TambonStatus


@dataclass
class State:
    area_code: str  # the tambon
    period: str
    tambon: TambonPeriod | None
    province: ProvincePeriod | None

    @property
    def tambon_status(self) -> TambonStatus:
        return self.tambon.status if self.tambon else TambonStatus.open

    @property
    def province_status(self) -> ProvinceStatus:
        return self.province.status if self.province else ProvinceStatus.open

    @property
    def locked_by(self) -> str | None:
        """What keeps the tambon's figures for the period as they are, if anything."""
        if self.province_status is ProvinceStatus.certified:
            return "certification"
        if self.tambon_status is TambonStatus.verified:
            return "verification"
        return None

    def refuse_if_locked(self) -> None:
        if (locked_by := self.locked_by) is not None:
            raise PeriodLocked(area_code=self.area_code, period=self.period, locked_by=locked_by)

    def permissions(self, principal: Principal | None) -> dict[str, bool]:
        """`may_verify` and `may_certify` as the tambon's and its province's states and the caller's grants
        allow (certifying also waits for every tambon with data: the province's period counts them)."""
        certified = self.province_status is ProvinceStatus.certified
        return {
            "may_verify": not certified
            and self.tambon_status is not TambonStatus.verified
            and may(principal, VERIFIERS, self.area_code),
            "may_certify": not certified and may(principal, CERTIFIERS, self.area_code[:2]),
        }


async def state(session: AsyncSession, indicator_id: uuid.UUID, tambon: str, period: str) -> State:
    """The tambon's period as it stands (no locks: for reading)."""
    return State(
        area_code=tambon,
        period=period,
        tambon=await repository.tambon_period(session, indicator_id, tambon, period),
        province=await repository.province_period(session, indicator_id, tambon[:2], period),
    )


async def lock_tambon(session: AsyncSession, indicator_id: uuid.UUID, tambon: str, period: str) -> State:
    """The tambon's period, held for a change of its figures or its stamp: its province's lock shared (so a
    certification waits), then the tambon's own."""
    await repository.lock_province_period(session, indicator_id, tambon[:2], period, shared=True)
    await repository.lock_tambon_period(session, indicator_id, tambon, period)
    return await state(session, indicator_id, tambon, period)


async def hold_provinces(
    session: AsyncSession, indicator_id: uuid.UUID, areas: Iterable[tuple[str, str]], *, figures: bool
) -> None:
    """Each province's period these (area, period) lie in, held until the transaction ends for a bulk write:
    exclusively for figures (no tambon in it is verified meanwhile), shared for targets (no certification).
    In sorted order, as every writer takes them."""
    provinces = {(area[:2], period) for area, period in areas if area_level(area) in LEVEL_DIGITS}
    for province, period in sorted(provinces):
        await repository.lock_province_period(session, indicator_id, province, period, shared=not figures)


async def refuse_if_certified(
    session: AsyncSession, indicator_id: uuid.UUID, areas: Iterable[tuple[str, str]]
) -> None:
    """409 period-locked when one of these (area, period) lies in a province whose period is certified; each
    province's period held shared until the transaction ends, so a certification waits (areas above a
    province lie in no one province's period)."""
    first_of: dict[tuple[str, str], str] = {}
    for area, period in sorted(areas):
        if area_level(area) in LEVEL_DIGITS:
            first_of.setdefault((area[:2], period), area)
    for (province, period), area in first_of.items():
        await repository.lock_province_period(session, indicator_id, province, period, shared=True)
        row = await repository.province_period(session, indicator_id, province, period)
        if row is not None and row.status is ProvinceStatus.certified:
            raise PeriodLocked(area_code=area, period=period, locked_by="certification")
