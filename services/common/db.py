"""Database engine and the request session: one request, one transaction, committed once on success."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from typing import Annotated, cast

import asyncpg
from fastapi import Depends, Request
from sqlalchemy import text
from sqlalchemy.dialects.postgresql import asyncpg as asyncpg_dialect
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, async_sessionmaker, create_async_engine
from sqlalchemy.ext.asyncio import AsyncSession as AnySession
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.expression import ClauseElement
from sqlmodel.ext.asyncio.session import AsyncSession

from services.common.settings import Settings

POOL_RECYCLE_SECONDS = 1800
_ASYNCPG = asyncpg_dialect.dialect()  # type: ignore[no-untyped-call]


def libpq_url(database_url: str) -> str:
    """The URL as libpq tools (psql, pg_dump) read it, whatever SQLAlchemy driver it names."""
    for prefix in ("postgresql+asyncpg://", "postgresql+psycopg://", "postgresql://", "postgres://"):
        if database_url.startswith(prefix):
            return "postgresql://" + database_url[len(prefix) :]
    raise ValueError("DATABASE_URL must be a postgresql:// URL")


def async_url(database_url: str) -> str:
    """Accept plain postgresql:// URLs (what operators write) and use the asyncpg driver."""
    return "postgresql+asyncpg://" + libpq_url(database_url).removeprefix("postgresql://")


def create_engine(
    settings: Settings, *, application_name: str, server_settings: Mapping[str, str] | None = None
) -> AsyncEngine:
    """The process's pooled engine; `server_settings` are extra PostgreSQL settings for its connections."""
    if not settings.database_url:
        raise RuntimeError("DATABASE_URL is not set: start Khabuan with `make run` or set DATABASE_URL")
    return create_async_engine(
        async_url(settings.database_url),
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_pool_size,
        # no pre-ping (three round trips per checkout on asyncpg): a connection the server dropped fails
        # one statement, SQLAlchemy then invalidates the pool and the next checkout connects afresh
        pool_recycle=POOL_RECYCLE_SECONDS,
        connect_args={
            "server_settings": {
                "application_name": application_name,
                "timezone": "UTC",
                **(server_settings or {}),
            }
        },
    )


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)


async def database_is_ready(engine: AsyncEngine) -> bool:
    try:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
    except Exception:
        return False
    return True


async def request_session(request: Request) -> AsyncIterator[AsyncSession]:
    """The request's unit of work: services add and flush, this commits once or rolls back."""
    factory: async_sessionmaker[AsyncSession] = request.app.state.sessions
    async with factory() as session:
        request.state.db_session = session
        try:
            yield session
        except BaseException:
            await session.rollback()
            raise
        else:
            await session.commit()


# scope="function": commit before the response is sent, so a failed commit is never reported as success
Session = Annotated[AsyncSession, Depends(request_session, scope="function")]


def read_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions for read-only requests: autocommit, so no BEGIN/COMMIT round trips around the SELECTs."""
    return async_sessionmaker(engine.execution_options(isolation_level="AUTOCOMMIT"), class_=AsyncSession)


async def read_session(request: Request) -> AsyncIterator[AsyncSession]:
    """A read-only request's session (lists): never commits, so nothing written through it would last."""
    factory: async_sessionmaker[AsyncSession] = request.app.state.read_sessions
    async with factory() as session:
        yield session


ReadSession = Annotated[AsyncSession, Depends(read_session)]


class CompiledStatement:
    """A Core statement compiled once to asyncpg's SQL ($1, $2…), its parameters given by name and sent in the
    compiled order (constants keep the values built in). Hot writes run it on the request session's own
    connection, inside its transaction (`fetch`): the statement is built from the tables
    once, not per request, and SQLAlchemy's per-execution work is skipped (bench/README.md)."""

    def __init__(self, statement: ClauseElement) -> None:
        compiled = cast(SQLCompiler, statement.compile(dialect=_ASYNCPG))
        self.sql = str(compiled)
        if "POSTCOMPILE" in self.sql:  # an expanding IN: its SQL would change with each call's values
            raise ValueError(f"a statement compiled once cannot expand its parameters: {self.sql}")
        self._parameters = tuple(
            (name, compiled.binds[name].required, compiled.params[name])
            for name in compiled.positiontup or ()
        )

    def args(self, params: Mapping[str, object]) -> list[object]:
        return [params[name] if given else value for name, given, value in self._parameters]

    async def fetch(self, bind: AnySession | AsyncConnection, **params: object) -> list[asyncpg.Record]:
        connection = await in_transaction(bind)
        try:
            rows: list[asyncpg.Record] = await connection.fetch(self.sql, *self.args(params))
            return rows
        except asyncpg.IntegrityConstraintViolationError as error:
            raise IntegrityError(self.sql, params, error) from error


async def in_transaction(bind: AnySession | AsyncConnection) -> asyncpg.Connection:
    """The asyncpg connection under a session (or connection), its transaction begun as SQLAlchemy begins it
    (lazily, on the first statement; never in autocommit), so what runs on it commits or rolls back with
    the session."""
    connection = bind if isinstance(bind, AsyncConnection) else await bind.connection()
    fairy = await connection.get_raw_connection()
    adapter = fairy.dbapi_connection
    if adapter._transaction is None:  # type: ignore[union-attr]  # SQLAlchemy's asyncpg adapter (pinned)
        await adapter._start_transaction()  # type: ignore[union-attr]  # a no-op in autocommit
    driver: asyncpg.Connection = fairy.driver_connection
    return driver
