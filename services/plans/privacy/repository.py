"""The records of plans that can name a private person: the attendance of central-space forums."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import String, cast, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from services.common.models import touch
from services.common.privacy import DataSubject
from services.plans.forums.models import Forum


def _naming(names: Sequence[str]) -> Any:
    return col(Forum.attendee_names).op("?|")(cast(list(names), ARRAY(String)))


async def held(session: AsyncSession, subject: DataSubject) -> dict[str, list[dict[str, Any]]]:
    names = subject.names
    forums = (await session.execute(select(Forum).where(_naming(names)))).scalars()
    return {
        "forum_attendance": [
            {"forum_id": str(forum.id), "title_th": forum.title_th, "held_on": str(forum.held_on)}
            for forum in forums
        ]
    }


async def pseudonymise(session: AsyncSession, subject: DataSubject) -> dict[str, int]:
    names, pseudonym = subject.names, subject.pseudonym
    forums = list((await session.execute(select(Forum).where(_naming(names)).with_for_update())).scalars())
    for forum in forums:
        forum.attendee_names = [pseudonym if name in names else name for name in forum.attendee_names]
        touch(forum)
    await session.flush()
    return {"forum_attendance": len(forums)}
