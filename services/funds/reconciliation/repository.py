"""Every query of reconciliation, built from the tables and run on the lean read path."""

from __future__ import annotations

import uuid

import asyncpg
from sqlalchemy import BigInteger, Table, Uuid, any_, bindparam, cast, func, select
from sqlalchemy.dialects.postgresql import ARRAY

from services.funds.disbursements.models import Disbursement, DisbursementStatus
from services.funds.funds.models import Fund
from services.funds.ledger.models import ACCOUNTS, AccountPurpose
from services.funds.reads import Reader, ReaderStatement

FUNDS: Table = Fund.__table__  # type: ignore[attr-defined]
DISBURSEMENTS: Table = Disbursement.__table__  # type: ignore[attr-defined]

_FUND_IDS = ReaderStatement(
    select(FUNDS.c.id).where(FUNDS.c.id > bindparam("after")).order_by(FUNDS.c.id).limit(bindparam("limit"))
)
_AREAS = ReaderStatement(
    select(FUNDS.c.id, FUNDS.c.area_code).where(FUNDS.c.id == any_(bindparam("fund_ids", type_=ARRAY(Uuid))))
)
_APPROVED = (
    select(DISBURSEMENTS.c.fund_id, func.sum(DISBURSEMENTS.c.amount_satang).label("total"))
    .where(DISBURSEMENTS.c.status == DisbursementStatus.approved.value)
    .group_by(DISBURSEMENTS.c.fund_id)
    .subquery("d")
)
_APPROVED_TOTAL = func.coalesce(_APPROVED.c.total, 0)
# one statement, one snapshot: an approval committing meanwhile is wholly in it or wholly out of it
_RESERVATION_MISMATCHES = ReaderStatement(
    select(
        ACCOUNTS.c.owner_id,
        ACCOUNTS.c.reserved_satang,
        cast(_APPROVED_TOTAL, BigInteger).label("approved_satang"),
    )
    .join_from(ACCOUNTS, _APPROVED, _APPROVED.c.fund_id == ACCOUNTS.c.owner_id, isouter=True)
    .where(
        ACCOUNTS.c.purpose == AccountPurpose.holdings.value,
        ACCOUNTS.c.reserved_satang != _APPROVED_TOTAL,
    )
)


async def fund_ids(reader: Reader, *, after: uuid.UUID, limit: int) -> list[uuid.UUID]:
    """Up to `limit` fund ids above `after`, in order (a keyset page over every fund)."""
    return [row["id"] for row in await _FUND_IDS.read(reader, after=after, limit=limit)]


async def areas_of(reader: Reader, fund_ids: list[uuid.UUID]) -> dict[uuid.UUID, str]:
    """Each of these funds' area code."""
    return {row["id"]: row["area_code"] for row in await _AREAS.read(reader, fund_ids=fund_ids)}


async def reservation_mismatches(reader: Reader) -> list[asyncpg.Record]:
    """Funds whose holdings reserve (owner_id, reserved_satang) ≠ their approved, unpaid disbursements
    (approved_satang)."""
    return await _RESERVATION_MISMATCHES.read(reader)
