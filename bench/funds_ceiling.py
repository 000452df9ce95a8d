"""The database-alone ceiling of a contribution: the statements the funds service sends for one, replayed by
pgbench with no HTTP and no Python in the way.

The statements are captured from the service's own code (`contributions.contribute` on a session of the
service's engine, between the route's Idempotency-Key claim and completion) on the bench's database, then
rolled back. In the pgbench script every value that differs from one contribution to the next is a variable:
fresh ids and the key from a first small SELECT (with a random fund and its two accounts), and what the
service computes in Python once the accounts are locked (balances, sequences, the chain's hashes) from one
SELECT right after that lock, which hashes as `ledger.chain.entry_hash` does (the bench verifies a replayed
fund's chain afterwards). The event's payload and the stored answer are replayed as captured.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import orjson
from sqlalchemy import event, text
from sqlmodel.ext.asyncio.session import AsyncSession

from services.common.auth import Grant, Principal
from services.common.db import CompiledStatement, create_engine, session_factory
from services.common.events import bind_event_source, event_source
from services.common.events.registry import register
from services.common.idempotency import KeyUse, StoredResponse, idempotency_store, request_fingerprint
from services.common.settings import Settings
from services.funds.contributions import service as contributions
from services.funds.contributions.schemas import ContributionCreate
from services.funds.events import EVENT_TYPES
from services.funds.funds import service as funds
from services.funds.ledger.chain import canonical_time, description_digest

CHOICES_TABLE = "public.khabuan_bench_fund_choices"  # n → a fund and its two accounts, filled before a run
_STATE_SQL = text(
    "SELECT id, purpose, balance_satang, entry_count, head_hash FROM funds.ledger_accounts"
    " WHERE owner_id = :fund_id AND purpose IN ('holdings', 'contributions')"
)
_APPENDED_LEGS = re.compile(r"unnest\(([^)]*)\) AS \w+\(([^)]*)\)")  # the posting's legs, one array a column


@dataclass
class Sent:
    sql: str
    rows: list[tuple[Any, ...]]  # one per execution (an executemany sends several)


@dataclass
class Capture:
    claim: list[Sent] = field(default_factory=list)
    work: list[Sent] = field(default_factory=list)
    variables: dict[Any, str] = field(default_factory=dict)  # a captured value → the variable it becomes
    fresh: list[str] = field(default_factory=list)  # variables made afresh for each contribution
    constants: dict[str, str] = field(default_factory=dict)  # a constant's text → its -D variable
    posted: str = ""
    description: str = ""
    amount: int = 0


class Ambiguous(ValueError):
    """Two varying values of the capture were equal: another capture (on a ledger one entry longer) tells
    them apart."""


async def capture(database_url: str, fund_id: uuid.UUID, body: Mapping[str, Any]) -> Capture:
    """The statements one contribution to `fund_id` sends (the key's claim in its own transaction, then the
    request's), with the values that vary named; nothing stays written."""
    register(*EVENT_TYPES)  # as the funds app does at start
    settings = Settings(database_url=database_url)
    engine = create_engine(settings, application_name="khabuan-bench-capture")
    sessions = session_factory(engine)
    bind_event_source(sessions, event_source("funds", "funds"))
    store = idempotency_store(engine, settings, "funds")
    path = f"/v1/funds/{fund_id}/contributions"
    use = KeyUse("user:bench", "POST", path, str(uuid.uuid4()), request_fingerprint(orjson.dumps(body)))
    kept = Capture(amount=int(body["amount_satang"]))
    into = kept.claim

    def keep(_: Any, __: Any, sql: str, params: Any, ___: Any, many: bool) -> None:
        into.append(Sent(sql, [tuple(row) for row in params] if many else [tuple(params)]))

    fetch = CompiledStatement.fetch

    async def kept_fetch(self: CompiledStatement, bind: Any, **params: object) -> Any:
        into.append(Sent(self.sql, [tuple(self.args(params))]))
        return await fetch(self, bind, **params)

    try:
        async with sessions() as session:
            area_code = await funds.area_of(session, fund_id)  # remembered by the service: not sent again
            heads = {row.purpose: row for row in await session.execute(_STATE_SQL, {"fund_id": fund_id})}
        principal = Principal(str(uuid.uuid4()), "user", (Grant("provincial", area_code),))
        event.listen(engine.sync_engine, "before_cursor_execute", keep)
        CompiledStatement.fetch = kept_fetch  # type: ignore[method-assign]
        try:
            claim = await store.claim(use)
            into = kept.work
            async with sessions() as session:
                await _contribute(session, principal, fund_id, body, store, claim)
                await session.rollback()
        finally:
            event.remove(engine.sync_engine, "before_cursor_execute", keep)
            CompiledStatement.fetch = fetch  # type: ignore[method-assign]
        await store.release(claim)
    finally:
        await engine.dispose()
    _name_values(kept, fund_id, use.key, claim.row_id, heads)
    return kept


async def _contribute(
    session: AsyncSession,
    principal: Principal,
    fund_id: uuid.UUID,
    body: Mapping[str, Any],
    store: Any,
    claim: Any,
) -> None:
    """What the route and the service do for one POST (the answer stored as the route stores it)."""
    posted = await contributions.contribute(
        session, principal, fund_id, ContributionCreate.model_validate(body)
    )
    headers = {
        "content-type": "application/json",
        "location": f"/v1/funds/{fund_id}/contributions/{posted.id}",
    }
    await store.complete_in(session, claim, StoredResponse(201, headers, posted.model_dump_json().encode()))


def _name_values(
    kept: Capture, fund_id: uuid.UUID, key: str, claim_id: int, heads: Mapping[str, Any]
) -> None:
    """Which captured values vary from one contribution to the next, and the variable each becomes."""
    legs, transfer, posted = _appended_legs(kept)
    kept.posted = canonical_time(posted)
    pairs: list[tuple[Any, str]] = [(fund_id, "fund_id"), (key, "key"), (claim_id, "claim_id")]
    for prefix, purpose in (("h", "holdings"), ("c", "contributions")):
        head = heads[purpose]
        leg = next(leg for leg in legs if leg["account_id"] == head.id)
        pairs += [
            (head.id, f"{prefix}_id"),
            (leg["balance_before_satang"], f"{prefix}_before"),
            (leg["balance_after_satang"], f"{prefix}_after"),
            (leg["prev_hash"], f"{prefix}_prev"),
            (leg["hash"], f"{prefix}_hash"),
        ]
    if len({leg["sequence"] for leg in legs}) != 1:
        raise Ambiguous("the fund's two accounts are at different sequences")
    pairs.append(
        (legs[0]["sequence"], "sequence")
    )  # both accounts of a fund that only receives move together
    values = [str(value) for value, _ in pairs]
    if len(set(values)) != len(values) or {"0", "1", "201", str(kept.amount)} & set(values):
        raise Ambiguous(f"varying values coincide with each other or with a constant: {sorted(values)}")
    named = dict(pairs) | {str(fund_id): "fund_id"}
    uuids = {v for sent in kept.work for row in sent.rows for v in row if isinstance(v, uuid.UUID)}
    fresh = sorted(uuids - set(named), key=lambda v: (v != transfer, str(v)))  # the transfer's id is u0
    kept.fresh = [f"u{i}" for i in range(len(fresh))]
    named |= dict(zip(fresh, kept.fresh, strict=True))
    kept.variables = named
    source = legs[0]
    kept.description = description_digest(
        kind="contribution",
        memo=None,
        reverses_transfer_id=None,
        counterparty_kind=source["counterparty_kind"],
        counterparty_name=source["counterparty_name"],
    )


def _appended_legs(kept: Capture) -> tuple[list[dict[str, Any]], uuid.UUID, datetime]:
    """The legs the posting appended (one array per column in its statement), its transfer id and time (the
    statement's only scalar uuid and timestamp)."""
    sent = next(s for s in kept.work if "ledger_entries" in s.sql and _APPENDED_LEGS.search(s.sql))
    unnest = _APPENDED_LEGS.search(sent.sql)
    assert unnest is not None
    positions = [int(n) for n in re.findall(r"\$(\d+)", unnest.group(1))]
    names = [name.strip() for name in unnest.group(2).split(",")]
    (row,) = sent.rows
    arrays = [row[position - 1] for position in positions]
    legs = [dict(zip(names, values, strict=True)) for values in zip(*arrays, strict=True)]
    scalars = [value for n, value in enumerate(row, start=1) if n not in positions]
    transfer = next(value for value in scalars if isinstance(value, uuid.UUID))
    posted = next(value for value in scalars if isinstance(value, datetime))
    return legs, transfer, posted


def choices_sql(funds: list[tuple[str, str, str]]) -> list[str]:
    """Fill the table the script picks its fund from: (fund id, holdings id, contributions id) per n."""
    values = ", ".join(f"({n}, '{f}', '{h}', '{c}')" for n, (f, h, c) in enumerate(funds, start=1))
    return [
        f"DROP TABLE IF EXISTS {CHOICES_TABLE}",
        f"CREATE TABLE {CHOICES_TABLE} (n integer PRIMARY KEY, fund_id uuid, h_id uuid, c_id uuid)",
        f"INSERT INTO {CHOICES_TABLE} VALUES {values}",  # noqa: S608 (the bench's own ids)
    ]


def pgbench_script(kept: Capture, funds: int) -> str:
    """One contribution per transaction to a random one of the first `funds` choices (run with -M prepared,
    as asyncpg prepares each statement)."""
    fresh = ", ".join(f"gen_random_uuid() AS {name}" for name in kept.fresh)
    lines = [
        f"\\set n random(1, {funds})",
        f"SELECT {fresh}, gen_random_uuid()::text AS key, fund_id, h_id, c_id"  # noqa: S608
        f" FROM {CHOICES_TABLE} WHERE n = :n \\gset",
        *_claim(kept),
        "BEGIN;",
    ]
    for sent in kept.work:
        lines.append(_command(kept, sent, False))
        if "FOR UPDATE" in sent.sql:
            lines.append(_state_after_lock(kept))
    lines.append("COMMIT;")
    return "\n".join(lines) + "\n"


def _claim(kept: Capture) -> list[str]:
    """The key's claim as the store sends it: a fresh key is one INSERT in autocommit, anything more is a
    transaction of its own."""
    claim = [_command(kept, sent, sent.sql.lstrip().upper().startswith("INSERT")) for sent in kept.claim]
    return claim if len(claim) == 1 else ["BEGIN;", *claim, "COMMIT;"]


def _command(kept: Capture, sent: Sent, sets_claim: bool) -> str:
    commands = []
    for row in sent.rows:

        def value(match: re.Match[str], row: tuple[Any, ...] = row) -> str:
            return _value(kept, row[int(match.group(1)) - 1])

        sql = re.sub(r"\$(\d+)", value, " ".join(sent.sql.split()))
        commands.append(sql + (" \\gset claim_" if sets_claim else ";"))
    return "\n".join(commands)


def _value(kept: Capture, value: Any) -> str:
    """A parameter as pgbench binds it: a varying value's variable, a constant's `-D` variable (as the service
    binds every value), NULL written out (a -D variable cannot be NULL)."""
    if value is None:
        return "NULL"
    if isinstance(value, list):  # an array parameter (the posting's legs): each element as a value
        return "ARRAY[" + ", ".join(_value(kept, element) for element in value) + "]"
    if value == "":
        return "''"  # a -D variable cannot be empty either
    if not isinstance(value, bool) and isinstance(value, str | int | uuid.UUID) and value in kept.variables:
        return ":" + kept.variables[value]
    text = _text(value)
    name = kept.constants.setdefault(text, f"k{len(kept.constants)}")
    return ":" + name


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, bytes):
        return "\\x" + value.hex()
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict | list):
        return orjson.dumps(value).decode()
    return str(value)


def defines(kept: Capture) -> list[str]:
    """The constants' `-D name=value` arguments (after `pgbench_script` has named them)."""
    return [f"-D{name}={text}" for text, name in kept.constants.items()]


def _state_after_lock(kept: Capture) -> str:
    """What the service computes in Python between locking the accounts and writing: balances, the next
    sequence and each entry's hash (`entry_hash`'s canonical form), for both accounts."""
    parts = []
    for prefix, sign in (("h", 1), ("c", -1)):
        amount = sign * kept.amount
        fields = ", ".join(
            (
                f"{prefix}.head_hash",
                f"{prefix}.id::text",
                f"({prefix}.entry_count + 1)::text",
                ":u0::text",  # the transfer's id
                f"'{amount}'",
                f"{prefix}.balance_satang::text",
                f"({prefix}.balance_satang + {amount})::text",
                f"{_value(kept, kept.posted)}::text",
                f"{_value(kept, kept.description)}::text",
            )
        )
        parts += [
            f"{prefix}.balance_satang AS {prefix}_before",
            f"{prefix}.balance_satang + {amount} AS {prefix}_after",
            f"{prefix}.head_hash AS {prefix}_prev",
            f"encode(sha256(convert_to(concat_ws('|', {fields}), 'UTF8')), 'hex') AS {prefix}_hash",
        ]
    return (
        f"SELECT {', '.join(parts)}, h.entry_count + 1 AS sequence"  # noqa: S608
        " FROM funds.ledger_accounts h, funds.ledger_accounts c WHERE h.id = :h_id AND c.id = :c_id \\gset"
    )
