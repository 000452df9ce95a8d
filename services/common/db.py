"""Database engine and the request session: one request, one transaction, committed once on success."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession

from services.common.settings import Settings

POOL_RECYCLE_SECONDS = 1800


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
