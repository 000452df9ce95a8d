"""Keeping the event log (the replay source) and the delivery log for their retention period only."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncEngine

from gateway.webhooks.models import LoggedEvent, table_of

PRUNE_CHUNK = 5_000


async def prune_history(engine: AsyncEngine, *, older_than: datetime) -> int:
    """Delete, in chunks, events received before `older_than` (the foreign key takes their messages)."""
    events = table_of(LoggedEvent).c
    pruned = 0
    while True:
        chunk = select(events.id).where(events.received_at < older_than).limit(PRUNE_CHUNK).scalar_subquery()
        async with engine.begin() as connection:
            result = await connection.execute(delete(table_of(LoggedEvent)).where(events.id.in_(chunk)))
        deleted = int(getattr(result, "rowcount", 0) or 0)
        pruned += deleted
        if deleted < PRUNE_CHUNK:
            return pruned
