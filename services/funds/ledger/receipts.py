"""Receipts: money arriving at an owner (its contributions account → its holdings) posted in one statement.

The same balanced, hash-chained transfer `service.post_transfer` posts, without its round trips: the hot path
of contributions. A receipt can never overdraw, so no check needs Python between locking and writing, and the
whole request fits in the statement: the caller adds its own rows (`AlsoInsert`: the contribution, its event)
and may let the statement claim the request's Idempotency-Key with its answer (`claim`). One statement is one
transaction: the key, the entries, the balances, the rows and the answer commit together or not at all.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from services.common.clock import utcnow
from services.common.reads import Statements, statement
from services.funds.ledger.chain import canonical_time, description_digest, entry_hash_sql
from services.funds.ledger.models import AccountPurpose, TransferKind
from services.funds.ledger.service import PostedEntry, PostedTransfer, UnbalancedTransfer

# What the caller's rows write under: the receipt goes ahead (its accounts exist, and its key was free).
WRITTEN = "EXISTS (SELECT 1 FROM go)"
# What the claim of an Idempotency-Key writes under: the owner has both accounts.
CLAIM_GUARD = "(SELECT count(*) FROM legs) = 2"
# The owner's holdings balance right after the receipt, for the caller's rows and answer.
HOLDINGS_AFTER = "(SELECT after FROM legs WHERE purpose = 'holdings')"

# A receipt in one statement: lock the owner's source and holdings accounts in id order, append one
# hash-chained entry to each, store their new balances, insert the transfer (and the caller's own rows, as
# `{also}`); the entries sum to zero by construction and the deferred trigger rechecks it. `{claim}` (the
# Idempotency-Key's CTE) runs after the locks: two uses of one key queue on the accounts, and the second finds
# the key taken and writes nothing.
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
), {claim}go AS (
    {go}
), transfer AS (
    INSERT INTO funds.ledger_transfers (id, kind, amount_satang, request_type, request_id, posted_at)
    SELECT CAST(:transfer_id AS uuid), CAST(:kind AS varchar), CAST(:amount AS bigint),
           CAST(:request_type AS varchar), CAST(:request_id AS uuid), CAST(:posted_at AS timestamptz)
     WHERE {written}
), entries AS (
    INSERT INTO funds.ledger_entries (account_id, sequence, transfer_id, amount_satang, balance_before_satang,
                                      balance_after_satang, counterparty_kind, counterparty_name, posted_at,
                                      prev_hash, hash)
    SELECT id, sequence, CAST(:transfer_id AS uuid), amount, before, after,
           CAST(:counterparty_kind AS varchar), CAST(:counterparty_name AS varchar),
           CAST(:posted_at AS timestamptz), prev_hash, hash
      FROM legs
     WHERE {written}
), accounts AS (
    UPDATE funds.ledger_accounts AS a
       SET balance_satang = legs.after, entry_count = legs.sequence, head_hash = legs.hash,
           revision = a.revision + 1
      FROM legs
     WHERE a.id = legs.id AND {written}
){also}
SELECT id, purpose, sequence, amount, after, {written} AS written FROM legs
""".replace("{written}", WRITTEN).replace(
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
    """The caller's own rows, written by the receipt's statement: data-modifying CTEs (`name AS (...)`, comma
    separated) that write only `WHERE {WRITTEN}`, and their parameters. They may use the receipt's own
    (:owner_id, :transfer_id, :amount, :posted_at) and `HOLDINGS_AFTER`."""

    sql: str
    params: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Receipt:
    """A receipt about to be posted: its transfer's id and time are known before the statement, so the
    caller's rows and answer can name them."""

    owner_id: uuid.UUID
    source: AccountPurpose
    amount_satang: int
    kind: TransferKind
    counterparty_kind: str | None
    counterparty_name: str | None
    request_type: str
    request_id: uuid.UUID
    transfer_id: uuid.UUID = field(default_factory=uuid.uuid4)
    posted_at: datetime = field(default_factory=utcnow)

    def __post_init__(self) -> None:
        if self.amount_satang <= 0 or self.source == AccountPurpose.holdings:
            raise UnbalancedTransfer("a receipt moves a positive amount from a source account into holdings")

    def params(self) -> dict[str, object]:
        return {
            "owner_id": self.owner_id,
            "source": self.source.value,
            "amount": self.amount_satang,
            "transfer_id": self.transfer_id,
            "kind": self.kind.value,
            "request_type": self.request_type,
            "request_id": self.request_id,
            "posted_at": self.posted_at,
            "posted_text": canonical_time(self.posted_at),
            "counterparty_kind": self.counterparty_kind,
            "counterparty_name": self.counterparty_name,
            # both legs share it: a receipt has no memo, reverses nothing, and names one counterparty
            "description": description_digest(
                kind=self.kind.value,
                memo=None,
                reverses_transfer_id=None,
                counterparty_kind=self.counterparty_kind,
                counterparty_name=self.counterparty_name,
            ),
        }


async def post_receipt(
    reader: Statements,
    receipt: Receipt,
    *,
    also: Sequence[AlsoInsert] = (),
    claim: AlsoInsert | None = None,
) -> PostedTransfer | None:
    """Post the receipt and the caller's rows in one statement (its own transaction; the caller logs it).
    `claim` is the Idempotency-Key's CTE (`IdempotencyStore.claim_cte` guarded by `CLAIM_GUARD`) with its
    parameters: None is returned, and nothing written, when the key was already taken. LookupError when the
    owner has no such accounts."""
    params = receipt.params()
    for part in (*also, *([claim] if claim else [])):
        params |= part.params
    sql = _RECEIPT_SQL.replace("{claim}", f"{claim.sql},\n" if claim else "")
    sql = sql.replace("{go}", "SELECT 1 FROM idempotency_claim" if claim else f"SELECT 1 WHERE {CLAIM_GUARD}")
    sql = sql.replace("{also}", "".join(f",\n{part.sql}" for part in also))
    rows = await reader.run(statement(sql), params)
    if len(rows) != 2:
        raise LookupError(f"accounts missing for owner {receipt.owner_id}")
    if not rows[0]["written"]:
        return None
    entries = tuple(
        PostedEntry(
            receipt.owner_id,
            AccountPurpose(row["purpose"]),
            row["id"],
            row["sequence"],
            row["amount"],
            row["after"],
            receipt.counterparty_kind,
            receipt.counterparty_name,
        )
        for row in rows
    )
    return PostedTransfer(
        receipt.transfer_id, receipt.kind, receipt.amount_satang, receipt.posted_at, entries
    )
