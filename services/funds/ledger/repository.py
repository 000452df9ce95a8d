"""Every query of the ledger, built from its tables: the read side (public ledger, chain verification, audit)
on the lean reader, each statement compiled once; the posting side on the request's session, with the lock
order every money path takes (accounts in id order)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from functools import cache
from typing import TYPE_CHECKING, Any, TypeAlias

import asyncpg
from sqlalchemy import (
    BigInteger,
    ColumnElement,
    String,
    Uuid,
    any_,
    bindparam,
    cast,
    column,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.types import TypeEngine

from services.common.db import CompiledStatement
from services.funds.ledger.models import ACCOUNTS, ENTRIES, TRANSFERS, AccountPurpose
from services.funds.reads import Reader, ReaderStatement

if TYPE_CHECKING:
    from sqlalchemy import Row

AnyRow: TypeAlias = "Row[*tuple[Any, ...]]"
_REVERSAL = TRANSFERS.alias("r")
# an entry's place in its account's chain: every field its hash covers, but the transfer's
_LINK = (
    ENTRIES.c.sequence,
    ENTRIES.c.transfer_id,
    ENTRIES.c.amount_satang,
    ENTRIES.c.balance_before_satang,
    ENTRIES.c.balance_after_satang,
    ENTRIES.c.counterparty_kind,
    ENTRIES.c.counterparty_name,
    ENTRIES.c.posted_at,
    ENTRIES.c.prev_hash,
    ENTRIES.c.hash,
)
_TRANSFER = (TRANSFERS.c.kind, TRANSFERS.c.memo, TRANSFERS.c.reverses_transfer_id)


def _entries(*columns: Any, up_to: bool) -> ReaderStatement:
    """An account's entries after :after (to :up_to when asked) with their transfer, :limit at most."""
    window = [ENTRIES.c.account_id == bindparam("account_id"), ENTRIES.c.sequence > bindparam("after")]
    if up_to:
        window.append(ENTRIES.c.sequence <= bindparam("up_to"))
    return ReaderStatement(
        select(*columns, *_LINK, *_TRANSFER)
        .join_from(ENTRIES, TRANSFERS, TRANSFERS.c.id == ENTRIES.c.transfer_id)
        .where(*window)
        .order_by(ENTRIES.c.sequence)
        .limit(bindparam("limit"))
    )


_PUBLIC_ENTRIES = _entries(
    ENTRIES.c.account_id,
    select(_REVERSAL.c.id)
    .where(_REVERSAL.c.reverses_transfer_id == ENTRIES.c.transfer_id)
    .scalar_subquery()
    .label("reversed_by_transfer_id"),
    up_to=False,
)
_CHAIN_LINKS = _entries(up_to=True)

# one statement, one snapshot: a transfer posted meanwhile is either wholly in it or wholly out of it
_HEADS = ReaderStatement(
    select(
        ACCOUNTS.c.id,
        ACCOUNTS.c.purpose,
        ACCOUNTS.c.entry_count,
        ACCOUNTS.c.head_hash,
        ACCOUNTS.c.balance_satang,
        func.count(ENTRIES.c.sequence).label("entries_found"),
        cast(func.coalesce(func.sum(ENTRIES.c.amount_satang), 0), BigInteger).label("entries_total_satang"),
    )
    .join_from(ACCOUNTS, ENTRIES, ENTRIES.c.account_id == ACCOUNTS.c.id, isouter=True)
    .where(ACCOUNTS.c.owner_id == bindparam("owner_id"))
    .group_by(ACCOUNTS.c.id)
    .order_by(ACCOUNTS.c.purpose != AccountPurpose.holdings.value, ACCOUNTS.c.purpose)
)

_TOUCHED = (
    select(ENTRIES.c.transfer_id)
    .distinct()
    .where(ENTRIES.c.account_id == any_(bindparam("account_ids", type_=ARRAY(Uuid))))
    .subquery("x")
)
_LEG = ENTRIES.alias("e")
_LEGS_TOTAL = func.sum(_LEG.c.amount_satang)
_UNBALANCED = ReaderStatement(
    select(
        _TOUCHED.c.transfer_id,
        cast(_LEGS_TOTAL, BigInteger).label("total"),
        func.count().label("legs"),
    )
    .join_from(_TOUCHED, _LEG, _LEG.c.transfer_id == _TOUCHED.c.transfer_id)
    .group_by(_TOUCHED.c.transfer_id)
    .having(or_(_LEGS_TOTAL != 0, func.count() < 2))
    .order_by(_TOUCHED.c.transfer_id)
)


async def public_entries(
    reader: Reader, account_id: uuid.UUID, *, after: int, limit: int
) -> list[asyncpg.Record]:
    """Up to `limit` entries after sequence `after`, with their transfer and the transfer reversing it."""
    return await _PUBLIC_ENTRIES.read(reader, account_id=account_id, after=after, limit=limit)


async def chain_links(
    reader: Reader, account_id: uuid.UUID, *, after: int, up_to: int, limit: int
) -> list[asyncpg.Record]:
    """Up to `limit` entries in (`after`, `up_to`] with every field their hash covers."""
    return await _CHAIN_LINKS.read(reader, account_id=account_id, after=after, up_to=up_to, limit=limit)


async def account_heads(reader: Reader, owner_id: uuid.UUID) -> list[asyncpg.Record]:
    """The owner's accounts (holdings first) as stored, with the count and sum of their entries."""
    return await _HEADS.read(reader, owner_id=owner_id)


async def unbalanced_transfers(reader: Reader, account_ids: list[uuid.UUID]) -> list[asyncpg.Record]:
    """Transfers touching these accounts whose legs do not sum to zero or are fewer than two."""
    return await _UNBALANCED.read(reader, account_ids=account_ids)


# -- the posting side: the request's session -----------------------------------------------------------------
async def insert_accounts(session: AsyncSession, rows: Sequence[Mapping[str, Any]]) -> None:
    await session.execute(insert(ACCOUNTS), list(rows))


# each leg's entry and its account's new balance, reserve, count and head: one statement over the legs
_LEG_COLUMNS: dict[str, TypeEngine[Any]] = {
    "account_id": Uuid(),
    "sequence": BigInteger(),
    "amount_satang": BigInteger(),
    "balance_before_satang": BigInteger(),
    "balance_after_satang": BigInteger(),
    "counterparty_kind": String(),
    "counterparty_name": String(),
    "prev_hash": String(),
    "hash": String(),
    "reserved_satang": BigInteger(),
}
_LEGS = select(
    func.unnest(*(bindparam(name, type_=ARRAY(type_)) for name, type_ in _LEG_COLUMNS.items()))
    .table_valued(*(column(name, type_) for name, type_ in _LEG_COLUMNS.items()))
    .render_derived(name="leg")
).cte("legs")
_APPENDED = insert(ENTRIES).from_select(
    [entry.name for entry in ENTRIES.c],
    select(
        *(
            _LEGS.c[entry.name] if entry.name in _LEG_COLUMNS else bindparam(entry.name, type_=entry.type)
            for entry in ENTRIES.c
        )
    ),
)
# the transfer's columns as the statement binds them: its id and time are its entries' too
_TRANSFER_BINDS = {column.name: f"transfer_{column.name}" for column in TRANSFERS.c} | {
    "id": "transfer_id",
    "posted_at": "posted_at",
}
_APPEND = CompiledStatement(
    update(ACCOUNTS)
    .where(ACCOUNTS.c.id == _LEGS.c.account_id)
    .values(
        balance_satang=_LEGS.c.balance_after_satang,
        reserved_satang=_LEGS.c.reserved_satang,
        entry_count=_LEGS.c.sequence,
        head_hash=_LEGS.c.hash,
        revision=ACCOUNTS.c.revision + 1,
    )
    .add_cte(_APPENDED.cte("appended"))
    .add_cte(  # the transfer's row, which its entries name (checked at the statement's end)
        insert(TRANSFERS)
        .values({column.name: bindparam(_TRANSFER_BINDS[column.name]) for column in TRANSFERS.c})
        .cte("transfer")
    )
)


@dataclass(frozen=True)
class LockedAccount:
    id: uuid.UUID
    owner_id: uuid.UUID
    purpose: str
    allow_negative: bool
    balance_satang: int
    reserved_satang: int
    entry_count: int
    head_hash: str


@cache
def _lock_legs(count: int) -> CompiledStatement:
    pairs = [
        (ACCOUNTS.c.owner_id == bindparam(f"owner_{n}")) & (ACCOUNTS.c.purpose == bindparam(f"purpose_{n}"))
        for n in range(count)
    ]
    columns = [ACCOUNTS.c[field.name] for field in fields(LockedAccount)]
    return CompiledStatement(select(*columns).where(or_(*pairs)).order_by(ACCOUNTS.c.id).with_for_update())


async def lock_legs(session: AsyncSession, keys: Sequence[tuple[uuid.UUID, str]]) -> list[LockedAccount]:
    """The accounts of these (owner, purpose) pairs, locked in account id order: the one order every posting
    takes them in, so two postings over the same accounts queue instead of deadlocking."""
    params: dict[str, object] = {}
    for n, (owner_id, purpose) in enumerate(keys):
        params |= {f"owner_{n}": owner_id, f"purpose_{n}": purpose}
    rows = await _lock_legs(len(keys)).fetch(session, **params)
    return [LockedAccount(**dict(row)) for row in rows]


async def lock_owners(session: AsyncSession, owner_ids: Iterable[uuid.UUID]) -> None:
    """Every account of these owners, locked in the same account id order."""
    await session.execute(
        select(ACCOUNTS.c.id)
        .where(ACCOUNTS.c.owner_id.in_(sorted(owner_ids)))
        .order_by(ACCOUNTS.c.id)
        .with_for_update()
    )


async def append_entries(
    session: AsyncSession, legs: Sequence[Mapping[str, Any]], *, id: uuid.UUID, **transfer: object
) -> None:
    """The transfer's row (`id` and its other columns), each leg's entry (one per account) and its account's
    new balance, reserve, entry count and head hash (`reserved_satang` and the entry's own fields per leg), in
    one round trip."""
    columns = {name: [leg[name] for leg in legs] for name in _LEG_COLUMNS}
    row = {_TRANSFER_BINDS[name]: value for name, value in {"id": id, **transfer}.items()}
    await _APPEND.fetch(session, **row, **columns)


async def reserve(session: AsyncSession, owner_id: uuid.UUID, amount_satang: int) -> AnyRow | None:
    """One conditional UPDATE: the new balance, reserved and revision, or None when it does not fit."""
    statement = (
        update(ACCOUNTS)
        .where(_holdings(owner_id), ACCOUNTS.c.balance_satang - ACCOUNTS.c.reserved_satang >= amount_satang)
        .values(reserved_satang=ACCOUNTS.c.reserved_satang + amount_satang, revision=ACCOUNTS.c.revision + 1)
        .returning(ACCOUNTS.c.balance_satang, ACCOUNTS.c.reserved_satang, ACCOUNTS.c.revision)
    )
    return (await session.execute(statement)).one_or_none()


async def release(session: AsyncSession, owner_id: uuid.UUID, amount_satang: int) -> None:
    await session.execute(
        update(ACCOUNTS)
        .where(_holdings(owner_id))
        .values(reserved_satang=ACCOUNTS.c.reserved_satang - amount_satang, revision=ACCOUNTS.c.revision + 1)
    )


async def holdings_of(session: AsyncSession, owner_ids: Iterable[uuid.UUID]) -> Sequence[AnyRow]:
    """Each owner's holdings balance, reserved and revision: one indexed row per owner."""
    statement = select(
        ACCOUNTS.c.owner_id, ACCOUNTS.c.balance_satang, ACCOUNTS.c.reserved_satang, ACCOUNTS.c.revision
    ).where(ACCOUNTS.c.owner_id.in_(list(owner_ids)), ACCOUNTS.c.purpose == AccountPurpose.holdings.value)
    return (await session.execute(statement)).all()


async def transfer(session: AsyncSession, transfer_id: uuid.UUID) -> AnyRow | None:
    """A transfer's kind and what asked for it (request type and id)."""
    statement = select(TRANSFERS.c.kind, TRANSFERS.c.request_type, TRANSFERS.c.request_id).where(
        TRANSFERS.c.id == transfer_id
    )
    return (await session.execute(statement)).one_or_none()


async def reversed_by(session: AsyncSession, transfer_id: uuid.UUID) -> uuid.UUID | None:
    found: uuid.UUID | None = await session.scalar(
        select(TRANSFERS.c.id).where(TRANSFERS.c.reverses_transfer_id == transfer_id)
    )
    return found


async def legs_of(session: AsyncSession, transfer_id: uuid.UUID) -> Sequence[AnyRow]:
    """Each entry of a transfer with its account's owner and purpose."""
    statement = (
        select(
            ACCOUNTS.c.owner_id,
            ACCOUNTS.c.purpose,
            ENTRIES.c.amount_satang,
            ENTRIES.c.counterparty_kind,
            ENTRIES.c.counterparty_name,
        )
        .join(ACCOUNTS, ACCOUNTS.c.id == ENTRIES.c.account_id)
        .where(ENTRIES.c.transfer_id == transfer_id)
    )
    return (await session.execute(statement)).all()


def _holdings(owner_id: uuid.UUID) -> ColumnElement[bool]:
    return (ACCOUNTS.c.owner_id == owner_id) & (ACCOUNTS.c.purpose == AccountPurpose.holdings.value)
