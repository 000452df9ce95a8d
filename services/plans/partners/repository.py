"""Partners as stored."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.common.i18n import Text
from services.common.resources import AreaResource
from services.plans.partners.models import Partner
from services.plans.partners.schemas import PartnerPublic

PARTNERS = AreaResource(
    model=Partner,
    public=PartnerPublic,
    area_field="area_code",
    what=Text("partner", "ภาคี"),
    aggregate="partner",
)


async def unknown(session: AsyncSession, partner_ids: Iterable[uuid.UUID]) -> list[uuid.UUID]:
    """Those of `partner_ids` no partner has."""
    wanted = set(partner_ids)
    if not wanted:
        return []
    known = set((await session.exec(select(Partner.id).where(col(Partner.id).in_(wanted)))).all())
    return sorted(wanted - known)
