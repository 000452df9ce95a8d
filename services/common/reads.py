"""The lean read path for a measured hot read (see docs/architecture.md): an asyncpg pool of its own, no
transaction, no ORM objects; used only behind repository functions."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Annotated, Any, TypeVar

import asyncpg
from fastapi import Depends, Request
from pydantic import BaseModel
from sqlalchemy import Table, bindparam, select
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import SQLModel

from services.common import errors
from services.common.i18n import Text
from services.common.settings import Settings

Public = TypeVar("Public", bound=BaseModel)
T = TypeVar("T")


class Reader:
    """Reads outside any explicit transaction, on an asyncpg pool opened by `open_reader`."""

    def __init__(self, pool: asyncpg.Pool, dialect: Dialect) -> None:
        self.pool = pool
        self.dialect = dialect
        self._by_id: dict[tuple[str, type[BaseModel]], str] = {}

    async def fetch_row(self, sql: str, *args: Any) -> asyncpg.Record | None:
        return await self._run(lambda connection: connection.fetchrow(sql, *args))

    async def fetch(self, sql: str, *args: Any) -> list[asyncpg.Record]:
        return await self._run(lambda connection: connection.fetch(sql, *args))

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


async def get_public_or_404(
    reader: Reader, model: type[SQLModel], public: type[Public], row_id: uuid.UUID, *, what: Text
) -> Public:
    """The row `row_id` of `model`'s table as its public schema, or 404."""
    table: Table = model.__table__  # type: ignore[attr-defined]
    row = await reader.fetch_row(reader.by_id_sql(table, public), row_id)
    if row is None:
        raise errors.NotFound(Text(f"No {what.en} with id {row_id}.", f"ไม่พบ{what.th} รหัส {row_id}"))
    return public.__pydantic_validator__.validate_python(dict(row))  # type: ignore[no-any-return]


async def request_reader(request: Request) -> Reader:
    reader: Reader = request.app.state.reader
    return reader


Reads = Annotated[Reader, Depends(request_reader)]
