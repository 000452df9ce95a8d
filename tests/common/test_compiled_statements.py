"""A statement compiled once runs inside the request session's transaction: it commits and rolls back with
what the ORM writes, and one whose SQL would change per call is refused when it is built."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import bindparam, delete, insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

from services.common.db import CompiledStatement, session_factory
from services.common.events.outbox import event_source

SEQUENCES = event_source("funds", "funds").sequences
_INSERT = CompiledStatement(
    insert(SEQUENCES).values(aggregate_type="test", aggregate_id=bindparam("aggregate_id"), last_sequence=7)
)


async def _kept(engine: AsyncEngine, aggregate_id: str) -> list[int]:
    async with engine.connect() as connection:
        rows = await connection.execute(
            select(SEQUENCES.c.last_sequence).where(SEQUENCES.c.aggregate_id == aggregate_id)
        )
        return [row.last_sequence for row in rows]


async def test_a_compiled_write_is_undone_when_the_request_rolls_back(database_engine: AsyncEngine) -> None:
    aggregate_id = str(uuid.uuid4())
    async with session_factory(database_engine)() as session:
        await _INSERT.fetch(session, aggregate_id=aggregate_id)
        assert (
            await session.scalar(
                select(SEQUENCES.c.last_sequence).where(SEQUENCES.c.aggregate_id == aggregate_id)
            )
            == 7
        )  # the ORM session sees it: the same connection, the same transaction
        await session.rollback()
    assert await _kept(database_engine, aggregate_id) == []


async def test_a_compiled_write_lasts_when_the_request_commits(database_engine: AsyncEngine) -> None:
    aggregate_id = str(uuid.uuid4())
    async with session_factory(database_engine)() as session:
        await _INSERT.fetch(session, aggregate_id=aggregate_id)
        await session.commit()
    try:
        assert await _kept(database_engine, aggregate_id) == [7]
    finally:
        async with database_engine.begin() as connection:
            await connection.execute(delete(SEQUENCES).where(SEQUENCES.c.aggregate_id == aggregate_id))


def test_a_statement_whose_sql_changes_with_its_values_is_refused() -> None:
    with pytest.raises(ValueError, match="cannot expand"):
        CompiledStatement(
            select(SEQUENCES).where(SEQUENCES.c.aggregate_id.in_(bindparam("ids", expanding=True)))
        )
