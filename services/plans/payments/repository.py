"""A project's payments as the funds service's events reported them."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.plans.payments.models import ProjectPayment

PAYMENTS = ProjectPayment.__table__  # type: ignore[attr-defined]


async def keep_newest(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    """Insert each payment, or replace the stored one when this is a newer version of the disbursement."""
    if not rows:
        return
    values = insert(ProjectPayment).values(list(rows))
    statement = values.on_conflict_do_update(
        index_elements=[PAYMENTS.c.disbursement_id],
        set_={name: values.excluded[name] for name in rows[0] if name != "disbursement_id"},
        where=PAYMENTS.c.disbursement_version < values.excluded.disbursement_version,
    )
    await session.exec(statement)


async def of_project(session: AsyncSession, project_id: uuid.UUID) -> Sequence[ProjectPayment]:
    statement = (
        select(ProjectPayment)
        .where(ProjectPayment.project_id == project_id)
        .order_by(col(ProjectPayment.paid_at), col(ProjectPayment.disbursement_id))
    )
    return (await session.exec(statement)).all()
