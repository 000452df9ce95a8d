"""Service-level tests' database session: the service's own kind of session, on one connection inside a
transaction that is rolled back after the test (Polar's `tests/fixtures/database.py`), so a test leaves
nothing behind and needs no cleanup, on the same migrated database the stack uses.

- The session joins the outer transaction with `join_transaction_mode="create_savepoint"`: the service
  code's `flush()` and `begin_nested()` work as in a request, and nothing it does can commit for real.
- It records events as the service under test (`bind_event_source`), as the request session does.
- Before the rollback, `SET CONSTRAINTS ALL IMMEDIATE` runs the checks a commit would (the ledger's deferred
  trigger that every transfer sums to zero), so a test that passes has written what a commit accepts.
- `refused(session, Problem)` is one request that fails: the call runs in a savepoint that is rolled back,
  as the request's transaction would be, and the test goes on to see that nothing changed.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TypeVar

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel.ext.asyncio.session import AsyncSession

from services.common.db import session_factory
from services.common.events import EventSource, bind_event_source

E = TypeVar("E", bound=BaseException)


@asynccontextmanager
async def rolled_back_session(engine: AsyncEngine, source: EventSource) -> AsyncIterator[AsyncSession]:
    """A session of the service's own factory, bound to one connection whose transaction is rolled back."""
    async with engine.connect() as connection:
        transaction = await connection.begin()
        sessions = session_factory(engine)
        sessions.configure(bind=connection, join_transaction_mode="create_savepoint")
        bind_event_source(sessions, source)
        try:
            async with sessions() as session:
                yield session
                await session.flush()
                # what COMMIT would check (deferred constraint triggers), then nothing is kept
                await session.execute(text("SET CONSTRAINTS ALL IMMEDIATE"))
        finally:
            await transaction.rollback()


@asynccontextmanager
async def refused(session: AsyncSession, problem: type[E]) -> AsyncIterator[pytest.ExceptionInfo[E]]:
    """`async with refused(session, OwnRequest): await approve(...)`: the call must raise `problem`, and what
    it wrote is rolled back, as a failed request's transaction is."""
    with pytest.raises(problem) as caught:
        async with session.begin_nested():
            yield caught
