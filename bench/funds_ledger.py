"""(f) The funds ledger: contributions posted per second against pgbench, and the balance read whatever the
ledger's size.

Contributions: `POST /v1/funds/{id}/contributions` on the funds service's own port, as `demo-provincial-93`,
a fresh Idempotency-Key per request (a run prefix and a counter, made in wrk's Lua), 8 connections, one
balanced transfer each. Spread over 1,000 funds the baseline is pgbench's built-in tpcb-like script; on one
hot fund it is a `-f` script doing tpcb-like's statements on one account, teller and branch row. pgbench runs
on the stack's PostgreSQL (its tables in a database of their own), 8 clients, one thread, the same warm-up and
measured durations as wrk, right after the contributions it is compared with. The benchmark starts and stops
a stack of its own (see run).

Balance read: `GET /v1/funds/{id}` (anonymous, the funds service's own port) at one connection on a fund
whose ledger holds 1,000,000 entries against one that holds 10,000 (each contribution is two entries: the
holdings and the contributions account), alternating in rounds. The entries are written in bulk (COPY) with
their hash chains computed here, then checked as the reconciliation job would; the read is the service's.

Export: the CSV export of a fund whose export holds 1,000,000 rows (2,000,000 ledger entries, written as
above) through the edge (the public port), read as fast as it comes; the edge's resident memory is sampled
throughout and must stay flat (the funds service's is in the note).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import re
import signal
import statistics
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import asyncpg
import httpx
import psutil

from bench import funds_ceiling, load
from bench.context import DEMO_LOGIN, Context
from bench.processes import CpuWatch, describe_cpu
from bench.profile import explain
from bench.registry import Benchmark, Goal, Result, judge
from khabuan.embedded import postgres_bin
from services.funds.ledger.chain import canonical_time, description_digest, entry_hash

CLIENTS = 8
SPREAD_FUNDS = 1_000
PGBENCH_SCALE = 10  # 1,000,000 accounts, 100 tellers, 10 branches (the calibration in the stack notes)
PGBENCH_DATABASE = "khabuan_bench_pgbench"
SMALL_LEDGER, LARGE_LEDGER = 10_000, 1_000_000  # entries of one fund (two per contribution)
EXPORT_ROWS = 1_000_000  # rows of one fund's export (its holdings account's entries)
MIB = 1024 * 1024
EXPORT_GROWTH_GOAL = Goal("value", "<=", 32, "MiB")  # flat: a buffered export would grow by its ~200 MiB
READ_CONNECTIONS = 1
READ_ROUNDS = 4  # each reads both funds, in ABBA order: neither always goes first
THROUGHPUT_GOAL = Goal("ratio", ">=", 0.5)
CEILING_GOAL = Goal("ratio", ">=", 0.4)
READ_GOAL = Goal("ratio", "<=", 1.2)
QUIET_CPU_PERCENT = 5.0  # the workers count as drained below this, over two half-second looks in a row
QUIET_TIMEOUT_SECONDS = 120.0
AMOUNT_SATANG = 10_000

# tpcb-like's five statements, each on the one hot row of its table
HOT_ROW_SCRIPT = """\\set delta random(-5000, 5000)
BEGIN;
UPDATE pgbench_accounts SET abalance = abalance + :delta WHERE aid = 1;
SELECT abalance FROM pgbench_accounts WHERE aid = 1;
UPDATE pgbench_tellers SET tbalance = tbalance + :delta WHERE tid = 1;
UPDATE pgbench_branches SET bbalance = bbalance + :delta WHERE bid = 1;
INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) VALUES (1, 1, 1, :delta, CURRENT_TIMESTAMP);
END;
"""

# a POST per request with its own Idempotency-Key; wrk runs one thread (-t1), so prefix + counter is unique
CONTRIBUTE_SCRIPT = """
local paths = {PATHS}
local body = [==[BODY]==]
local prefix = "PREFIX"
local counter = 0
local headers = {["Authorization"] = "Bearer TOKEN", ["Content-Type"] = "application/json"}
math.randomseed(SEED)
request = function()
  counter = counter + 1
  headers["Idempotency-Key"] = prefix .. "-" .. counter .. "-" .. math.random(1000000)
  return wrk.format("POST", paths[math.random(#paths)], headers, body)
end
"""


@dataclass(frozen=True)
class Pgbench:
    tps: float
    latency_ms: float
    cpu_percent: dict[str, float]

    def describe(self) -> str:
        return f"{self.tps:,.0f} TPS, mean latency {self.latency_ms:.2f} ms at {CLIENTS} clients"


# -- contributions against pgbench --------------------------------------------------------------------------
def _token(base_url: str) -> str:
    with httpx.Client(base_url=base_url, timeout=10) as client:
        response = client.post("/v1/auth/token", data={"grant_type": "password", **DEMO_LOGIN})
        response.raise_for_status()
        token: str = response.json()["access_token"]
        return token


async def _open_funds(funds_url: str, token: str, count: int) -> list[str]:
    """Open `count` funds of Phatthalung (93) through the funds service, 8 at a time."""
    headers = {"Authorization": f"Bearer {token}"}
    limit = asyncio.Semaphore(CLIENTS)
    async with httpx.AsyncClient(base_url=funds_url, headers=headers, timeout=30) as client:

        async def one(n: int) -> str:
            async with limit:
                body = {"name_th": f"กองทุนวัดผล {n:04d}", "kind": "project", "area_code": "93"}
                response = await client.post("/v1/funds", json=body)
                response.raise_for_status()
                fund_id: str = response.json()["id"]
                return fund_id

        return list(await asyncio.gather(*(one(n) for n in range(count))))


def _contribution_body() -> dict[str, object]:
    return {
        "amount_satang": AMOUNT_SATANG,
        "source_kind": "savings_group",
        "source_name": "กลุ่มออมทรัพย์วัดผล",
        "received_on": (datetime.now(UTC).date() - timedelta(days=1)).isoformat(),
        "reference": "bench",
    }


def _contribute_script(fund_ids: list[str], token: str) -> str:
    body = _contribution_body()
    paths = ", ".join(f'"/v1/funds/{fund_id}/contributions"' for fund_id in fund_ids)
    return load.REPORT_SCRIPT + CONTRIBUTE_SCRIPT.replace("{PATHS}", "{" + paths + "}").replace(
        "BODY", json.dumps(body, ensure_ascii=False)
    ).replace("PREFIX", uuid.uuid4().hex).replace("TOKEN", token).replace(
        "SEED", str(uuid.uuid4().int % 2**31)
    )


def _post_contributions(
    ctx: Context, fund_ids: list[str], seconds: float, warmup: float, *, watch: bool
) -> load.Measurement:
    """wrk POSTing contributions at 8 connections (a warm-up run first), as load.measure does for GETs."""
    stack = ctx.stack()
    token = _token(stack.gateway_url)
    url = stack.service_url("funds")
    return load.measure(
        url,
        connections=CLIENTS,
        seconds=seconds,
        warmup=warmup,
        roles=ctx.stack_roles() if watch else None,
        script=lambda: _contribute_script(fund_ids, token),  # a new key prefix for each run
        label=url + "/v1/funds/{id}/contributions",
    )


def _pgbench(ctx: Context, script: list[str], database: str = PGBENCH_DATABASE) -> Pgbench:
    """pgbench at 8 clients, one thread, warm-up then measured run, on the stack's PostgreSQL."""
    argv = [str(postgres_bin() / "pgbench"), *_libpq_args(ctx, database), "-n", "-c", str(CLIENTS)]
    argv += ["-j", "1", *script]
    if ctx.warmup > 0:
        warm = subprocess.run([*argv, "-T", str(max(1, round(ctx.warmup)))], capture_output=True, text=True)
        if warm.returncode:
            raise RuntimeError(f"pgbench failed:\n{warm.stdout[-2000:]}\n{warm.stderr[-4000:]}")
    cpu = CpuWatch(ctx.stack_roles())
    cpu.start()
    finished = subprocess.run(
        [*argv, "-T", str(max(1, round(ctx.seconds)))], check=True, capture_output=True, text=True
    )
    usage = cpu.stop()
    tps = re.search(r"tps = ([\d.]+) \(without initial connection time\)", finished.stdout)
    latency = re.search(r"latency average = ([\d.]+) ms", finished.stdout)
    failed = re.search(r"number of failed transactions: (\d+)", finished.stdout)
    if tps is None or latency is None or (failed and int(failed.group(1))):
        raise RuntimeError(f"pgbench gave no clean result:\n{finished.stdout}\n{finished.stderr}")
    return Pgbench(float(tps.group(1)), float(latency.group(1)), usage)


def _cpu_per_contribution(posted: load.Measurement) -> str:
    """CPU ms each contribution cost each busy process (moves less than req/s when a neighbour is busy)."""
    usage = posted.cpu_percent.items()
    busy = {
        role: share for role, share in usage if share >= 1 and "machine" not in role and "wrk" not in role
    }
    costs = ", ".join(
        f"{role} {10 * share / posted.requests_per_s:.2f}"
        for role, share in sorted(busy.items(), key=lambda item: -item[1])
    )
    return f"CPU ms per contribution: {costs}"


def _libpq_args(ctx: Context, database: str) -> list[str]:
    parts = urlsplit(ctx.stack().state["database_url"])
    return [
        "-h",
        parts.hostname or "127.0.0.1",
        "-p",
        str(parts.port or 5432),
        "-U",
        parts.username or "postgres",
        database,
    ]


def _prepare_pgbench(ctx: Context) -> None:
    asyncio.run(
        _sql(ctx, f'DROP DATABASE IF EXISTS "{PGBENCH_DATABASE}"', f'CREATE DATABASE "{PGBENCH_DATABASE}"')
    )
    initialise = [str(postgres_bin() / "pgbench"), *_libpq_args(ctx, PGBENCH_DATABASE), "-i", "-q"]
    subprocess.run([*initialise, "-s", str(PGBENCH_SCALE)], check=True, capture_output=True)


async def _sql(ctx: Context, *statements: str) -> None:
    connection = await asyncpg.connect(ctx.stack().state["database_url"])
    try:
        for statement in statements:
            await connection.execute(statement)
    finally:
        await connection.close()


async def _check_books(ctx: Context, fund_ids: list[str]) -> str:
    """Every contribution posted is in its fund's balance, and each fund's accounts sum to zero."""
    connection = await asyncpg.connect(ctx.stack().state["database_url"])
    try:
        ids = [uuid.UUID(fund_id) for fund_id in fund_ids]
        row = await connection.fetchrow(
            "SELECT (SELECT count(*) FROM funds.contributions WHERE fund_id = ANY($1)) AS contributions,"
            " (SELECT coalesce(sum(amount_satang), 0) FROM funds.contributions WHERE fund_id = ANY($1))"
            "   AS paid,"
            " (SELECT coalesce(sum(balance_satang), 0) FROM funds.ledger_accounts WHERE owner_id = ANY($1)"
            "   AND purpose = 'holdings') AS held,"
            " (SELECT coalesce(sum(balance_satang), 0) FROM funds.ledger_accounts WHERE owner_id = ANY($1))"
            "   AS net",
            ids,
        )
    finally:
        await connection.close()
    if row["paid"] != row["held"] or row["net"] != 0:
        raise RuntimeError(f"the books do not add up after the load: {dict(row)}")
    return f"{row['contributions']:,} contributions posted in all, balances = their sum, accounts net to 0"


def contributions(ctx: Context) -> list[Result]:
    stack = ctx.stack()
    spread = asyncio.run(_open_funds(stack.service_url("funds"), _token(stack.gateway_url), SPREAD_FUNDS))
    _prepare_pgbench(ctx)
    with tempfile.TemporaryDirectory(prefix="khabuan-bench-pgbench-") as folder:
        hot_row = Path(folder) / "hot_row.sql"
        hot_row.write_text(HOT_ROW_SCRIPT)
        try:
            spread_row, posted = _contributions_against(
                ctx, f"{SPREAD_FUNDS:,} funds", spread, spread, ["-b", "tpcb-like"]
            )
            ceiling_row = _against_the_database_alone(ctx, spread, posted)
            hot_row_result, _ = _contributions_against(
                ctx, "one hot fund", spread[:1], spread, ["-f", str(hot_row)]
            )
            return [spread_row, ceiling_row, hot_row_result]
        finally:
            asyncio.run(_sql(ctx, f'DROP DATABASE IF EXISTS "{PGBENCH_DATABASE}"'))


def _contributions_against(
    ctx: Context, label: str, fund_ids: list[str], every_fund: list[str], script: list[str]
) -> tuple[Result, load.Measurement]:
    _workers_drained(ctx)
    posted = _post_contributions(ctx, fund_ids, ctx.seconds, ctx.warmup, watch=True)
    books = asyncio.run(_check_books(ctx, every_fund))
    _workers_drained(ctx)
    baseline = _pgbench(ctx, script)
    baseline_name = "pgbench tpcb-like" if "-b" in script else "pgbench tpcb-like on one row (-f)"
    result = judge(
        f"contributions posted, {label}, c={CLIENTS}",
        posted.requests_per_s,
        "req/s",
        baseline_name=f"{baseline_name}, {CLIENTS} clients",
        baseline_value=baseline.tps,
        goal=THROUGHPUT_GOAL,
        note=f"contributions {posted.describe()}; {books}; {_cpu_per_contribution(posted)}; "
        f"pgbench {baseline.describe()}; CPU during pgbench: {describe_cpu(baseline.cpu_percent)}",
    )
    if result.met:
        return result, posted
    return replace(result, why=_why_contributions(ctx, fund_ids, posted)), posted


def _why_contributions(ctx: Context, fund_ids: list[str], posted: load.Measurement) -> str:
    def drive(seconds: float) -> object:
        return _post_contributions(ctx, fund_ids, seconds, 0, watch=False)

    return explain(posted.cpu_percent, {"funds": ctx.stack_roles()["funds"]}, drive)


def _against_the_database_alone(ctx: Context, fund_ids: list[str], posted: load.Measurement) -> Result:
    """The same contributions against the statements they send, run by pgbench alone on the same funds."""
    database_url = ctx.stack().state["database_url"]
    accounts = asyncio.run(_accounts_of(database_url, fund_ids))
    busiest = max(accounts, key=lambda fund: accounts[fund][2])
    kept = None
    for _ in range(5):
        try:
            kept = asyncio.run(funds_ceiling.capture(database_url, uuid.UUID(busiest), _contribution_body()))
            break
        except funds_ceiling.Ambiguous:  # one more entry on its ledger tells the values apart
            _post_contributions(ctx, [busiest], 1, 0, watch=False)
    if kept is None:
        raise RuntimeError("no unambiguous capture of a contribution's statements")
    asyncio.run(_sql(ctx, *funds_ceiling.choices_sql([(f, *accounts[f][:2]) for f in fund_ids])))
    with tempfile.TemporaryDirectory(prefix="khabuan-bench-ceiling-") as folder:
        path = Path(folder) / "contribution.sql"
        path.write_text(funds_ceiling.pgbench_script(kept, len(fund_ids)))
        database = urlsplit(database_url).path.lstrip("/")
        options = ["-M", "prepared", "-f", str(path), *funds_ceiling.defines(kept)]
        with _workers_paused(ctx):  # the replayed outbox rows would wake them: the database alone, measured
            ceiling = _pgbench(ctx, options, database=database)
    checked = asyncio.run(_verify_chains(ctx, fund_ids[:5]))
    result = judge(
        f"contributions posted vs the database alone, {len(fund_ids):,} funds, c={CLIENTS}",
        posted.requests_per_s,
        "req/s",
        baseline_name=f"the statements one contribution sends, run by pgbench -M prepared, {CLIENTS} clients",
        baseline_value=ceiling.tps,
        goal=CEILING_GOAL,
        note=f"pgbench {ceiling.describe()}: {len(kept.claim)} statements in the key's claim and "
        f"{len(kept.work)} in the request's transaction (+1 SELECT standing in for the Python between lock "
        f"and writes); CPU then: {describe_cpu(ceiling.cpu_percent)}; {checked}",
    )
    if result.met:
        return result
    return replace(result, why=_why_contributions(ctx, fund_ids, posted))


def _worker_pids(ctx: Context) -> list[int]:
    return [pid for role, pid in ctx.stack_roles().items() if "worker" in role]


@contextmanager
def _workers_paused(ctx: Context) -> Iterator[None]:
    """The stack's workers stopped (SIGSTOP) while the database runs alone, then resumed and drained."""
    pids = _worker_pids(ctx)
    for pid in pids:
        os.kill(pid, signal.SIGSTOP)
    try:
        yield
    finally:
        for pid in pids:
            os.kill(pid, signal.SIGCONT)
        _workers_drained(ctx)


def _workers_drained(ctx: Context) -> None:
    """Wait until the workers have relayed and read what the last run wrote (their CPU falls quiet), so
    neither side of a comparison runs beside the other's leftovers."""
    workers = [psutil.Process(pid) for pid in _worker_pids(ctx)]
    deadline = time.monotonic() + QUIET_TIMEOUT_SECONDS
    for worker in workers:
        worker.cpu_percent(interval=None)  # the first look only starts the count
    quiet = 0
    while quiet < 2 and time.monotonic() < deadline:
        time.sleep(0.5)
        busy = sum(worker.cpu_percent(interval=None) for worker in workers)
        quiet = quiet + 1 if busy < QUIET_CPU_PERCENT else 0
    if quiet < 2:  # measured anyway, but the row's CPU line will show the workers' leftovers
        print(f"bench: the workers were still busy after {QUIET_TIMEOUT_SECONDS:.0f} s", flush=True)


async def _accounts_of(database_url: str, fund_ids: list[str]) -> dict[str, tuple[str, str, int]]:
    """fund → (holdings id, contributions id, entries on its holdings)."""
    connection = await asyncpg.connect(database_url)
    try:
        rows = await connection.fetch(
            "SELECT owner_id, purpose, id, entry_count FROM funds.ledger_accounts WHERE owner_id = ANY($1)"
            " AND purpose IN ('holdings', 'contributions')",
            [uuid.UUID(fund_id) for fund_id in fund_ids],
        )
    finally:
        await connection.close()
    by_fund: dict[str, dict[str, Any]] = {}
    for row in rows:
        by_fund.setdefault(str(row["owner_id"]), {})[row["purpose"]] = row
    return {
        fund: (str(acc["holdings"]["id"]), str(acc["contributions"]["id"]), acc["holdings"]["entry_count"])
        for fund, acc in by_fund.items()
    }


async def _verify_chains(ctx: Context, fund_ids: list[str]) -> str:
    """The replayed entries chain as the service's own (GET …/ledger/verify on each fund)."""
    async with httpx.AsyncClient(base_url=ctx.stack().service_url("funds"), timeout=60) as client:
        for fund_id in fund_ids:
            report = (await client.get(f"/v1/funds/{fund_id}/ledger/verify")).raise_for_status().json()
            if not report["verified"]:
                raise RuntimeError(f"the replayed statements broke fund {fund_id}'s chain: {report}")
    return f"the chains of {len(fund_ids)} replayed funds verify"


# -- balance read at 10,000 and 1,000,000 entries ---------------------------------------------------------
async def _grow_ledger(database_url: str, fund_id: str, entries: int) -> None:
    """Append contributions to the fund until its ledger holds `entries` entries: transfers and entries
    written with COPY (triggers off for the load: what they check is checked after it in one pass), each
    account's hash chain continued from its head, then the accounts' stored balances, counts and heads set."""
    connection = await asyncpg.connect(database_url)
    try:
        rows = await connection.fetch(
            "SELECT purpose, id, balance_satang, entry_count, head_hash FROM funds.ledger_accounts"
            " WHERE owner_id = $1 AND purpose IN ('holdings', 'contributions')",
            uuid.UUID(fund_id),
        )
        chains = {
            row["purpose"]: _Chain(row["id"], row["balance_satang"], row["entry_count"], row["head_hash"])
            for row in rows
        }
        legs = ((chains["contributions"], -AMOUNT_SATANG), (chains["holdings"], AMOUNT_SATANG))
        remaining = (entries - sum(chain.count for chain in chains.values())) // 2
        first_posted = datetime.now(UTC) - timedelta(days=1)
        async with connection.transaction():
            await connection.execute("SET LOCAL session_replication_role = replica")
            while remaining > 0:
                batch = min(remaining, FILL_BATCH)
                transfers, ledger_rows = [], []
                for _ in range(batch):
                    transfer_id = uuid.uuid4()
                    posted_at = first_posted + timedelta(microseconds=remaining)
                    transfers.append((transfer_id, "contribution", AMOUNT_SATANG, "contribution", posted_at))
                    for chain, amount in legs:
                        ledger_rows.append(chain.append(transfer_id, amount, posted_at))
                    remaining -= 1
                await connection.copy_records_to_table(
                    "ledger_transfers", schema_name="funds", records=transfers, columns=TRANSFER_COLUMNS
                )
                await connection.copy_records_to_table(
                    "ledger_entries", schema_name="funds", records=ledger_rows, columns=ENTRY_COLUMNS
                )
            for chain in chains.values():
                await connection.execute(
                    "UPDATE funds.ledger_accounts SET balance_satang = $2, entry_count = $3, head_hash = $4,"
                    " revision = revision + 1 WHERE id = $1",
                    chain.account_id,
                    chain.balance,
                    chain.count,
                    chain.head,
                )
        await connection.execute("ANALYZE funds.ledger_entries")
        await _check_ledger(connection, [chain.account_id for chain in chains.values()], entries)
    finally:
        await connection.close()


TRANSFER_COLUMNS = ["id", "kind", "amount_satang", "request_type", "posted_at"]
ENTRY_COLUMNS = [
    *("account_id", "sequence", "transfer_id", "amount_satang", "balance_before_satang"),
    *("balance_after_satang", "counterparty_kind", "counterparty_name", "posted_at", "prev_hash", "hash"),
]
FILL_BATCH = 50_000
SOURCE_NAME = "กลุ่มออมทรัพย์วัดผล"
# every filled entry is a contribution from the same savings group: one description digest for all
DESCRIPTION = description_digest(
    kind="contribution",
    memo=None,
    reverses_transfer_id=None,
    counterparty_kind="savings_group",
    counterparty_name=SOURCE_NAME,
)


class _Chain:
    """One account's hash chain as it grows: chain.py's canonical form, built inline (about 8× faster than
    calling entry_hash a million times); the first link of each chain is checked against entry_hash."""

    def __init__(self, account_id: uuid.UUID, balance: int, count: int, head: str) -> None:
        self.account_id, self.balance, self.count, self.head = account_id, balance, count, head
        self._account = str(account_id)
        self._checked = False

    def append(self, transfer_id: uuid.UUID, amount: int, posted_at: datetime) -> tuple[Any, ...]:
        before, after, sequence = self.balance, self.balance + amount, self.count + 1
        canonical = "|".join(
            (
                self.head,
                self._account,
                str(sequence),
                str(transfer_id),
                str(amount),
                str(before),
                str(after),
                canonical_time(posted_at),
                DESCRIPTION,
            )
        )
        digest = hashlib.sha256(canonical.encode()).hexdigest()
        if not self._checked:
            expected = entry_hash(
                self.head,
                account_id=self.account_id,
                sequence=sequence,
                transfer_id=transfer_id,
                amount_satang=amount,
                balance_before_satang=before,
                balance_after_satang=after,
                posted_at=posted_at,
                description=DESCRIPTION,
            )
            if digest != expected:
                raise RuntimeError("the bench's chain differs from services/funds/ledger/chain.py")
            self._checked = True
        row = (
            self.account_id,
            sequence,
            transfer_id,
            amount,
            before,
            after,
            "savings_group",
            SOURCE_NAME,
            posted_at,
            self.head,
            digest,
        )
        self.balance, self.count, self.head = after, sequence, digest
        return row


async def _check_ledger(connection: asyncpg.Connection, account_ids: list[uuid.UUID], entries: int) -> None:
    """What the triggers and the reconciliation job would check: transfers balance, balances = entries."""
    unbalanced = await connection.fetchval(
        "SELECT count(*) FROM (SELECT transfer_id FROM funds.ledger_entries WHERE account_id = ANY($1)"
        " GROUP BY transfer_id HAVING sum(amount_satang) <> 0 OR count(*) <> 2) AS t",
        account_ids,
    )
    mismatched = await connection.fetchval(
        "SELECT count(*) FROM funds.ledger_accounts a WHERE a.id = ANY($1) AND (a.balance_satang,"
        " a.entry_count) <> (SELECT coalesce(sum(amount_satang), 0), count(*) FROM funds.ledger_entries e"
        " WHERE e.account_id = a.id)",
        account_ids,
    )
    found = await connection.fetchval(
        "SELECT count(*) FROM funds.ledger_entries WHERE account_id = ANY($1)", account_ids
    )
    if unbalanced or mismatched or found != entries:
        raise RuntimeError(
            f"bulk ledger is inconsistent: {unbalanced} unbalanced transfers, {mismatched} accounts off, "
            f"{found} entries"
        )


async def _settle(database_url: str) -> None:
    """Let the bulk write's aftermath (autovacuum's analyze, the checkpointer's flush) run before the reads
    are timed, rather than land on whichever round it happens to overlap."""
    connection = await asyncpg.connect(database_url)
    try:
        await connection.execute("VACUUM (ANALYZE) funds.ledger_entries, funds.ledger_transfers")
        await connection.execute("CHECKPOINT")
    finally:
        await connection.close()


def balance_read(ctx: Context) -> Result:
    """Fund S keeps 10,000 entries, fund L grows to 1,000,000; their reads alternate in rounds (a busy
    neighbour hits both alike) and the medians of the rounds' p50s are compared. S is also read before L
    grows, while the table holds only S's entries: a read that scanned the table would show there."""
    stack = ctx.stack()
    funds_url, database_url = stack.service_url("funds"), stack.state["database_url"]
    small_id, large_id = asyncio.run(_open_funds(funds_url, _token(stack.gateway_url), 2))
    small_url, large_url = (f"{funds_url}/v1/funds/{fund_id}" for fund_id in (small_id, large_id))
    asyncio.run(_grow_ledger(database_url, small_id, SMALL_LEDGER))
    alone = ctx.load(small_url, READ_CONNECTIONS, ctx.stack_roles())
    asyncio.run(_grow_ledger(database_url, large_id, LARGE_LEDGER))
    balance = httpx.get(large_url, timeout=10).json()["balance_satang"]
    if balance != LARGE_LEDGER // 2 * AMOUNT_SATANG:
        raise RuntimeError(f"the fund's balance reads {balance}, not the sum of its {LARGE_LEDGER:,} entries")
    asyncio.run(_settle(database_url))
    rounds: dict[str, list[load.Measurement]] = {small_url: [], large_url: []}
    for n in range(READ_ROUNDS):
        for url in list(rounds) if n % 2 == 0 else list(rounds)[::-1]:
            warmup = ctx.warmup if n == 0 else 0
            measured = load.measure(
                url,
                connections=READ_CONNECTIONS,
                seconds=ctx.seconds / 2,
                warmup=warmup,
                roles=ctx.stack_roles(),
            )
            rounds[url].append(measured)
    small, large = (statistics.median(m.p50_ms for m in rounds[url]) for url in (small_url, large_url))
    result = judge(
        f"balance read p50 at {LARGE_LEDGER:,} entries, c={READ_CONNECTIONS}",
        large,
        "ms",
        baseline_name=f"the same read at {SMALL_LEDGER:,} entries",
        baseline_value=small,
        goal=READ_GOAL,
        note=f"GET /v1/funds/{{id}} direct, median p50 of {READ_ROUNDS} alternating rounds; "
        f"at {LARGE_LEDGER:,}: {_p50s(rounds[large_url])}; at {SMALL_LEDGER:,}: {_p50s(rounds[small_url])}; "
        f"at {SMALL_LEDGER:,} before the large ledger was written: {alone.describe()}",
    )
    if not result.met:
        drive = ctx.drive(large_url, READ_CONNECTIONS)
        why = explain(rounds[large_url][-1].cpu_percent, {"funds": ctx.stack_roles()["funds"]}, drive)
        result = replace(result, why=why)
    return result


def _p50s(measurements: list[load.Measurement]) -> str:
    return "p50 " + ", ".join(f"{m.p50_ms:.2f}" for m in measurements) + " ms"


def export_through_the_edge(ctx: Context) -> Result:
    """A fund whose export holds 1,000,000 rows (its holdings account's entries; the ledger holds twice as
    many), read through the edge as fast as it comes while the edge's and the funds service's resident
    memory is sampled: streamed, neither grows with the ledger."""
    stack = ctx.stack()
    (fund_id,) = asyncio.run(_open_funds(stack.service_url("funds"), _token(stack.gateway_url), 1))
    asyncio.run(_grow_ledger(stack.state["database_url"], fund_id, 2 * EXPORT_ROWS))
    asyncio.run(_settle(stack.state["database_url"]))
    roles = ctx.stack_roles()
    watched = {name: psutil.Process(roles[name]) for name in ("edge", "funds")}
    before = {name: process.memory_info().rss for name, process in watched.items()}
    peak = dict(before)
    rows, size = 0, 0
    started = time.monotonic()
    url = f"{stack.gateway_url}/v1/funds/{fund_id}/ledger/export"
    with httpx.stream("GET", url, params={"format": "csv"}, timeout=600) as answer:
        answer.raise_for_status()
        sampled = 0.0
        for chunk in answer.iter_raw():
            rows += chunk.count(b"\n")
            size += len(chunk)
            if time.monotonic() - sampled > 0.2:
                sampled = time.monotonic()
                for name, process in watched.items():
                    peak[name] = max(peak[name], process.memory_info().rss)
    seconds = time.monotonic() - started
    if rows != EXPORT_ROWS + 1:
        raise RuntimeError(f"the export held {rows - 1:,} rows, not {EXPORT_ROWS:,}")
    growth = {name: (peak[name] - before[name]) / MIB for name in watched}
    return judge(
        f"export of {EXPORT_ROWS:,} rows through the edge: edge RSS growth",
        growth["edge"],
        "MiB",
        baseline_name="edge RSS before the export",
        baseline_value=before["edge"] / MIB,
        goal=EXPORT_GROWTH_GOAL,
        note=f"{size / MIB:,.0f} MiB of CSV in {seconds:.1f} s ({rows / seconds:,.0f} rows/s); funds RSS "
        f"{before['funds'] / MIB:.0f} → peak {peak['funds'] / MIB:.0f} MiB (+{growth['funds']:.0f})",
    )


def run(ctx: Context) -> list[Result]:
    # a stack of this benchmark's own, stopped at its end: the million ledger rows and the PostgreSQL backends
    # grown by the write load would otherwise stay in the shared stack, and in the memory benchmark's RSS
    # (each backend maps the shared buffers it touched)
    own = Context(warmup=ctx.warmup, seconds=ctx.seconds)
    try:
        posted = contributions(own)
        return [*posted, balance_read(own), export_through_the_edge(own)]
    finally:
        own.close()


BENCHMARK = Benchmark(
    name="funds_ledger",
    order=32,
    summary="contributions/s (1,000 funds; one hot fund) vs pgbench on the same PostgreSQL; "
    "balance read at 1M vs 10k entries; a 1M-row ledger export streamed through the edge",
    run=run,
)
