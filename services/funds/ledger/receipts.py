"""Receipts: money arriving at an owner (its contributions account → its holdings) posted in one statement.

The same balanced, hash-chained transfer `service.post_transfer` posts, without its round trips: the hot path
of contributions. A receipt can never overdraw, so no check needs Python between locking and writing.
"""

from __future__ import annotations

import functools
import uuid
from dataclasses import dataclass

import structlog
from sqlalchemy import TextClause, text
from sqlalchemy.ext.asyncio import AsyncSession

from services.common.clock import utcnow
from services.funds.ledger.chain import canonical_time, description_digest, entry_hash_sql
from services.funds.ledger.models import AccountPurpose, TransferKind
from services.funds.ledger.service import PostedEntry, PostedTransfer, UnbalancedTransfer

log = structlog.get_logger()

# A receipt in one statement: lock the owner's source and holdings accounts in id order, append one
# hash-chained entry to each, store their new balances, insert the transfer (and the caller's own row, the
# contribution, as `{also}`); the entries sum to zero by construction and the deferred trigger rechecks it.
_RECEIPT_SQL = """
WITH locked AS MATERIALIZED (
    SELECT id, purpose, balance_satang, entry_count, head_hash,
           CASE WHEN purpose = 'holdings' THEN 1 ELSE -1 END * CAST(:amount AS bigint) AS amount
      FROM funds.ledger_accounts
     WHERE owner_id = CAST(:owner_id AS uuid) AND purpose IN ('holdings', CAST(:source AS varchar))
     ORDER BY id
       FOR UPDATE
), legs AS (
    SELECT id, purpose, amount, entry_count + 1 AS sequence, balance_satang AS before,
           balance_satang + amount AS after, head_hash AS prev_hash,
           {hash} AS hash
      FROM locked
), transfer AS (
    INSERT INTO funds.ledger_transfers (id, kind, amount_satang, request_type, request_id, posted_at)
    SELECT CAST(:transfer_id AS uuid), CAST(:kind AS varchar), CAST(:amount AS bigint),
           CAST(:request_type AS varchar), CAST(:request_id AS uuid), CAST(:posted_at AS timestamptz)
     WHERE (SELECT count(*) FROM legs) = 2
), entries AS (
    INSERT INTO funds.ledger_entries (account_id, sequence, transfer_id, amount_satang, balance_before_satang,
                                      balance_after_satang, counterparty_kind, counterparty_name, posted_at,
                                      prev_hash, hash)
    SELECT id, sequence, CAST(:transfer_id AS uuid), amount, before, after,
           CAST(:counterparty_kind AS varchar), CAST(:counterparty_name AS varchar),
           CAST(:posted_at AS timestamptz), prev_hash, hash
      FROM legs
     WHERE (SELECT count(*) FROM legs) = 2
), accounts AS (
    UPDATE funds.ledger_accounts AS a
       SET balance_satang = legs.after, entry_count = legs.sequence, head_hash = legs.hash,
           revision = a.revision + 1
      FROM legs
     WHERE a.id = legs.id AND (SELECT count(*) FROM legs) = 2
){also}
SELECT id, purpose, sequence, amount, after FROM legs
""".replace(
    "{hash}",
    entry_hash_sql(
        "head_hash",
        "id",
        "entry_count + 1",
        "CAST(:transfer_id AS uuid)",
        "amount",
        "balance_satang",
        "balance_satang + amount",
        "CAST(:posted_text AS text)",
        "CAST(:description AS text)",
    ),
)


@dataclass(frozen=True)
class AlsoInsert:
    """The caller's own row, written by the receipt's statement: SQL of one data-modifying CTE (guarded by
    `WHERE (SELECT count(*) FROM legs) = 2`, so nothing is written for an owner without accounts) and its
    parameters; it may use the receipt's own (:owner_id, :transfer_id, :amount, :posted_at)."""

    sql: str
    params: dict[str, object]


async def post_receipt(
    session: AsyncSession,
    *,
    owner_id: uuid.UUID,
    source: AccountPurpose,
    amount_satang: int,
    kind: TransferKind,
    counterparty_kind: str | None,
    counterparty_name: str | None,
    request_type: str,
    request_id: uuid.UUID,
    also: AlsoInsert | None = None,
) -> PostedTransfer:
    """Post money arriving at an owner (its `source` account → its holdings) in one statement: the same
    transfer `post_transfer` would post, without its round trips. A receipt can never overdraw, so it only
    fails when the owner has no such accounts (LookupError)."""
    if amount_satang <= 0 or source == AccountPurpose.holdings:
        raise UnbalancedTransfer("a receipt moves a positive amount from a source account into holdings")
    transfer_id, posted_at = uuid.uuid4(), utcnow()
    params: dict[str, object] = {
        "owner_id": owner_id,
        "source": source.value,
        "amount": amount_satang,
        "transfer_id": transfer_id,
        "kind": kind.value,
        "request_type": request_type,
        "request_id": request_id,
        "posted_at": posted_at,
        "posted_text": canonical_time(posted_at),
        "counterparty_kind": counterparty_kind,
        "counterparty_name": counterparty_name,
        # both legs share it: a receipt has no memo, reverses nothing, and names one counterparty
        "description": description_digest(
            kind=kind.value,
            memo=None,
            reverses_transfer_id=None,
            counterparty_kind=counterparty_kind,
            counterparty_name=counterparty_name,
        ),
    }
    if also is not None:
        params |= also.params
    rows = (await session.execute(_receipt_statement(also.sql if also else ""), params)).all()
    if len(rows) != 2:
        raise LookupError(f"accounts missing for owner {owner_id}")
    entries = tuple(
        PostedEntry(
            owner_id,
            AccountPurpose(row.purpose),
            row.id,
            row.sequence,
            row.amount,
            row.after,
            counterparty_kind,
            counterparty_name,
        )
        for row in rows
    )
    log.info(
        "ledger.transfer_posted", transfer_id=str(transfer_id), kind=kind.value, amount_satang=amount_satang
    )
    return PostedTransfer(transfer_id, kind, amount_satang, posted_at, entries)


@functools.cache
def _receipt_statement(also_sql: str) -> TextClause:
    # built once per caller: parsing a statement this size for its parameters costs more than running it
    return text(_RECEIPT_SQL.replace("{also}", f", also AS ({also_sql})" if also_sql else ""))
