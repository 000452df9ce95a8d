"""Agenda items as stored."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.common.i18n import Text
from services.common.resources import AreaResource
from services.plans.agendas.models import Agenda
from services.plans.agendas.schemas import AgendaPublic

AGENDAS = AreaResource(
    model=Agenda,
    public=AgendaPublic,
    area_field="province_code",
    what=Text("agenda item", "วาระ"),
    aggregate="agenda",
)


async def provinces_of(session: AsyncSession, model: Any, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, str]:
    """The province of each of `ids` that `model` (plans or projects) holds."""
    wanted = set(ids)
    if not wanted:
        return {}
    statement = select(model.id, model.province_code).where(col(model.id).in_(wanted))
    return {row_id: province for row_id, province in (await session.exec(statement)).all()}
