"""Every query of the ledger's read side (public ledger, chain verification, audit), built from the tables
and run on the lean read path: each statement is compiled once to the `Reader`'s asyncpg SQL."""

from __future__ import annotations

import uuid

import asyncpg
from sqlalchemy import BigInteger, Uuid, any_, bindparam, cast, func, or_, select
from sqlalchemy.dialects.postgresql import ARRAY

from services.funds.ledger.models import ACCOUNTS, ENTRIES, TRANSFERS, AccountPurpose
from services.funds.reads import Reader, ReaderStatement

_REVERSAL = TRANSFERS.alias("r")
_PUBLIC_ENTRIES = ReaderStatement(
    select(
        ENTRIES.c.account_id,
        ENTRIES.c.sequence,
        ENTRIES.c.transfer_id,
        TRANSFERS.c.kind,
        TRANSFERS.c.memo,
        TRANSFERS.c.reverses_transfer_id,
        select(_REVERSAL.c.id)
        .where(_REVERSAL.c.reverses_transfer_id == ENTRIES.c.transfer_id)
        .scalar_subquery()
        .label("reversed_by_transfer_id"),
        ENTRIES.c.amount_satang,
        ENTRIES.c.balance_before_satang,
        ENTRIES.c.balance_after_satang,
        ENTRIES.c.counterparty_kind,
        ENTRIES.c.counterparty_name,
        ENTRIES.c.posted_at,
        ENTRIES.c.prev_hash,
        ENTRIES.c.hash,
    )
    .join_from(ENTRIES, TRANSFERS, TRANSFERS.c.id == ENTRIES.c.transfer_id)
    .where(ENTRIES.c.account_id == bindparam("account_id"), ENTRIES.c.sequence > bindparam("after"))
    .order_by(ENTRIES.c.sequence)
    .limit(bindparam("limit"))
)

_CHAIN_LINKS = ReaderStatement(
    select(
        ENTRIES.c.sequence,
        ENTRIES.c.transfer_id,
        ENTRIES.c.amount_satang,
        ENTRIES.c.balance_before_satang,
        ENTRIES.c.balance_after_satang,
        ENTRIES.c.posted_at,
        ENTRIES.c.prev_hash,
        ENTRIES.c.hash,
        ENTRIES.c.counterparty_kind,
        ENTRIES.c.counterparty_name,
        TRANSFERS.c.kind,
        TRANSFERS.c.memo,
        TRANSFERS.c.reverses_transfer_id,
    )
    .join_from(ENTRIES, TRANSFERS, TRANSFERS.c.id == ENTRIES.c.transfer_id)
    .where(
        ENTRIES.c.account_id == bindparam("account_id"),
        ENTRIES.c.sequence > bindparam("after"),
        ENTRIES.c.sequence <= bindparam("up_to"),
    )
    .order_by(ENTRIES.c.sequence)
    .limit(bindparam("limit"))
)

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
    return await _PUBLIC_ENTRIES.fetch(reader, account_id=account_id, after=after, limit=limit)


async def chain_links(
    reader: Reader, account_id: uuid.UUID, *, after: int, up_to: int, limit: int
) -> list[asyncpg.Record]:
    """Up to `limit` entries in (`after`, `up_to`] with every field their hash covers."""
    return await _CHAIN_LINKS.fetch(reader, account_id=account_id, after=after, up_to=up_to, limit=limit)


async def account_heads(reader: Reader, owner_id: uuid.UUID) -> list[asyncpg.Record]:
    """The owner's accounts (holdings first) as stored, with the count and sum of their entries."""
    return await _HEADS.fetch(reader, owner_id=owner_id)


async def unbalanced_transfers(reader: Reader, account_ids: list[uuid.UUID]) -> list[asyncpg.Record]:
    """Transfers touching these accounts whose legs do not sum to zero or are fewer than two."""
    return await _UNBALANCED.fetch(reader, account_ids=account_ids)
