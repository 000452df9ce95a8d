"""Evidence files as recorded (their bytes are in the file store)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.plans.evidence.models import EvidenceFile


async def of_update(session: AsyncSession, update_id: uuid.UUID) -> Sequence[EvidenceFile]:
    statement = (
        select(EvidenceFile)
        .where(EvidenceFile.update_id == update_id)
        .order_by(col(EvidenceFile.created_at), col(EvidenceFile.id))
    )
    return (await session.exec(statement)).all()


async def same_content(session: AsyncSession, update_id: uuid.UUID, sha256: str) -> EvidenceFile | None:
    statement = select(EvidenceFile).where(EvidenceFile.update_id == update_id, EvidenceFile.sha256 == sha256)
    return (await session.exec(statement)).first()


async def count_of(session: AsyncSession, update_id: uuid.UUID) -> int:
    statement = select(func.count()).select_from(EvidenceFile).where(EvidenceFile.update_id == update_id)
    return int((await session.exec(statement)).one())


async def get(session: AsyncSession, file_id: uuid.UUID) -> EvidenceFile | None:
    return await session.get(EvidenceFile, file_id)
