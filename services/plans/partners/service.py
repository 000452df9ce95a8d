"""Partners (ภาคี): the organisations that work with the movement — agencies, local governments,
universities, firms, civil society, health assemblies — each in its area; they sign a province's one
agreement. Public; the area's staff record them."""

from __future__ import annotations

import uuid

from sqlmodel.ext.asyncio.session import AsyncSession

from services.common.auth import Principal
from services.common.models import ExpectedVersions
from services.common.pagination import Page, PageRequest
from services.common.resources import confined
from services.plans.partners.access import PARTNER_AUTHORS
from services.plans.partners.models import Partner, Sector
from services.plans.partners.repository import PARTNERS
from services.plans.partners.schemas import PartnerCreate, PartnerPublic, PartnerUpdate


async def create(session: AsyncSession, principal: Principal, data: PartnerCreate) -> PartnerPublic:
    return await PARTNERS.create(session, principal, data, may=PARTNER_AUTHORS)


async def get(session: AsyncSession, principal: Principal | None, partner_id: uuid.UUID) -> PartnerPublic:
    return await PARTNERS.read(session, principal, partner_id)


async def update(
    session: AsyncSession,
    principal: Principal,
    partner_id: uuid.UUID,
    data: PartnerUpdate,
    expected_version: ExpectedVersions,
) -> PartnerPublic:
    return await PARTNERS.update(session, principal, partner_id, data, expected_version, may=PARTNER_AUTHORS)


async def list_partners(
    session: AsyncSession,
    principal: Principal | None,
    *,
    area: str | None,
    sector: Sector | None,
    page: PageRequest,
) -> Page[PartnerPublic]:
    """Partners working inside `area` (of one sector when asked), in the order they were recorded."""
    statement = PARTNERS.within(confined(principal, area), (Partner.sector, sector))
    return await PARTNERS.page(session, statement, page)
