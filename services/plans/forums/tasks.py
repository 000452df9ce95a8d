"""The plans worker's hourly announcement of follow-up actions that passed their day."""

from __future__ import annotations

from typing import Any

from services.plans.forums import service


async def announce_overdue_actions(ctx: dict[str, Any]) -> int:
    async with ctx["sessions"]() as session:
        announced = await service.announce_overdue(session)
        await session.commit()
    return announced
