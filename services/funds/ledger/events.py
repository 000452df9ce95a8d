"""Publishing ledger transfers: one event per fund whose holdings a transfer moved, in that fund's order."""

from __future__ import annotations

import uuid
from collections.abc import Mapping

from sqlalchemy.ext.asyncio import AsyncSession

from services.common.events import record_event
from services.funds.ledger.models import AccountPurpose
from services.funds.ledger.service import PostedTransfer


async def publish_transfer(
    session: AsyncSession,
    type: str,
    transfer: PostedTransfer,
    *,
    areas: Mapping[uuid.UUID, str],
    memo: str | None = None,
    reverses_transfer_id: uuid.UUID | None = None,
) -> None:
    """Record `type` (fund.transfer.posted or fund.transfer.reversed) for each fund in `areas` whose holdings
    the transfer moved, funds in id order (so two such transactions never wait on each other's events)."""
    for entry in sorted(transfer.entries, key=lambda e: e.owner_id):
        if entry.purpose != AccountPurpose.holdings or entry.owner_id not in areas:
            continue
        await record_event(
            session,
            type=type,
            aggregate_type="fund",
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
