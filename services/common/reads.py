"""The lean read path: one round trip per statement, no transaction, no ORM objects.

A read needs neither BEGIN/COMMIT (two more round trips) nor the ORM's identity map and instance state, which
cost more CPU than the query itself. `Reader` runs the statement on a small asyncpg pool of its own, in
autocommit, and hands the row back as a mapping validated into the resource's public schema. Its own pool, not
the engine's: checking a connection out of SQLAlchemy's pool switches greenlets, which deep inside a request
costs more than the query. Statements are still SQLAlchemy Core, compiled once. Writes keep the request
session (db.py): one request, one transaction, except a hot write that is one statement (a contribution
claims its Idempotency-Key, posts, records its event and stores its answer in one, see `Statement`): one
statement is one transaction too, and nothing else is as quick.
"""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Annotated, Any, Protocol, TypeVar

import asyncpg
from fastapi import Depends, Request
from pydantic import BaseModel
from sqlalchemy import Table, bindparam, select, text
from sqlalchemy.dialects.postgresql import asyncpg as asyncpg_dialect
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from services.common.settings import Settings

T = TypeVar("T")


@dataclass(frozen=True)
class Statement:
    """SQL written with :named parameters (`text`, as SQLAlchemy's `text()` reads them) as asyncpg runs it
    (`sql`, with $1, $2…)."""

    text: str
    sql: str
    names: tuple[str, ...]

    def args(self, params: Mapping[str, object]) -> list[object]:
        return [params[name] for name in self.names]


_ASYNCPG = asyncpg_dialect.dialect()  # type: ignore[no-untyped-call]


@functools.cache
def statement(sql: str) -> Statement:
    """Compiled once per text: parsing a large statement for its parameters costs more than running it."""
    compiled = text(sql).compile(dialect=_ASYNCPG)
    return Statement(sql, str(compiled), tuple(compiled.positiontup or ()))


class Statements(Protocol):
    """Where a one-statement write runs: a `Reader` (its own transaction) or `SessionStatements`."""

    async def run(self, sql: Statement, params: Mapping[str, object]) -> Sequence[Mapping[str, Any]]: ...

    async def fetch_row(self, sql: str, *args: Any) -> Mapping[str, Any] | None: ...


class SessionStatements:
    """One-statement writes run inside a session's transaction instead (the demo data: all in one)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def run(self, sql: Statement, params: Mapping[str, object]) -> Sequence[Mapping[str, Any]]:
        return [dict(row._mapping) for row in await self.session.execute(text(sql.text), params)]

    async def fetch_row(self, sql: str, *args: Any) -> Mapping[str, Any] | None:
        connection = await self.session.connection()
        row = (await connection.exec_driver_sql(sql, args)).first()
        return dict(row._mapping) if row is not None else None


class Reader:
    """Statements outside any explicit transaction, on an asyncpg pool opened by `open_reader`: reads, and
    the few writes that are one statement (`run`)."""

    def __init__(self, pool: asyncpg.Pool, dialect: Dialect) -> None:
        self.pool = pool
        self.dialect = dialect
        self._by_id: dict[tuple[str, type[BaseModel]], str] = {}

    async def fetch_row(self, sql: str, *args: Any) -> asyncpg.Record | None:
        return await self._run(lambda connection: connection.fetchrow(sql, *args))

    async def fetch(self, sql: str, *args: Any) -> list[asyncpg.Record]:
        return await self._run(lambda connection: connection.fetch(sql, *args))

    async def run(self, sql: Statement, params: Mapping[str, object]) -> list[asyncpg.Record]:
        """One statement with named parameters, in a transaction of its own (commits or rolls back whole)."""
        return await self._run(lambda connection: connection.fetch(sql.sql, *sql.args(params)))

    async def _run(self, work: Callable[[asyncpg.Connection], Awaitable[T]]) -> T:
        # asyncpg's pool closes a connection that broke and reconnects on the next acquire
        async with self.pool.acquire() as connection:
            return await work(connection)

    def by_id_sql(self, table: Table, public: type[BaseModel]) -> str:
        """`SELECT <the columns public shows> FROM <table> WHERE id = $1`, compiled once per pair."""
        key = (table.fullname, public)
        sql = self._by_id.get(key)
        if sql is None:
            columns = [table.c[name] for name in public.model_fields if name in table.c]
            statement = select(*columns).where(table.c.id == bindparam("id"))
            sql = self._by_id[key] = str(statement.compile(dialect=self.dialect))
        return sql


@asynccontextmanager
async def open_reader(
    engine: AsyncEngine, settings: Settings, *, application_name: str
) -> AsyncIterator[Reader]:
    """A reader for the app's lifetime: at most `db_pool_size` connections, one opened up front."""
    pool = await asyncpg.create_pool(
        engine.url.set(drivername="postgresql").render_as_string(hide_password=False),
        min_size=1,
        max_size=settings.db_pool_size,
        reset=_reset_if_in_transaction,
        server_settings={"application_name": application_name, "timezone": "UTC"},
    )
    try:
        yield Reader(pool, engine.dialect)
    finally:
        await pool.close()


async def _reset_if_in_transaction(connection: asyncpg.Connection) -> None:
    # reads never open a transaction or change session state; asyncpg's default reset is a round trip per
    # release, so it runs only if a statement was interrupted inside one
    if connection.is_in_transaction():
        await connection.reset()


async def request_reader(request: Request) -> Reader:
    reader: Reader = request.app.state.reader
    return reader


Reads = Annotated[Reader, Depends(request_reader)]
