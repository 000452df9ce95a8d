"""A fund's public ledger: the entries on its holdings, read page by page (or all, for exports) on the lean
read path. Public by design — the ledger holds no private person's name to begin with."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from services.common.pagination import PageRequest
from services.funds.cursors import decode_position, encode_position
from services.funds.ledger import repository
from services.funds.ledger.access import INDIVIDUAL
from services.funds.ledger.schemas import LedgerEntryPublic
from services.funds.reads import Reader

ORDER = "ledger"
EXPORT_BATCH = 2_000


@dataclass(frozen=True)
class FundLedger:
    fund_id: uuid.UUID
    name_th: str
    area_code: str
    account_id: uuid.UUID


async def page(
    reader: Reader, ledger: FundLedger, *, page: PageRequest
) -> tuple[list[LedgerEntryPublic], str | None]:
    cursor, limit = page.cursor, page.limit
    after = decode_position(cursor, ORDER)
    rows = await repository.public_entries(reader, ledger.account_id, after=after, limit=limit + 1)
    items = [entry_public(row) for row in rows[:limit]]
    return items, encode_position(ORDER, items[-1].sequence) if len(rows) > limit else None


async def every_entry(reader: Reader, ledger: FundLedger) -> AsyncIterator[list[LedgerEntryPublic]]:
    """The whole ledger in batches: no row cap, constant memory (keyset on the append-only sequence)."""
    after = 0
    while True:
        rows = await repository.public_entries(reader, ledger.account_id, after=after, limit=EXPORT_BATCH)
        if not rows:
            return
        yield [entry_public(row) for row in rows]
        after = rows[-1]["sequence"]


def entry_public(row: Any) -> LedgerEntryPublic:
    amount = row["amount_satang"]
    kind = row["counterparty_kind"]
    return LedgerEntryPublic(
        account_id=row["account_id"],
        sequence=row["sequence"],
        transfer_id=row["transfer_id"],
        kind=row["kind"],
        direction="in" if amount > 0 else "out",
        amount_satang=amount,
        balance_before_satang=row["balance_before_satang"],
        balance_after_satang=row["balance_after_satang"],
        counterparty_kind=kind,
        counterparty_name=INDIVIDUAL if kind == INDIVIDUAL else row["counterparty_name"],
        memo=row["memo"],
        reverses_transfer_id=row["reverses_transfer_id"],
        reversed_by_transfer_id=row["reversed_by_transfer_id"],
        posted_at=row["posted_at"],
        prev_hash=row["prev_hash"],
        hash=row["hash"],
    )
