"""One province, one project, one agreement (บันทึกข้อตกลงความร่วมมือ): a project's cooperation agreement,
signed by many partners each in its role, amended with a reason that is kept beside what each field was.
Everyone reads it; the province's staff record, amend and gather its signatures."""

from __future__ import annotations

import uuid

import structlog
from sqlmodel.ext.asyncio.session import AsyncSession

from services.common import errors
from services.common.auth import Principal
from services.common.clock import utcnow
from services.common.events import record_event
from services.common.geo import covers
from services.common.i18n import Text
from services.common.models import ExpectedVersions
from services.common.pagination import Page, PageRequest
from services.common.resources import confined
from services.plans.agreements import repository
from services.plans.agreements.access import AGREEMENT_AUTHORS
from services.plans.agreements.events import AGREEMENT_SIGNED
from services.plans.agreements.models import Agreement, AgreementBase, Amendment, Signatory
from services.plans.agreements.repository import AGREEMENTS
from services.plans.agreements.schemas import (
    AgreementAmend,
    AgreementCreate,
    AgreementPublic,
    AmendmentPublic,
    SignatoryCreate,
    SignatoryPublic,
)
from services.plans.partners.models import Partner
from services.plans.partners.repository import PARTNERS
from services.plans.problems import AgreementExists, AlreadySigned
from services.plans.projects.repository import PROJECTS

log = structlog.get_logger()


async def create(session: AsyncSession, principal: Principal, data: AgreementCreate) -> AgreementPublic:
    """Record a project's agreement; a second for the same project is 409 naming the first (the database's
    unique key decides a race)."""
    project = await PROJECTS.referenced(session, data.project_id, pointer="/project_id")
    fields = AgreementBase(**data.model_dump(), province_code=project.province_code)

    async def taken(session: AsyncSession, _: object) -> AgreementExists | None:
        existing = await repository.of_project(session, data.project_id)
        return AgreementExists(existing_id=existing.id, project_id=data.project_id) if existing else None

    return await AGREEMENTS.create(session, principal, fields, may=AGREEMENT_AUTHORS, taken=taken)


async def get(session: AsyncSession, principal: Principal | None, agreement_id: uuid.UUID) -> AgreementPublic:
    """An agreement with its signatories, as organisations (public)."""
    agreement = await AGREEMENTS.read(session, principal, agreement_id)
    agreement.signatories = await _signatories(session, agreement_id)
    return agreement


async def amend(
    session: AsyncSession,
    principal: Principal,
    agreement_id: uuid.UUID,
    data: AgreementAmend,
    expected_version: ExpectedVersions,
) -> AgreementPublic:
    """Amend the agreement's text; what each changed field was, and why, is kept as an amendment."""
    agreement = await AGREEMENTS.locked(session, principal, agreement_id, may=AGREEMENT_AUTHORS)
    changes = data.model_dump(exclude_unset=True, exclude={"reason"})
    before = {name: getattr(agreement, name) for name in changes}
    if await AGREEMENTS.revise(session, agreement, changes, expected_version=expected_version):
        changed = {
            name: {"before": _shown(before[name]), "after": _shown(getattr(agreement, name))}
            for name in changes
            if before[name] != getattr(agreement, name)
        }
        session.add(
            Amendment(
                agreement_id=agreement.id,
                version=agreement.version,
                reason=data.reason,
                changes=changed,
                amended_by=principal.subject,
                amended_at=utcnow(),
            )
        )
        await session.flush()
        log.info("agreement.amended", agreement_id=str(agreement.id), version=agreement.version)
    shown = AGREEMENTS.shown(agreement)
    shown.signatories = await _signatories(session, agreement.id)
    return shown


async def add_signatory(
    session: AsyncSession, principal: Principal, agreement_id: uuid.UUID, data: SignatoryCreate
) -> AgreementPublic:
    """A partner signs, in its role; a partner signs once (409). It works in, or over, the province."""
    agreement = await AGREEMENTS.locked(session, principal, agreement_id, may=AGREEMENT_AUTHORS)
    partner = await session.get(Partner, data.partner_id)
    if partner is None:
        raise errors.nothing_at("/partner_id", PARTNERS.what, data.partner_id)
    province = agreement.province_code
    if not (covers(partner.area_code, province) or covers(province, partner.area_code)):
        raise errors.at_field(
            errors.Conflict,
            "/partner_id",
            Text(
                f"Partner {partner.id} works in {partner.area_code}, outside province {province}.",
                f"ภาคี {partner.id} ทำงานในพื้นที่ {partner.area_code} ซึ่งอยู่นอกจังหวัด {province}",
            ),
        )
    if await repository.signatory(session, agreement.id, partner.id) is not None:
        raise AlreadySigned()
    session.add(Signatory(agreement_id=agreement.id, added_by=principal.subject, **data.model_dump()))
    agreement.version, agreement.updated_at = agreement.version + 1, utcnow()
    session.add(agreement)
    await session.flush()
    await record_event(
        session,
        AGREEMENT_SIGNED,
        aggregate_id=str(agreement.id),
        area_code=province,
        data={
            "agreement_id": agreement.id,
            "project_id": agreement.project_id,
            "partner_id": partner.id,
            "partner_name_th": partner.name_th,
            "role": data.role,
            "signed_on": data.signed_on,
        },
    )
    log.info("agreement.signed", agreement_id=str(agreement.id), partner_id=str(partner.id))
    shown = AGREEMENTS.shown(agreement)
    shown.signatories = await _signatories(session, agreement.id)
    return shown


async def list_agreements(
    session: AsyncSession,
    principal: Principal | None,
    *,
    area: str | None,
    project_id: uuid.UUID | None,
    page: PageRequest,
) -> Page[AgreementPublic]:
    statement = AGREEMENTS.within(confined(principal, area), (Agreement.project_id, project_id))
    found = await AGREEMENTS.page(session, statement, page)
    for item in found.items:
        item.signatories = await _signatories(session, item.id)
    return found


async def list_amendments(
    session: AsyncSession, principal: Principal | None, agreement_id: uuid.UUID
) -> list[AmendmentPublic]:
    """Every amendment in order, each with the version it made, what changed and why (public)."""
    await AGREEMENTS.read(session, principal, agreement_id)
    return [AmendmentPublic.model_validate(row) for row in await repository.amendments(session, agreement_id)]


async def _signatories(session: AsyncSession, agreement_id: uuid.UUID) -> list[SignatoryPublic]:
    return [
        SignatoryPublic(
            partner_id=partner.id,
            name_th=partner.name_th,
            name_en=partner.name_en,
            sector=partner.sector,
            role=signatory.role,
            signed_on=signatory.signed_on,
        )
        for signatory, partner in await repository.signatories(session, agreement_id)
    ]


def _shown(value: object) -> object:
    return value.isoformat() if hasattr(value, "isoformat") else value
