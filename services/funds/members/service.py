"""Committee members whose approvals count: those whose accounts are active, as the gateway's events tell."""

from __future__ import annotations

from collections.abc import Sequence

import structlog
from sqlmodel.ext.asyncio.session import AsyncSession

from services.common.events.envelope import EventEnvelope
from services.funds.members import repository

ACTIVE_AFTER = {"user.deactivated": False, "user.reactivated": True}
log = structlog.get_logger()


async def record(session: AsyncSession, events: Sequence[EventEnvelope]) -> list[str]:
    """Keep each account's newest state from a batch of events (the rest is not ours); the ids that changed.
    Idempotent."""
    newest: dict[str, EventEnvelope] = {}
    for event in events:
        if event.type in ACTIVE_AFTER and event.aggregate_id:
            kept = newest.get(event.aggregate_id)
            if kept is None or kept.occurred_at <= event.occurred_at:
                newest[event.aggregate_id] = event
    rows = [
        {"user_id": user_id, "active": ACTIVE_AFTER[event.type], "changed_at": event.occurred_at}
        for user_id, event in newest.items()
    ]
    changed = await repository.keep_newest(session, rows)
    if changed:
        log.info("fund.member_accounts_changed", users=len(changed))
    return changed


async def active(session: AsyncSession, committee: Sequence[str]) -> list[str]:
    """The committee's members whose accounts are active (only their approvals count)."""
    inactive = await repository.inactive_among(session, committee)
    return [member for member in committee if member not in inactive]
