"""The funds service's lean read path for its measured hot reads (a fund's balance, its public ledger, audits;
docs/architecture.md, "Reads"): an asyncpg pool of its own, no transaction, no ORM objects; used only behind
repository functions, with statements built in Core."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Annotated, Any, TypeVar

import asyncpg
from fastapi import Depends, FastAPI, Request
from sqlalchemy.ext.asyncio import AsyncEngine

from services.common.db import CompiledStatement
from services.common.settings import Settings

T = TypeVar("T")


class Reader:
    """Reads outside any explicit transaction, on an asyncpg pool opened by `open_reader`."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self.pool = pool

    async def fetch_row(self, sql: str, *args: Any) -> asyncpg.Record | None:
        return await self._run(lambda connection: connection.fetchrow(sql, *args))

    async def fetch(self, sql: str, *args: Any) -> list[asyncpg.Record]:
        return await self._run(lambda connection: connection.fetch(sql, *args))

    async def _run(self, work: Callable[[asyncpg.Connection], Awaitable[T]]) -> T:
        # asyncpg's pool closes a connection that broke and reconnects on the next acquire
        async with self.pool.acquire() as connection:
            return await work(connection)


class ReaderStatement(CompiledStatement):
    """A Core statement as the `Reader` runs it (compiled once, see `CompiledStatement`)."""

    async def read(self, reader: Reader, **params: object) -> list[asyncpg.Record]:
        return await reader.fetch(self.sql, *self.args(params))

    async def read_row(self, reader: Reader, **params: object) -> asyncpg.Record | None:
        return await reader.fetch_row(self.sql, *self.args(params))


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
        yield Reader(pool)
    finally:
        await pool.close()


async def _reset_if_in_transaction(connection: asyncpg.Connection) -> None:
    # reads never open a transaction or change session state; asyncpg's default reset is a round trip per
    # release, so it runs only if a statement was interrupted inside one
    if connection.is_in_transaction():
        await connection.reset()


@asynccontextmanager
async def reader_kept(app: FastAPI, engine: AsyncEngine, settings: Settings) -> AsyncIterator[None]:
    """The app's reader for its lifetime (a resource of the service frame, see create_service_app)."""
    async with open_reader(engine, settings, application_name="khabuan-funds-reads") as reader:
        app.state.reader = reader
        yield


async def request_reader(request: Request) -> Reader:
    reader: Reader = request.app.state.reader
    return reader


Reads = Annotated[Reader, Depends(request_reader)]
