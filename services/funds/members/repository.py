"""Every query of the accounts the funds were told of."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.funds.members.models import MemberAccount

MEMBER_ACCOUNTS: Table = MemberAccount.__table__  # type: ignore[attr-defined]


async def keep_newest(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> list[str]:
    """Insert or replace each account's state unless a newer one is stored; the user ids that changed."""
    if not rows:
        return []
    values = insert(MEMBER_ACCOUNTS).values(list(rows))
    statement = values.on_conflict_do_update(
        index_elements=[MEMBER_ACCOUNTS.c.user_id],
        set_={"active": values.excluded.active, "changed_at": values.excluded.changed_at},
        where=MEMBER_ACCOUNTS.c.changed_at < values.excluded.changed_at,
    ).returning(MEMBER_ACCOUNTS.c.user_id)
    return list((await session.scalars(statement)).all())


async def inactive_among(session: AsyncSession, user_ids: Collection[str]) -> set[str]:
    if not user_ids:
        return set()
    statement = select(MEMBER_ACCOUNTS.c.user_id).where(
        MEMBER_ACCOUNTS.c.user_id.in_(list(user_ids)), MEMBER_ACCOUNTS.c.active.is_(False)
    )
    return set((await session.scalars(statement)).all())
