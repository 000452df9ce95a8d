"""Auditing a fund's ledger: every chain recomputed, every stored balance against its entries, every
transfer against zero. The verify endpoint and the reconciliation job run the same checks."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass

from services.funds.ledger import repository
from services.funds.ledger.chain import AccountHead, verify_account
from services.funds.ledger.models import GENESIS_HASH, AccountPurpose
from services.funds.reads import Reader


@dataclass(frozen=True)
class Problem:
    account: AccountPurpose | None
    problem: str
    sequence: int | None
    transfer_id: uuid.UUID | None
    detail: str


@dataclass(frozen=True)
class Verification:
    owner_id: uuid.UUID
    entries_checked: int
    head_hash: str
    problems: list[Problem]

    @property
    def verified(self) -> bool:
        return not self.problems


_running: dict[uuid.UUID, asyncio.Task[Verification]] = {}


async def verify_owner_shared(reader: Reader, owner_id: uuid.UUID) -> Verification:
    """`verify_owner` for the public endpoint: callers asking while one owner's verification runs share it
    rather than each start another, so anonymous calls cannot pile full scans of one large ledger onto the
    database. The shared run started at most one run's length before the caller asked."""
    task = _running.get(owner_id)
    if task is None or task.done():  # a finished run is not shared: it may predate the call
        task = _running[owner_id] = asyncio.create_task(verify_owner(reader, owner_id))
        task.add_done_callback(lambda done: _forget(owner_id, done))
    return await asyncio.shield(task)  # one caller giving up does not stop it for the others


def _forget(owner_id: uuid.UUID, done: asyncio.Task[Verification]) -> None:
    if _running.get(owner_id) is done:  # a later run may have taken its place already
        del _running[owner_id]


async def verify_owner(reader: Reader, owner_id: uuid.UUID) -> Verification:
    """Recompute the chains of the owner's accounts (holdings first) and check its transfers sum to zero."""
    heads = [AccountHead(**dict(row)) for row in await repository.account_heads(reader, owner_id)]
    problems: list[Problem] = []
    checked = 0
    for head in heads:
        report = await verify_account(reader, head)
        checked += report.entries_checked
        if report.first_broken_link is not None:
            link = report.first_broken_link
            problems.append(
                Problem(
                    AccountPurpose(head.purpose),
                    link.problem.value,
                    link.sequence,
                    link.transfer_id,
                    link.detail,
                )
            )
    for row in await repository.unbalanced_transfers(reader, [head.id for head in heads]):
        detail = f"its {row['legs']} entries sum to {row['total']}, not 0"
        problems.append(Problem(None, "unbalanced_transfer", None, row["transfer_id"], detail))
    holdings = next((head for head in heads if head.purpose == AccountPurpose.holdings), None)
    return Verification(owner_id, checked, holdings.head_hash if holdings else GENESIS_HASH, problems)
