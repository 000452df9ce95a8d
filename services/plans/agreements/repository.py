"""Agreements, their signatories and their amendments as stored."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.common.i18n import Text
from services.common.resources import AreaResource
from services.plans.agreements.models import Agreement, Amendment, Signatory
from services.plans.agreements.schemas import AgreementPublic
from services.plans.partners.models import Partner

AGREEMENTS = AreaResource(
    model=Agreement,
    public=AgreementPublic,
    area_field="province_code",
    what=Text("agreement", "ข้อตกลงความร่วมมือ"),
    aggregate="agreement",
)


async def of_project(session: AsyncSession, project_id: uuid.UUID) -> Agreement | None:
    return (await session.exec(select(Agreement).where(Agreement.project_id == project_id))).first()


async def signatories(session: AsyncSession, agreement_id: uuid.UUID) -> Sequence[Any]:
    """The agreement's signatories with their organisations, in the order they signed."""
    statement = (
        select(Signatory, Partner)
        .join(Partner, col(Partner.id) == col(Signatory.partner_id))
        .where(Signatory.agreement_id == agreement_id)
        .order_by(col(Signatory.created_at), col(Signatory.partner_id))
    )
    return (await session.exec(statement)).all()


async def signatory(
    session: AsyncSession, agreement_id: uuid.UUID, partner_id: uuid.UUID
) -> Signatory | None:
    return await session.get(Signatory, (agreement_id, partner_id))


async def amendments(session: AsyncSession, agreement_id: uuid.UUID) -> Sequence[Amendment]:
    statement = (
        select(Amendment).where(Amendment.agreement_id == agreement_id).order_by(col(Amendment.version))
    )
    return (await session.exec(statement)).all()
