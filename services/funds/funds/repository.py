"""Every query of funds: the fund rows, their area, their page order, and the fund with its balance."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Any

import orjson
from sqlalchemy import Table, bindparam, or_, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.common.geo.queries import within_area
from services.common.pagination import PageRequest, paginate
from services.funds.funds.models import Fund, FundKind
from services.funds.ledger.models import ACCOUNTS, AccountPurpose
from services.funds.reads import Reader, ReaderStatement

FUNDS: Table = Fund.__table__  # type: ignore[attr-defined]


_WITH_BALANCE = ReaderStatement(
    select(
        *(FUNDS.c[name] for name in ("id", "name_th", "name_en", "kind", "area_code", "approvals_required")),
        *(FUNDS.c[name] for name in ("committee", "version", "created_at", "updated_at")),
        ACCOUNTS.c.balance_satang,
        ACCOUNTS.c.reserved_satang,
        ACCOUNTS.c.revision,
    )
    .join(ACCOUNTS, ACCOUNTS.c.owner_id == FUNDS.c.id)
    .where(FUNDS.c.id == bindparam("fund_id"), ACCOUNTS.c.purpose == AccountPurpose.holdings.value)
)


_HOLDINGS = ReaderStatement(
    select(FUNDS.c.id.label("fund_id"), FUNDS.c.name_th, FUNDS.c.area_code, ACCOUNTS.c.id.label("account_id"))
    .join(ACCOUNTS, ACCOUNTS.c.owner_id == FUNDS.c.id)
    .where(FUNDS.c.id == bindparam("fund_id"), ACCOUNTS.c.purpose == AccountPurpose.holdings.value)
)


async def holdings(reader: Reader, fund_id: uuid.UUID) -> Mapping[str, Any] | None:
    """The fund (fund_id, name_th, area_code) with its holdings account (account_id), or None."""
    return await _HOLDINGS.read_row(reader, fund_id=fund_id)


async def with_balance(reader: Reader, fund_id: uuid.UUID) -> Mapping[str, Any] | None:
    """A fund's public columns with its balance, reserved and revision (the hot public read)."""
    row = await _WITH_BALANCE.read_row(reader, fund_id=fund_id)
    if row is None:
        return None
    return {**dict(row), "committee": orjson.loads(row["committee"])}


async def get(session: AsyncSession, fund_id: uuid.UUID) -> Fund | None:
    return await session.get(Fund, fund_id)


async def with_members(session: AsyncSession, user_ids: Sequence[str]) -> list[uuid.UUID]:
    """The funds whose committee holds any of these people, in id order (the order they are locked in)."""
    if not user_ids:
        return []
    holds = or_(*(FUNDS.c.committee.contains([user]) for user in user_ids))
    return list((await session.scalars(select(FUNDS.c.id).where(holds).order_by(FUNDS.c.id))).all())


async def area_code(session: AsyncSession, fund_id: uuid.UUID) -> str | None:
    area: str | None = await session.scalar(select(FUNDS.c.area_code).where(FUNDS.c.id == fund_id))
    return area


async def page(
    session: AsyncSession,
    *,
    areas: Sequence[str],
    kind: FundKind | None,
    page: PageRequest,
) -> tuple[Sequence[Fund], str | None]:
    """One page of funds inside every one of `areas`, in page or sync order."""
    statement = select(Fund)
    for area in areas:
        statement = statement.where(within_area(FUNDS.c.area_code, area))
    if kind:
        statement = statement.where(FUNDS.c.kind == kind)
    return await paginate(session, statement, model=Fund, page=page)
