"""Contributions: the area's staff record money that came into a fund, as one balanced ledger transfer
(the fund's contributions account → its holdings)."""

from __future__ import annotations

import uuid
from datetime import date

import structlog
from sqlmodel.ext.asyncio.session import AsyncSession

from services.common.auth import Principal
from services.common.calendar import bangkok_date
from services.common.clock import utcnow
from services.common.events import record_event
from services.common.i18n import Text
from services.common.pagination import PageRequest
from services.common.resources import get_or_404
from services.funds.contributions import repository
from services.funds.contributions.events import CONTRIBUTION_POSTED
from services.funds.contributions.models import JOINT_BUDGET_SOURCES, Contribution, SourceKind
from services.funds.contributions.schemas import ContributionCreate, ContributionPublic
from services.funds.funds import service as funds
from services.funds.funds.access import FUND_STAFF, may_see_people
from services.funds.funds.models import Fund
from services.funds.ledger import service as ledger
from services.funds.ledger.access import public_name
from services.funds.ledger.models import AccountPurpose, TransferKind
from services.funds.ledger.service import Leg
from services.funds.problems import invalid_field, not_found_in

CONTRIBUTION = Text("contribution", "เงินสมทบ")

log = structlog.get_logger()


async def contribute(
    session: AsyncSession, principal: Principal, fund_id: uuid.UUID, data: ContributionCreate
) -> ContributionPublic:
    """Post a contribution to the fund's ledger: one balanced transfer (its contributions account → its
    holdings), the contribution row (written before the accounts are locked) and its event, in the request's
    transaction."""
    area_code = await funds.area_of(session, fund_id)
    principal.require(FUND_STAFF, area_code)
    _check(data)
    contribution_id = uuid.uuid4()
    # the ledger never holds a private person's name (it must stay erasable; the chain is for ever)
    source, counterparty = (
        data.source_kind.value,
        None if data.source_kind == SourceKind.individual else data.source_name,
    )
    opened = ledger.open_transfer(
        kind=TransferKind.contribution,
        legs=[
            Leg(fund_id, AccountPurpose.contributions, -data.amount_satang, source, counterparty),
            Leg(fund_id, AccountPurpose.holdings, data.amount_satang, source, counterparty),
        ],
        request_type="contribution",
        request_id=contribution_id,
    )
    recorded_at = utcnow()
    contribution = Contribution(
        id=contribution_id,
        created_at=recorded_at,
        updated_at=recorded_at,
        fund_id=fund_id,
        transfer_id=opened.id,
        amount_satang=data.amount_satang,
        source_kind=data.source_kind,
        source_name=data.source_name,
        is_joint_budget=data.source_kind in JOINT_BUDGET_SOURCES,
        received_on=data.received_on,
        reference=data.reference,
        recorded_by=principal.subject,
    )
    await repository.insert_contribution(session, contribution)  # before the accounts' lock
    transfer = await ledger.post(session, opened)
    posted = ContributionPublic.model_validate(
        {**contribution.model_dump(), "balance_after_satang": transfer.entry(fund_id).balance_after_satang}
    )
    await record_event(
        session,
        CONTRIBUTION_POSTED,
        aggregate_id=str(fund_id),
        area_code=area_code,
        data={**posted.model_dump(), "source_name": public_name(data.source_kind, data.source_name)},
    )
    log.info(
        "fund.contribution_posted",
        fund_id=str(fund_id),
        transfer_id=str(transfer.id),
        amount_satang=data.amount_satang,
    )
    return shown(posted, principal, area_code)


async def get(
    session: AsyncSession, principal: Principal | None, fund_id: uuid.UUID, contribution_id: uuid.UUID
) -> ContributionPublic:
    fund = await funds.load_for_reading(session, principal, fund_id)
    contribution = await get_or_404(session, Contribution, contribution_id, what=CONTRIBUTION)
    if contribution.fund_id != fund.id:
        raise not_found_in(fund.id, CONTRIBUTION, contribution_id)
    return public(contribution, fund, principal)


async def list_contributions(
    session: AsyncSession,
    principal: Principal | None,
    fund_id: uuid.UUID,
    *,
    source_kind: SourceKind | None,
    page: PageRequest,
) -> tuple[list[ContributionPublic], str | None]:
    fund = await funds.load_for_reading(session, principal, fund_id)
    rows, next_cursor = await repository.page(session, fund.id, source_kind=source_kind, page=page)
    return [public(row, fund, principal) for row in rows], next_cursor


def public(contribution: Contribution, fund: Fund, principal: Principal | None) -> ContributionPublic:
    return shown(ContributionPublic.model_validate(contribution.model_dump()), principal, fund.area_code)


def shown(
    contribution: ContributionPublic, principal: Principal | None, area_code: str
) -> ContributionPublic:
    """The contribution as this caller may see it: a private person, the reference and the recorder only
    to the area's staff."""
    if may_see_people(principal, area_code):
        return contribution
    return contribution.model_copy(
        update={
            "source_name": public_name(contribution.source_kind, contribution.source_name),
            "reference": None,
            "recorded_by": None,
        }
    )


def _check(data: ContributionCreate) -> None:
    if data.source_kind != SourceKind.individual and data.source_name is None:
        raise invalid_field(
            "/source_name",
            Text(
                "Name the source (the savings group, fund, partner or agency).",
                "กรุณาระบุชื่อแหล่งเงิน (กลุ่มออมทรัพย์ กองทุน ภาคี หรือหน่วยงาน)",
            ),
        )
    if data.received_on > _today():
        raise invalid_field(
            "/received_on",
            Text("The money cannot arrive in the future.", "วันที่ได้รับเงินต้องไม่เป็นวันในอนาคต"),
        )


def _today() -> date:
    return bangkok_date(utcnow())
