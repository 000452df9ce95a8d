"""The contribution's own statement, run by pgbench: how fast PostgreSQL alone posts contributions.

The funds service posts a contribution in one statement (`services/funds/ledger/receipts.py`): the
Idempotency-Key with its stored answer, the balanced hash-chained transfer, the contribution row and its
event. Here pgbench runs that same statement, as the service builds it, at the same client count and on the
same funds, with no HTTP and no Python in the way: the ceiling any server in front of it could reach on this
PostgreSQL, printed beside the service's own rate so a miss says which side it is on. Each transaction first
asks the server for its fresh ids and its fund (one small SELECT); everything else is sent as the service
sends it.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from sqlmodel import SQLModel

from services.common.auth import Grant, Principal
from services.common.events import event_source
from services.common.idempotency import IdempotencyStore, KeyUse, idempotency_table
from services.common.one_statement import OneStatement
from services.common.reads import Statement
from services.funds.contributions import service as contributions
from services.funds.contributions.schemas import ContributionCreate

# values the service makes afresh for every contribution; the rest of a contribution's parameters are the same
# for every one of the same body (times included: the chain stays valid, entries just share their time)
_FRESH = ("contribution_id", "request_id", "transfer_id", "event_id", "key_key")
_BY_FUND = ("owner_id", "event_aggregate_id")
CHOICES_TABLE = "public.khabuan_bench_fund_choices"  # n → fund id, filled by the bench before each run
_FIRST = (
    "SELECT u.id AS contribution_id, u.id AS request_id, gen_random_uuid() AS transfer_id,"  # noqa: S608
    " gen_random_uuid() AS event_id, gen_random_uuid() AS key_key, c.id AS owner_id,"
    " CAST(c.id AS text) AS event_aggregate_id"
    f" FROM (SELECT gen_random_uuid() AS id) AS u, {CHOICES_TABLE} AS c WHERE c.n = :n \\gset"
)


class _Kept:
    """Statements that keep the statement instead of running it."""

    def __init__(self, area_code: str) -> None:
        self.area_code = area_code
        self.sql = ""
        self.params: dict[str, object] = {}

    async def run(self, sql: Statement, params: Mapping[str, object]) -> Sequence[Mapping[str, Any]]:
        self.sql, self.params = sql.text, dict(params)
        return []  # "no accounts": the service stops there

    async def fetch_row(self, sql: str, *args: Any) -> Mapping[str, Any] | None:
        return {"area_code": self.area_code}


def contribution_statement(body: Mapping[str, Any], area_code: str) -> tuple[str, dict[str, object]]:
    """The statement (with :named parameters) and parameters the service sends for `body`, with a key."""
    kept = _Kept(area_code)
    keys = IdempotencyStore(
        None,  # type: ignore[arg-type]  # never claims: only builds its CTE
        idempotency_table(SQLModel.metadata, "funds"),
        ttl=timedelta(days=1),
        lock_timeout=timedelta(minutes=1),
    )
    fund_id = uuid.uuid4()
    use = KeyUse("user:bench", "POST", f"/v1/funds/{fund_id}/contributions", "bench", "0" * 64)
    write = OneStatement(kept, keys, event_source("funds", "funds"), use)
    principal = Principal("bench", "user", (Grant("provincial", area_code),))
    with contextlib.suppress(LookupError):  # "no accounts", as _Kept answers
        asyncio.run(
            contributions.contribute(write, principal, fund_id, ContributionCreate.model_validate(body))
        )
    if not kept.sql:
        raise RuntimeError("the funds service sent no statement for a contribution")
    return kept.sql, kept.params


def choices_sql(fund_ids: Sequence[str]) -> list[str]:
    """The statements that fill the table the script picks its funds from (1 to len(fund_ids))."""
    values = ", ".join(f"({n}, '{fund_id}')" for n, fund_id in enumerate(fund_ids, start=1))
    return [
        f"DROP TABLE IF EXISTS {CHOICES_TABLE}",
        f"CREATE TABLE {CHOICES_TABLE} (n integer PRIMARY KEY, id uuid NOT NULL)",
        f"INSERT INTO {CHOICES_TABLE} (n, id) VALUES {values}",  # noqa: S608 (the bench's own fund ids)
    ]


def pgbench_script(body: Mapping[str, Any], area_code: str, funds: int) -> tuple[str, list[str]]:
    """A pgbench script posting one contribution per transaction to a random one of the first `funds` in
    the choices table, and its `-D` variables (run it with `-M prepared`, as asyncpg runs the statement)."""
    sql, params = contribution_statement(body, area_code)
    defines: list[str] = []
    for name, value in params.items():
        if name in _FRESH or name in _BY_FUND:
            continue
        defines.append(f"{name}={_text(name, value)}")
    script = f"\\set n random(1, {funds})\n{_FIRST}\n{sql.strip()};\n"
    return script, defines


def _text(name: str, value: object) -> str:
    if value is None:
        raise ValueError(f"pgbench cannot send NULL for {name}: give the body every field")
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)
