"""A ledger anyone can audit: the database refuses edits and unbalanced transfers, and an edit made by
someone who gets past that (here: an administrator who switches the guard off) is found by the verify
endpoint and by the reconciliation job, which announces it."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import asyncpg
import httpx
import pytest
from arq import create_pool
from arq.connections import ArqRedis, RedisSettings

from services.funds.ledger import audit
from services.funds.reads import Reader
from tests.funds.conftest import FundsClient, People
from tests.stackrunner import RunningStack


@pytest.fixture
async def arq_redis(stack: RunningStack) -> AsyncIterator[ArqRedis]:
    pool = await create_pool(RedisSettings.from_dsn(stack.state["redis_url"]))
    yield pool
    await pool.aclose()


async def holdings_of(database: asyncpg.Connection, fund_id: str) -> uuid.UUID:
    account: uuid.UUID = await database.fetchval(
        "SELECT id FROM funds.ledger_accounts WHERE owner_id = $1 AND purpose = 'holdings'",
        uuid.UUID(fund_id),
    )
    return account


async def tamper(database: asyncpg.Connection, account_id: uuid.UUID, sequence: int, add: int) -> None:
    """Change one entry's amount (keeping its own arithmetic right) past the append-only guard."""
    async with database.transaction():
        await database.execute("ALTER TABLE funds.ledger_entries DISABLE TRIGGER ledger_entries_append_only")
        await database.execute(
            "UPDATE funds.ledger_entries SET amount_satang = amount_satang + $3,"
            " balance_after_satang = balance_after_satang + $3 WHERE account_id = $1 AND sequence = $2",
            account_id,
            sequence,
            add,
        )
        await database.execute("ALTER TABLE funds.ledger_entries ENABLE TRIGGER ledger_entries_append_only")


async def test_the_database_refuses_to_change_or_delete_an_entry(
    funds: FundsClient, person: People, database: asyncpg.Connection
) -> None:
    recorder = await person("demo-provincial-93")
    fund = await funds.open(recorder, committee=[])
    await funds.contribute(recorder, fund["id"], 1_000)
    account = await holdings_of(database, fund["id"])

    with pytest.raises(asyncpg.exceptions.RestrictViolationError, match="append-only"):
        await database.execute(
            "UPDATE funds.ledger_entries SET counterparty_name = 'x' WHERE account_id = $1", account
        )
    with pytest.raises(asyncpg.exceptions.RestrictViolationError, match="append-only"):
        await database.execute(
            "DELETE FROM funds.ledger_transfers"
            " WHERE id IN (SELECT transfer_id FROM funds.ledger_entries WHERE account_id = $1)",
            account,
        )


async def test_the_database_refuses_a_transfer_that_does_not_sum_to_zero(
    funds: FundsClient, person: People, database: asyncpg.Connection
) -> None:
    recorder = await person("demo-provincial-93")
    fund = await funds.open(recorder, committee=[])
    account = await holdings_of(database, fund["id"])
    transfer = uuid.uuid4()

    transaction = database.transaction()
    await transaction.start()
    await database.execute(
        "INSERT INTO funds.ledger_transfers (id, kind, amount_satang, posted_at)"
        " VALUES ($1, 'contribution', 500, now())",
        transfer,
    )
    await database.execute(
        "INSERT INTO funds.ledger_entries (account_id, sequence, transfer_id, amount_satang,"
        " balance_before_satang, balance_after_satang, posted_at, prev_hash, hash)"
        " VALUES ($1, 1, $2, 500, 0, 500, now(), repeat('0', 64), repeat('1', 64))",
        account,
        transfer,
    )
    with pytest.raises(asyncpg.exceptions.CheckViolationError, match="does not balance"):
        await transaction.commit()
    assert (await funds.fund(fund["id"]))["balance_satang"] == 0


async def test_the_database_refuses_a_holdings_account_reserving_more_than_it_holds(
    funds: FundsClient, person: People, database: asyncpg.Connection
) -> None:
    recorder = await person("demo-provincial-93")
    fund = await funds.open(recorder, committee=[])
    await funds.contribute(recorder, fund["id"], 1_000)
    account = await holdings_of(database, fund["id"])

    with pytest.raises(
        asyncpg.exceptions.CheckViolationError, match="would hold 1000 satang with 1001 reserved"
    ):
        await database.execute(
            "UPDATE funds.ledger_accounts SET reserved_satang = 1001 WHERE id = $1", account
        )
    await database.execute("UPDATE funds.ledger_accounts SET reserved_satang = 1000 WHERE id = $1", account)
    await database.execute("UPDATE funds.ledger_accounts SET reserved_satang = 0 WHERE id = $1", account)


async def test_an_entry_edited_in_sql_is_caught_by_verify_and_by_the_reconciliation_job(
    stack: RunningStack,
    gateway: httpx.AsyncClient,
    funds: FundsClient,
    person: People,
    database: asyncpg.Connection,
    arq_redis: ArqRedis,
) -> None:
    recorder = await person("demo-provincial-93")
    fund = await funds.open(recorder, committee=[])
    for amount in (10_000, 20_000, 30_000):
        await funds.contribute(recorder, fund["id"], amount)
    assert (await funds.verify(fund["id"]))["verified"] is True

    await tamper(database, await holdings_of(database, fund["id"]), sequence=2, add=100_000)
    verification = await funds.verify(fund["id"])
    job = await arq_redis.enqueue_job("reconcile_ledgers", _queue_name="khabuan:funds:queue")
    assert job is not None
    result = await job.result(timeout=120)

    assert verification["verified"] is False
    broken = verification["first_broken_link"]
    assert (broken["account"], broken["sequence"], broken["problem"]) == ("holdings", 2, "hash_mismatch")
    assert fund["id"] in result["failing_funds"]
    announced = await database.fetch(
        "SELECT data FROM funds.outbox WHERE type = 'fund.reconciliation.failed' AND aggregate_id = $1",
        fund["id"],
    )
    assert announced, "the job recorded no fund.reconciliation.failed event"
    async with httpx.AsyncClient() as client:
        metrics = (await client.get(stack.state["worker_metrics"]["funds-worker"])).text
    failing = next(
        line
        for line in metrics.splitlines()
        if line.startswith("khabuan_funds_reconciliation_failing_funds ")
    )
    assert float(failing.split()[1]) >= 1


@pytest.mark.parametrize(
    ("table", "assignment"),
    [
        ("ledger_entries", "counterparty_name = 'บริษัทของฉัน'"),
        ("ledger_entries", "counterparty_kind = 'fund'"),
        ("ledger_transfers", "memo = 'ค่าอาหาร'"),
        ("ledger_transfers", "kind = 'disbursement'"),
    ],
)
async def test_an_edit_to_any_descriptive_field_breaks_the_chain(
    table: str,
    assignment: str,
    funds: FundsClient,
    person: People,
    database: asyncpg.Connection,
    arq_redis: ArqRedis,
) -> None:
    recorder = await person("demo-provincial-93")
    fund = await funds.open(recorder, committee=[])
    await funds.contribute(recorder, fund["id"], 10_000, kind="partner", name="สำนักงานพัฒนาชุมชนจังหวัด")
    account = await holdings_of(database, fund["id"])
    trigger = f"{table}_append_only"
    async with database.transaction():
        await database.execute(f"ALTER TABLE funds.{table} DISABLE TRIGGER {trigger}")
        where = (
            "account_id = $1"
            if table == "ledger_entries"
            else ("id IN (SELECT transfer_id FROM funds.ledger_entries WHERE account_id = $1)")
        )
        await database.execute(f"UPDATE funds.{table} SET {assignment} WHERE {where}", account)
        await database.execute(f"ALTER TABLE funds.{table} ENABLE TRIGGER {trigger}")

    verification = await funds.verify(fund["id"])
    job = await arq_redis.enqueue_job("reconcile_ledgers", _queue_name="khabuan:funds:queue")
    assert job is not None
    result = await job.result(timeout=120)

    assert verification["verified"] is False
    assert verification["first_broken_link"]["problem"] == "hash_mismatch"
    assert fund["id"] in result["failing_funds"]


async def test_callers_verifying_one_ledger_at_once_share_one_run_and_a_later_caller_starts_another(
    funds: FundsClient, person: People, stack: RunningStack, monkeypatch: pytest.MonkeyPatch
) -> None:
    recorder = await person("demo-provincial-93")
    fund = await funds.open(recorder, committee=[])
    for amount in (1_000, 2_000, 3_000):
        await funds.contribute(recorder, fund["id"], amount)
    runs: list[uuid.UUID] = []
    verify_owner = audit.verify_owner

    async def counted(reader: Reader, owner_id: uuid.UUID) -> audit.Verification:
        runs.append(owner_id)
        return await verify_owner(reader, owner_id)

    monkeypatch.setattr(audit, "verify_owner", counted)
    pool = await asyncpg.create_pool(stack.state["database_url"], min_size=1, max_size=4)
    try:
        reader = Reader(pool)
        owner = uuid.UUID(fund["id"])
        together = await asyncio.gather(*(audit.verify_owner_shared(reader, owner) for _ in range(5)))
        later = await audit.verify_owner_shared(reader, owner)
    finally:
        await pool.close()

    assert len(runs) == 2
    assert {(v.verified, v.entries_checked, v.head_hash) for v in [*together, later]} == {
        (True, 6, together[0].head_hash)
    }
