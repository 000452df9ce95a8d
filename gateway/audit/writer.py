"""The gateway worker's reader of every service's events (consumer group `gateway-audit`): each batch's
audited events appended to the log in one transaction (at least once, de-duplicated by event id)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from gateway.audit import repository
from gateway.audit.actions import fact_of
from services.common.events.envelope import EventEnvelope


class AuditWriter:
    def __init__(self, engine: AsyncEngine) -> None:
        self.sessions = async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)

    async def __call__(self, events: Sequence[EventEnvelope]) -> None:
        facts = [fact for event in events if (fact := fact_of(event)) is not None]
        if not facts:
            return
        async with self.sessions() as session, session.begin():
            await repository.append(session, facts)
