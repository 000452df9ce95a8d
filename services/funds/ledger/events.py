"""Ledger transfers' events: one per fund whose holdings a transfer moved, in that fund's order."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Annotated

from pydantic import Field
from sqlalchemy.ext.asyncio import AsyncSession

from services.common.events import record_event
from services.common.events.registry import INLINE, EventData, EventType
from services.funds.ledger.models import AccountPurpose, TransferKind
from services.funds.ledger.service import PostedTransfer


class TransferData(EventData):
    """A ledger transfer as one fund sees it: money between funds, or a reversal."""

    transfer_id: uuid.UUID
    fund_id: uuid.UUID
    kind: Annotated[TransferKind, INLINE]
    amount_satang: int = Field(description="Signed, from this fund's side: + in, − out")
    balance_after_satang: int
    counterparty_kind: str | None
    counterparty_name: str | None
    memo: str | None
    reverses_transfer_id: uuid.UUID | None
    posted_at: datetime


TRANSFER_POSTED = EventType(
    "fund.transfer.posted",
    "fund",
    1,
    TransferData,
    "Money moved between funds (sent to both funds)",
    "มีการโอนเงินระหว่างกองทุน (แจ้งทั้งสองกองทุน)",
)
TRANSFER_REVERSED = EventType(
    "fund.transfer.reversed",
    "fund",
    1,
    TransferData,
    "A transfer was reversed as a whole (sent to every fund it touched)",
    "รายการโอนถูกกลับรายการทั้งรายการ (แจ้งทุกกองทุนที่เกี่ยวข้อง)",
)


class LedgerExportedData(EventData):
    """Someone downloaded a fund's whole ledger (an export is a security-relevant read: it is audited)."""

    fund_id: uuid.UUID
    format: str = Field(description="csv or xlsx")


LEDGER_EXPORTED = EventType(
    "fund.ledger.exported",
    "fund",
    1,
    LedgerExportedData,
    "A fund's whole ledger was exported",
    "มีการส่งออกบัญชีแยกประเภททั้งหมดของกองทุน",
)
EVENT_TYPES = (TRANSFER_POSTED, TRANSFER_REVERSED, LEDGER_EXPORTED)


async def publish_transfer(
    session: AsyncSession,
    event: EventType,
    transfer: PostedTransfer,
    *,
    areas: Mapping[uuid.UUID, str],
    memo: str | None = None,
    reverses_transfer_id: uuid.UUID | None = None,
) -> None:
    """Record `event` (fund.transfer.posted or fund.transfer.reversed) for each fund in `areas` whose holdings
    the transfer moved, funds in id order (so two such transactions never wait on each other's events)."""
    for entry in sorted(transfer.entries, key=lambda e: e.owner_id):
        if entry.purpose != AccountPurpose.holdings or entry.owner_id not in areas:
            continue
        await record_event(
            session,
            event,
            aggregate_id=str(entry.owner_id),
            area_code=areas[entry.owner_id],
            data={
                "transfer_id": transfer.id,
                "fund_id": entry.owner_id,
                "kind": transfer.kind.value,
                "amount_satang": entry.amount_satang,
                "balance_after_satang": entry.balance_after_satang,
                "counterparty_kind": entry.counterparty_kind,
                "counterparty_name": entry.counterparty_name,
                "memo": memo,
                "reverses_transfer_id": reverses_transfer_id,
                "posted_at": transfer.posted_at,
            },
        )


async def record_export(
    session: AsyncSession, fund_id: uuid.UUID, area_code: str, export_format: str
) -> None:
    """The export's event, in the request's transaction (committed before the file streams)."""
    await record_event(
        session,
        LEDGER_EXPORTED,
        aggregate_id=str(fund_id),
        area_code=area_code,
        data={"fund_id": fund_id, "format": export_format},
    )
