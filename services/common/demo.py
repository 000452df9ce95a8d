"""Seeding a service's demo data (development only) once: through the service's own rules in one
transaction, one seeder at a time, nothing done when a marked row already exists."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import structlog
from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

from services.common.db import create_engine, session_factory
from services.common.events import bind_event_source, event_source
from services.common.events.registry import EventType, register
from services.common.settings import Settings

DEMO_MARK = "(สาธิต)"
log = structlog.get_logger()


async def seed_once(
    settings: Settings,
    *,
    service: str,
    event_types: Sequence[EventType],
    seeded: Any,
    seed: Callable[[AsyncSession], Awaitable[None]],
) -> bool:
    """Run `seed` unless the `seeded` query finds a row; returns whether anything was created."""
    register(*event_types)  # the demo records the service's events outside its app and worker
    engine = create_engine(settings, application_name=f"khabuan-{service}-demo")
    sessions = session_factory(engine)
    bind_event_source(sessions, event_source(service, service))
    try:
        async with sessions() as session:
            # one seeder at a time (several setup containers may start together)
            await session.execute(
                text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": f"{service}:demo"}
            )
            if (await session.exec(seeded)).first() is not None:
                return False
            await seed(session)
            await session.commit()
    finally:
        await engine.dispose()
    log.info(f"{service}.demo_ready")
    return True
