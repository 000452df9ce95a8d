"""The records of assessment that can name a private person: who substantiated an outcome."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from services.assessment.outcomes.models import Outcome
from services.common.privacy import DataSubject


async def held(session: AsyncSession, subject: DataSubject) -> dict[str, list[dict[str, Any]]]:
    names = subject.names
    outcomes = (await session.execute(select(Outcome).where(col(Outcome.substantiator).in_(names)))).scalars()
    return {
        "outcome_substantiations": [
            {"outcome_id": str(row.id), "verdict": row.verdict, "substantiated_at": str(row.substantiated_at)}
            for row in outcomes
        ]
    }


async def pseudonymise(session: AsyncSession, subject: DataSubject) -> dict[str, int]:
    names, pseudonym = subject.names, subject.pseudonym
    changed = await session.execute(
        update(Outcome).where(col(Outcome.substantiator).in_(names)).values(substantiator=pseudonym)
    )
    return {"outcome_substantiations": int(changed.rowcount or 0)}  # type: ignore[attr-defined]
