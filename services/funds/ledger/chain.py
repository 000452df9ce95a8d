"""The hash chain that makes each account's entries tamper-evident.

An entry's hash is SHA-256 over the previous entry's hash and the entry's canonical fields (account,
sequence, transfer, amount, balances, time) and its description digest, joined by `|`; the first entry links
to 64 zeros. The description digest covers every descriptive field the public ledger shows: the entry's
counterparty (kind and name) and its transfer's kind, memo and the transfer it reverses, each hashed on its
own so no text can shift into a neighbour. So a rewrite of any stored field breaks the chain. (The ledger
never stores a private person's name: individual payees and contributors are kept as NULL.) Because the
hashes are public (the ledger shows them), anyone who kept a copy can prove a rewrite.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from services.funds.ledger import repository
from services.funds.ledger.models import GENESIS_HASH
from services.funds.reads import Reader

BATCH = 5_000


def canonical_time(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def description_digest(
    *,
    kind: str,
    memo: str | None,
    reverses_transfer_id: uuid.UUID | None,
    counterparty_kind: str | None,
    counterparty_name: str | None,
) -> str:
    """The digest of an entry's descriptive fields (each hashed on its own; a missing one as empty text)."""
    parts = (
        kind,
        memo or "",
        str(reverses_transfer_id or ""),
        counterparty_kind or "",
        counterparty_name or "",
    )
    joined = "|".join(hashlib.sha256(part.encode()).hexdigest() for part in parts)
    return hashlib.sha256(joined.encode()).hexdigest()


def entry_hash(
    prev_hash: str,
    *,
    account_id: uuid.UUID,
    sequence: int,
    transfer_id: uuid.UUID,
    amount_satang: int,
    balance_before_satang: int,
    balance_after_satang: int,
    posted_at: datetime,
    description: str,
) -> str:
    """`description` is the entry's `description_digest`."""
    canonical = "|".join(
        (
            prev_hash,
            str(account_id),
            str(sequence),
            str(transfer_id),
            str(amount_satang),
            str(balance_before_satang),
            str(balance_after_satang),
            canonical_time(posted_at),
            description,
        )
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


class Break(StrEnum):
    hash_mismatch = "hash_mismatch"  # the entry's fields no longer give its hash: it was edited
    broken_link = "broken_link"  # the entry does not point at the previous entry's hash
    sequence_gap = "sequence_gap"  # an entry is missing or out of place
    balance_discontinuity = "balance_discontinuity"  # balance before ≠ the previous entry's balance after
    arithmetic = "arithmetic"  # balance after ≠ balance before + amount
    head_mismatch = "head_mismatch"  # the account's stored head (last sequence or hash) ≠ its last entry
    stored_balance_mismatch = "stored_balance_mismatch"  # the account's stored balance ≠ its entries' sum


@dataclass(frozen=True)
class BrokenLink:
    account_id: uuid.UUID
    problem: Break
    sequence: int | None
    transfer_id: uuid.UUID | None
    detail: str


@dataclass(frozen=True)
class AccountHead:
    """What an account row claims about its chain, read in one snapshot with the sum of its entries."""

    id: uuid.UUID
    purpose: str
    entry_count: int
    head_hash: str
    balance_satang: int
    entries_found: int
    entries_total_satang: int


@dataclass(frozen=True)
class ChainReport:
    entries_checked: int
    first_broken_link: BrokenLink | None


async def entry_batches(
    reader: Reader, account_id: uuid.UUID, *, up_to: int, batch: int = BATCH
) -> AsyncIterator[list[Any]]:
    """The account's entries 1 … `up_to` in sequence order, a batch at a time (keyset: constant memory;
    no snapshot needed: entries are only appended, and those after `up_to` came after the head was read)."""
    after = 0
    while True:
        rows = await repository.chain_links(reader, account_id, after=after, up_to=up_to, limit=batch)
        if not rows:
            return
        yield rows
        after = rows[-1]["sequence"]
        if len(rows) < batch:
            return


async def verify_account(reader: Reader, head: AccountHead) -> ChainReport:
    """Recompute the account's chain from its first entry; report the first link that does not hold."""
    expected_prev, expected_balance, expected_sequence, checked = GENESIS_HASH, 0, 1, 0

    def broken(problem: Break, row: Any, detail: str) -> ChainReport:
        link = BrokenLink(head.id, problem, row["sequence"], row["transfer_id"], detail)
        return ChainReport(checked, link)

    async for rows in entry_batches(reader, head.id, up_to=head.entry_count):
        for row in rows:
            recomputed = entry_hash(
                row["prev_hash"],
                account_id=head.id,
                sequence=row["sequence"],
                transfer_id=row["transfer_id"],
                amount_satang=row["amount_satang"],
                balance_before_satang=row["balance_before_satang"],
                balance_after_satang=row["balance_after_satang"],
                posted_at=row["posted_at"],
                description=description_digest(
                    kind=row["kind"],
                    memo=row["memo"],
                    reverses_transfer_id=row["reverses_transfer_id"],
                    counterparty_kind=row["counterparty_kind"],
                    counterparty_name=row["counterparty_name"],
                ),
            )
            if row["sequence"] != expected_sequence:
                return broken(Break.sequence_gap, row, f"expected sequence {expected_sequence}")
            if recomputed != row["hash"]:
                return broken(Break.hash_mismatch, row, "the entry's fields do not give its stored hash")
            if row["prev_hash"] != expected_prev:
                return broken(Break.broken_link, row, "prev_hash is not the previous entry's hash")
            if row["balance_before_satang"] != expected_balance:
                return broken(Break.balance_discontinuity, row, f"expected balance before {expected_balance}")
            if row["balance_after_satang"] != row["balance_before_satang"] + row["amount_satang"]:
                return broken(Break.arithmetic, row, "balance after is not balance before plus amount")
            expected_prev, expected_balance = row["hash"], row["balance_after_satang"]
            expected_sequence += 1
            checked += 1
    last = expected_sequence - 1
    if head.entry_count != last or head.head_hash != expected_prev or head.entries_found != last:
        detail = (
            f"the account claims {head.entry_count} entries ending in {head.head_hash[:12]}…; "
            f"the chain has {last}, the table {head.entries_found}"
        )
        return ChainReport(checked, BrokenLink(head.id, Break.head_mismatch, last or None, None, detail))
    if head.balance_satang != expected_balance or head.balance_satang != head.entries_total_satang:
        detail = f"stored balance {head.balance_satang} ≠ sum of entries {head.entries_total_satang}"
        return ChainReport(checked, BrokenLink(head.id, Break.stored_balance_mismatch, None, None, detail))
    return ChainReport(checked, None)
