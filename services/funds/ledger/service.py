"""Posting to the ledger: the one door every money-moving domain goes through.

Rules held here: a transfer has at least two legs and sums to zero (the database checks it again at
commit); accounts are locked with SELECT … FOR UPDATE in id order, so two transfers over the same accounts
queue instead of deadlocking; a holdings account never goes below what is reserved on it; each account's
balance is updated in the same transaction as its entries, so a balance is read in O(1); a reservation is one
conditional UPDATE, so concurrent approvals can never reserve more than is there.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypedDict, Unpack

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from services.common.clock import utcnow
from services.common.money import MAX_BALANCE_SATANG
from services.funds.ledger import repository
from services.funds.ledger.chain import description_digest, entry_hash
from services.funds.ledger.models import AccountPurpose, TransferKind
from services.funds.problems import BalanceOutOfRange, InsufficientFunds, NotReversible

log = structlog.get_logger()

# whether an account may go below zero: a source is negative by nature, the others never
_ALLOW_NEGATIVE = {
    AccountPurpose.holdings: False,
    AccountPurpose.contributions: True,
    AccountPurpose.payouts: True,
}


@dataclass(frozen=True)
class Leg:
    """One side of a transfer: + money into the account, − money out of it."""

    owner_id: uuid.UUID
    purpose: AccountPurpose
    amount_satang: int
    counterparty_kind: str | None = None
    counterparty_name: str | None = None
    release_reserved_satang: int = 0  # a payment spends what its approval reserved


@dataclass(frozen=True)
class PostedEntry:
    owner_id: uuid.UUID
    purpose: AccountPurpose
    account_id: uuid.UUID
    sequence: int
    amount_satang: int
    balance_after_satang: int
    counterparty_kind: str | None
    counterparty_name: str | None


@dataclass(frozen=True)
class PostedTransfer:
    id: uuid.UUID
    kind: TransferKind
    amount_satang: int
    posted_at: datetime
    entries: tuple[PostedEntry, ...]

    def entry(self, owner_id: uuid.UUID, purpose: AccountPurpose = AccountPurpose.holdings) -> PostedEntry:
        return next(e for e in self.entries if e.owner_id == owner_id and e.purpose == purpose)


@dataclass(frozen=True)
class Balance:
    balance_satang: int
    reserved_satang: int
    revision: int

    @property
    def available_satang(self) -> int:
        return self.balance_satang - self.reserved_satang


class UnbalancedTransfer(ValueError):
    """A programming error: a transfer whose legs do not sum to zero never reaches the database."""


async def open_accounts(session: AsyncSession, owner_id: uuid.UUID) -> None:
    """Create a fund's three accounts (holdings, contributions, payouts), all at zero."""
    now = utcnow()
    rows = [
        {
            "id": uuid.uuid4(),
            "owner_id": owner_id,
            "purpose": purpose.value,
            "allow_negative": allow_negative,
            "created_at": now,
        }
        for purpose, allow_negative in _ALLOW_NEGATIVE.items()
    ]
    await repository.insert_accounts(session, rows)


@dataclass(frozen=True)
class OpenTransfer:
    """A checked transfer with its id, not written yet: `post` writes it with its entries."""

    id: uuid.UUID
    kind: TransferKind
    amount_satang: int
    legs: tuple[Leg, ...]
    memo: str | None
    request_type: str | None
    request_id: uuid.UUID | None
    reverses_transfer_id: uuid.UUID | None


class TransferDetails(TypedDict, total=False):
    memo: str | None  # public: a purpose, a reason
    request_type: str | None  # what asked for it (contribution, disbursement, reversal) and its id
    request_id: uuid.UUID | None
    reverses_transfer_id: uuid.UUID | None


async def post_transfer(
    session: AsyncSession, *, kind: TransferKind, legs: Sequence[Leg], **details: Unpack[TransferDetails]
) -> PostedTransfer:
    """Post one balanced transfer: `open_transfer`, then `post`."""
    return await post(session, open_transfer(kind=kind, legs=legs, **details))


def open_transfer(
    *, kind: TransferKind, legs: Sequence[Leg], **details: Unpack[TransferDetails]
) -> OpenTransfer:
    """Check a transfer's legs and give it its id: rows that name it (a contribution's, whose foreign key is
    checked at commit) can be written before `post` locks its accounts, so they stay locked for less time."""
    _check_balanced(legs)
    return OpenTransfer(
        id=uuid.uuid4(),
        kind=kind,
        amount_satang=sum(leg.amount_satang for leg in legs if leg.amount_satang > 0),
        legs=tuple(legs),
        memo=details.get("memo"),
        request_type=details.get("request_type"),
        request_id=details.get("request_id"),
        reverses_transfer_id=details.get("reverses_transfer_id"),
    )


async def post(session: AsyncSession, transfer: OpenTransfer) -> PostedTransfer:
    """Lock the transfer's accounts in id order, check them, then write the transfer, dated now (along each
    account's chain time never runs backwards), with one hash-chained entry per leg and the new balances: one
    round trip after the lock. Raises InsufficientFunds when a holdings account would go below what is
    reserved on it."""
    keys = [(leg.owner_id, leg.purpose.value) for leg in transfer.legs]
    locked = await repository.lock_legs(session, keys)
    posted_at = utcnow()
    accounts = {(row.owner_id, row.purpose): row for row in locked}
    if len(accounts) != len(keys):
        raise LookupError(f"accounts missing for {sorted(set(keys) - set(accounts))}")
    appended, posted = [], []
    for leg in sorted(transfer.legs, key=lambda leg: accounts[(leg.owner_id, leg.purpose.value)].id):
        account = accounts[(leg.owner_id, leg.purpose.value)]
        entry = _entry(transfer, posted_at, leg, account)
        appended.append(entry)
        posted.append(
            PostedEntry(
                leg.owner_id,
                leg.purpose,
                account.id,
                entry["sequence"],
                leg.amount_satang,
                entry["balance_after_satang"],
                leg.counterparty_kind,
                leg.counterparty_name,
            )
        )
    await repository.append_entries(
        session,
        appended,
        id=transfer.id,
        kind=transfer.kind.value,
        amount_satang=transfer.amount_satang,
        memo=transfer.memo,
        request_type=transfer.request_type,
        request_id=transfer.request_id,
        reverses_transfer_id=transfer.reverses_transfer_id,
        posted_at=posted_at,
    )
    log.info(
        "ledger.transfer_posted",
        transfer_id=str(transfer.id),
        kind=transfer.kind.value,
        amount_satang=transfer.amount_satang,
    )
    return PostedTransfer(transfer.id, transfer.kind, transfer.amount_satang, posted_at, tuple(posted))


def _entry(
    transfer: OpenTransfer, posted_at: datetime, leg: Leg, account: repository.LockedAccount
) -> dict[str, Any]:
    """The leg's entry on its locked account, chained to the account's head, and the reserve it leaves."""
    balance = account.balance_satang + leg.amount_satang
    reserved = account.reserved_satang - leg.release_reserved_satang
    if reserved < 0:
        raise ValueError(f"releasing more than is reserved on account {account.id}")
    if abs(balance) > MAX_BALANCE_SATANG:
        raise BalanceOutOfRange(fund_id=leg.owner_id, amount=leg.amount_satang)
    if not account.allow_negative and balance < reserved:
        raise InsufficientFunds(
            fund_id=leg.owner_id,
            available=account.balance_satang - account.reserved_satang,
            amount=-leg.amount_satang,
        )
    sequence = account.entry_count + 1
    digest = entry_hash(
        account.head_hash,
        account_id=account.id,
        sequence=sequence,
        transfer_id=transfer.id,
        amount_satang=leg.amount_satang,
        balance_before_satang=account.balance_satang,
        balance_after_satang=balance,
        posted_at=posted_at,
        description=description_digest(
            kind=transfer.kind.value,
            memo=transfer.memo,
            reverses_transfer_id=transfer.reverses_transfer_id,
            counterparty_kind=leg.counterparty_kind,
            counterparty_name=leg.counterparty_name,
        ),
    )
    return {
        "account_id": account.id,
        "sequence": sequence,
        "amount_satang": leg.amount_satang,
        "balance_before_satang": account.balance_satang,
        "balance_after_satang": balance,
        "counterparty_kind": leg.counterparty_kind,
        "counterparty_name": leg.counterparty_name,
        "prev_hash": account.head_hash,
        "hash": digest,
        "reserved_satang": reserved,
    }


def _check_balanced(legs: Sequence[Leg]) -> None:
    if len(legs) < 2:
        raise UnbalancedTransfer("a transfer needs at least two legs")
    if any(leg.amount_satang == 0 for leg in legs):
        raise UnbalancedTransfer("a leg of zero moves nothing")
    if sum(leg.amount_satang for leg in legs) != 0:
        raise UnbalancedTransfer("the legs of a transfer must sum to zero")
    if len({(leg.owner_id, leg.purpose) for leg in legs}) != len(legs):
        raise UnbalancedTransfer("each account appears once in a transfer")


async def reserve(session: AsyncSession, owner_id: uuid.UUID, amount_satang: int) -> Balance:
    """Set `amount_satang` aside on the owner's holdings, in one conditional UPDATE: of many concurrent
    reservations exactly those that fit succeed. Raises InsufficientFunds (and changes nothing) otherwise."""
    row = await repository.reserve(session, owner_id, amount_satang)
    if row is None:
        current = await balances(session, [owner_id])
        raise InsufficientFunds(
            fund_id=owner_id, available=current[owner_id].available_satang, amount=amount_satang
        )
    return Balance(row.balance_satang, row.reserved_satang, row.revision)


async def release(session: AsyncSession, owner_id: uuid.UUID, amount_satang: int) -> None:
    """Give back a reservation (a rejected or cancelled approval)."""
    await repository.release(session, owner_id, amount_satang)


async def balances(session: AsyncSession, owner_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, Balance]:
    """The holdings balance of each owner: one indexed read per owner, whatever the ledger's size."""
    rows = await repository.holdings_of(session, owner_ids)
    return {row.owner_id: Balance(row.balance_satang, row.reserved_satang, row.revision) for row in rows}


async def reversal_legs(session: AsyncSession, transfer_id: uuid.UUID) -> list[Leg]:
    """The legs that undo a transfer as a whole: every entry negated. Refuses a transfer that was already
    reversed or that is itself a reversal (post a new transfer instead)."""
    transfer = await repository.transfer(session, transfer_id)
    if transfer is None:
        raise LookupError(transfer_id)
    if transfer.kind == TransferKind.reversal.value:
        raise NotReversible.of_a_reversal()
    reversed_already = await repository.reversed_by(session, transfer_id)
    if reversed_already is not None:
        raise NotReversible.already_reversed(reversed_already)
    rows = await repository.legs_of(session, transfer_id)
    return [
        Leg(
            row.owner_id,
            AccountPurpose(row.purpose),
            -row.amount_satang,
            row.counterparty_kind,
            row.counterparty_name,
        )
        for row in rows
    ]


async def requested_by(session: AsyncSession, transfer_id: uuid.UUID) -> tuple[str | None, uuid.UUID | None]:
    """What asked for a transfer: its request's type (contribution, disbursement, reversal) and id."""
    row = await repository.transfer(session, transfer_id)
    if row is None:
        raise LookupError(transfer_id)
    return row.request_type, row.request_id


async def lock_accounts(session: AsyncSession, owner_ids: Iterable[uuid.UUID]) -> None:
    """Lock every account of these owners in account id order, the order every posting takes them in: for a
    change that goes on to touch some of them after rows a posting takes later (the fund's, its events')."""
    await repository.lock_owners(session, owner_ids)


async def receivers_of(session: AsyncSession, transfer_id: uuid.UUID) -> set[uuid.UUID]:
    """The owners a transfer gave money to (an entry of theirs is positive): undoing it takes it back out."""
    return {row.owner_id for row in await repository.legs_of(session, transfer_id) if row.amount_satang > 0}


async def owners_of(session: AsyncSession, transfer_id: uuid.UUID) -> set[uuid.UUID]:
    """The owners (funds) whose accounts a transfer touched."""
    return {row.owner_id for row in await repository.legs_of(session, transfer_id)}
