"""Disbursements (maker-checker): requested by the area's staff, approved by the fund's committee — the
amount is reserved when the last approval needed arrives, or the approval fails with insufficient-funds and
the request stays requested — then paid once, through the ledger. Rejecting or cancelling releases what was
reserved. A disbursement whose payee is a fund moves money between funds."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import structlog
from sqlmodel.ext.asyncio.session import AsyncSession

from services.common.auth import Principal
from services.common.events.registry import EventType
from services.common.i18n import Text
from services.common.inbox import InboxItem
from services.common.models import touch
from services.common.money import format_baht
from services.common.pagination import PageRequest
from services.common.privacy import national_id_kept
from services.common.resources import get_or_404
from services.funds.approvals import service as approvals
from services.funds.disbursements import projects, repository
from services.funds.disbursements.events import (
    DISBURSEMENT_APPROVAL_ADDED,
    DISBURSEMENT_APPROVED,
    DISBURSEMENT_CANCELLED,
    DISBURSEMENT_PAID,
    DISBURSEMENT_REJECTED,
    DISBURSEMENT_REQUESTED,
    DISBURSEMENT_REVERSED,
)
from services.funds.disbursements.models import (
    Disbursement,
    DisbursementStatus,
    PayeeKind,
    ProjectVerification,
)
from services.funds.disbursements.schemas import DisbursementCreate, DisbursementDetail, DisbursementPublic
from services.funds.funds import service as funds
from services.funds.funds.access import may_see_people
from services.funds.funds.models import Fund
from services.funds.history import service as history
from services.funds.history.models import Action, Subject
from services.funds.ledger import service as ledger
from services.funds.ledger.access import public_name
from services.funds.ledger.events import TRANSFER_POSTED, publish_transfer
from services.funds.ledger.models import AccountPurpose, TransferKind
from services.funds.ledger.service import Leg
from services.funds.problems import invalid_field

DISBURSEMENT = Text("disbursement", "คำขอเบิกจ่าย")
DISBURSEMENTS = approvals.RequestKind(Disbursement, Subject.disbursement, DISBURSEMENT, DisbursementStatus)
PAY = Text("paid", "จ่ายเงิน")
OPEN = (DisbursementStatus.requested, DisbursementStatus.approved)
# what only the area's staff see of a disbursement, and what nobody sees
_PERSONAL = {
    "payee_name",
    "payee_national_id_hash",
    "payee_national_id_last4",
    "requested_by",
    "payment_reference",
}

log = structlog.get_logger()


async def request(
    session: AsyncSession, principal: Principal, fund_id: uuid.UUID, data: DisbursementCreate
) -> DisbursementPublic:
    """Ask the committee to pay money out of the fund; the area's staff may."""
    fund = await funds.load_for_staff(session, principal, fund_id)
    payee_name = await _payee_name(session, fund, data)
    national_id_hash, national_id_last4 = _payee_national_id(data)
    if data.project_id is not None:
        await projects.check_project(fund, data.project_id)
    disbursement = Disbursement(
        fund_id=fund.id,
        amount_satang=data.amount_satang,
        purpose=data.purpose,
        payee_kind=data.payee_kind,
        payee_name=payee_name,
        payee_national_id_hash=national_id_hash,
        payee_national_id_last4=national_id_last4,
        to_fund_id=data.to_fund_id,
        project_id=data.project_id,
        project_verification=ProjectVerification.verified if data.project_id else None,
        requested_by=principal.subject,
    )
    session.add(disbursement)
    await session.flush()
    step = {"amount_satang": data.amount_satang}
    await approvals.record_step(session, fund, principal, DISBURSEMENTS, disbursement, Action.requested, step)
    await _publish(session, DISBURSEMENT_REQUESTED, fund, disbursement)
    await approvals.announce(session, inbox_item(disbursement, fund.area_code, fund.name_th))
    log.info("fund.disbursement_requested", fund_id=str(fund.id), disbursement_id=str(disbursement.id))
    return public(disbursement, fund, principal)


def inbox_item(disbursement: Disbursement, area_code: str, fund_name: str) -> InboxItem:
    parts = (f"฿{format_baht(disbursement.amount_satang)}", disbursement.purpose, fund_name)  # any language
    return approvals.inbox_item("disbursement_approval", disbursement, area_code, "disbursement", *parts)


async def approve(
    session: AsyncSession,
    principal: Principal,
    fund_id: uuid.UUID,
    disbursement_id: uuid.UUID,
    note: str | None,
) -> DisbursementPublic:
    """One committee member's approval; the last one needed reserves the amount (409 insufficient-funds
    when the fund's available money does not cover it, and nothing changes)."""
    fund = await funds.load(session, fund_id)
    approvals.require_committee_member(fund, principal)
    disbursement = await _locked(session, fund, disbursement_id)
    approvals.require_status(disbursement.status, (DisbursementStatus.requested,), approvals.APPROVE)
    await approvals.approve(session, fund, principal, DISBURSEMENTS, disbursement, note)
    reached = await _reserve_when_approved(session, fund, disbursement, principal)
    touch(disbursement)
    await session.flush()
    await _publish(session, DISBURSEMENT_APPROVAL_ADDED, fund, disbursement)
    if reached:
        await _publish(session, DISBURSEMENT_APPROVED, fund, disbursement)
    log.info(
        "fund.disbursement_approval_recorded",
        disbursement_id=str(disbursement.id),
        approvals=disbursement.approvals_count,
        status=disbursement.status,
    )
    return public(disbursement, fund, principal)


async def settle_waiting(
    session: AsyncSession, principal: Principal, fund: Fund, waiting: Sequence[Disbursement]
) -> int:
    """After the fund's committee or approval rule changed: each waiting request (`approvals.lock_waiting`)
    counts its current members' approvals again, and one that now has enough is approved as if its last
    approval had just arrived — its amount reserved, or, when the fund cannot cover it, left requested (a
    member's approval completes it later). Returns how many were approved."""

    async def reserve(disbursement: Disbursement) -> bool:
        return await _reserve_when_approved(session, fund, disbursement, principal)

    approved = await approvals.settle(session, fund, waiting, reserve)
    for disbursement in approved:
        await _publish(session, DISBURSEMENT_APPROVED, fund, disbursement)
    return len(approved)


async def reject(
    session: AsyncSession, principal: Principal, fund_id: uuid.UUID, disbursement_id: uuid.UUID, reason: str
) -> DisbursementPublic:
    """A committee member turns the request down; a reservation is released."""
    fund = await funds.load(session, fund_id)
    approvals.require_committee_member(fund, principal)
    disbursement = await _locked(session, fund, disbursement_id)
    return await _close(session, fund, disbursement, principal, DisbursementStatus.rejected, reason)


async def cancel(
    session: AsyncSession,
    principal: Principal,
    fund_id: uuid.UUID,
    disbursement_id: uuid.UUID,
    reason: str | None,
) -> DisbursementPublic:
    """The requester (or a committee member) withdraws the request; a reservation is released."""
    fund = await funds.load(session, fund_id)
    disbursement = await _locked(session, fund, disbursement_id)
    approvals.require_requester_or_member(fund, principal, disbursement.requested_by)
    return await _close(session, fund, disbursement, principal, DisbursementStatus.cancelled, reason)


async def pay(
    session: AsyncSession,
    principal: Principal,
    fund_id: uuid.UUID,
    disbursement_id: uuid.UUID,
    payment_reference: str,
) -> DisbursementPublic:
    """Post the payment of an approved disbursement: reserved → paid, into the payee fund's holdings when the
    payee is a fund. The area's staff record it, once."""
    fund = await funds.load_for_staff(session, principal, fund_id)
    disbursement = await _locked(session, fund, disbursement_id)
    approvals.require_status(disbursement.status, (DisbursementStatus.approved,), PAY)
    amount = disbursement.amount_satang
    counterparty = public_name(disbursement.payee_kind, disbursement.payee_name)
    legs = [
        Leg(
            fund.id,
            AccountPurpose.holdings,
            -amount,
            str(disbursement.payee_kind),
            None if disbursement.payee_kind == PayeeKind.individual else counterparty,
            release_reserved_satang=amount,
        )
    ]
    areas = {fund.id: fund.area_code}
    if disbursement.to_fund_id is not None:
        payee = await funds.load(session, disbursement.to_fund_id)
        areas[payee.id] = payee.area_code
        legs.append(Leg(payee.id, AccountPurpose.holdings, amount, PayeeKind.fund.value, fund.name_th))
    else:
        legs.append(
            Leg(
                fund.id,
                AccountPurpose.payouts,
                amount,
                str(disbursement.payee_kind),
                legs[0].counterparty_name,
            )
        )
    kind = TransferKind.fund_transfer if disbursement.to_fund_id else TransferKind.disbursement
    transfer = await ledger.post_transfer(
        session,
        kind=kind,
        legs=legs,
        memo=disbursement.purpose,
        request_type=Subject.disbursement.value,
        request_id=disbursement.id,
    )
    disbursement.status = DisbursementStatus.paid
    disbursement.transfer_id = transfer.id
    disbursement.payment_reference = payment_reference
    disbursement.paid_at = transfer.posted_at
    touch(disbursement)
    await session.flush()
    details = {"transfer_id": str(transfer.id), "payment_reference": payment_reference}
    await approvals.record_step(session, fund, principal, DISBURSEMENTS, disbursement, Action.paid, details)
    await _publish(session, DISBURSEMENT_PAID, fund, disbursement)
    if disbursement.to_fund_id is not None:
        await publish_transfer(session, TRANSFER_POSTED, transfer, areas=areas, memo=disbursement.purpose)
    log.info("fund.disbursement_paid", disbursement_id=str(disbursement.id), transfer_id=str(transfer.id))
    return public(disbursement, fund, principal)


async def payment_reversed(
    session: AsyncSession, principal: Principal, disbursement_id: uuid.UUID, reversal_id: uuid.UUID
) -> None:
    """An approved reversal undid this disbursement's payment: it reads `reversed` from now on, with the step
    in its history, and its fund hears of it."""
    disbursement = await get_or_404(
        session, Disbursement, disbursement_id, what=DISBURSEMENT, for_update=True
    )
    fund = await funds.load(session, disbursement.fund_id)
    disbursement.status = DisbursementStatus.reversed
    touch(disbursement)
    await session.flush()
    step = {"reversal_id": str(reversal_id)}
    await approvals.record_step(session, fund, principal, DISBURSEMENTS, disbursement, Action.reversed, step)
    await _publish(session, DISBURSEMENT_REVERSED, fund, disbursement)
    log.info("fund.disbursement_reversed", disbursement_id=str(disbursement.id), reversal_id=str(reversal_id))


async def get(
    session: AsyncSession, principal: Principal | None, fund_id: uuid.UUID, disbursement_id: uuid.UUID
) -> tuple[DisbursementDetail, int]:
    """One disbursement with its whole history (public; people shown to the area's staff only)."""
    fund = await funds.load_for_reading(session, principal, fund_id)
    disbursement = await approvals.of_fund(session, DISBURSEMENTS, fund, disbursement_id)
    people = may_see_people(principal, fund.area_code)
    steps = await history.of_subject(session, disbursement.id, people=people)
    detail = DisbursementDetail(**public(disbursement, fund, principal).model_dump(), history=steps)
    return detail, disbursement.version


async def list_disbursements(
    session: AsyncSession,
    principal: Principal | None,
    fund_id: uuid.UUID,
    *,
    status: DisbursementStatus | None,
    page: PageRequest,
) -> tuple[list[DisbursementPublic], str | None]:
    fund = await funds.load_for_reading(session, principal, fund_id)
    rows, next_cursor = await repository.page(session, fund.id, status=status, page=page)
    return [public(row, fund, principal) for row in rows], next_cursor


def public(disbursement: Disbursement, fund: Fund, principal: Principal | None) -> DisbursementPublic:
    people = may_see_people(principal, fund.area_code)
    return DisbursementPublic(
        **disbursement.model_dump(exclude=_PERSONAL),
        payee_name=disbursement.payee_name
        if people
        else public_name(disbursement.payee_kind, disbursement.payee_name),
        payee_national_id_last4=disbursement.payee_national_id_last4 if people else None,
        requested_by=disbursement.requested_by if people else None,
        payment_reference=disbursement.payment_reference if people else None,
        approvals_required=fund.approvals_required,
    )


async def _close(
    session: AsyncSession,
    fund: Fund,
    disbursement: Disbursement,
    principal: Principal,
    status: DisbursementStatus,
    reason: str | None,
) -> DisbursementPublic:
    if disbursement.status == DisbursementStatus.approved:
        await ledger.release(session, fund.id, disbursement.amount_satang)
    rejected = status == DisbursementStatus.rejected
    await approvals.close(
        session, fund, principal, DISBURSEMENTS, disbursement, rejected=rejected, reason=reason, allowed=OPEN
    )
    await _publish(session, DISBURSEMENT_REJECTED if rejected else DISBURSEMENT_CANCELLED, fund, disbursement)
    log.info("fund.disbursement_closed", disbursement_id=str(disbursement.id), status=status)
    return public(disbursement, fund, principal)


async def _reserve_when_approved(
    session: AsyncSession, fund: Fund, disbursement: Disbursement, principal: Principal
) -> bool:
    """When the request has the approvals the fund requires, reserve its amount and mark it approved
    (InsufficientFunds, changing nothing, when the fund's available money does not cover it)."""
    if disbursement.approvals_count < fund.approvals_required:
        return False
    await ledger.reserve(session, fund.id, disbursement.amount_satang)
    disbursement.status = DisbursementStatus.approved
    details = {"amount_satang": disbursement.amount_satang}
    await approvals.record_step(
        session, fund, principal, DISBURSEMENTS, disbursement, Action.reserved, details
    )
    return True


def _payee_national_id(data: DisbursementCreate) -> tuple[str | None, str | None]:
    if data.payee_national_id is not None and data.payee_kind != PayeeKind.individual:
        raise invalid_field(
            "/payee_national_id",
            Text(
                "Only a private person (payee_kind individual) is named by a national ID.",
                "ระบุเลขประจำตัวประชาชนได้เฉพาะผู้รับที่เป็นบุคคล (payee_kind individual)",
            ),
        )
    return national_id_kept(data.payee_national_id)


async def _payee_name(session: AsyncSession, fund: Fund, data: DisbursementCreate) -> str:
    if data.payee_kind != PayeeKind.fund:
        if data.to_fund_id is not None:
            raise invalid_field(
                "/to_fund_id",
                Text("Only a fund payee has a to_fund_id.", "ระบุ to_fund_id ได้เฉพาะเมื่อผู้รับเป็นกองทุน"),
            )
        if data.payee_name is None:
            raise invalid_field("/payee_name", Text("Name the payee.", "กรุณาระบุชื่อผู้รับเงิน"))
        return data.payee_name
    if data.to_fund_id is None:
        raise invalid_field("/to_fund_id", Text("Name the fund to pay.", "กรุณาระบุกองทุนที่รับเงิน"))
    if data.to_fund_id == fund.id:
        raise invalid_field("/to_fund_id", Text("A fund cannot pay itself.", "กองทุนจ่ายเงินให้ตนเองไม่ได้"))
    payee = await funds.find(session, data.to_fund_id)
    if payee is None:
        raise invalid_field(
            "/to_fund_id", Text(f"No fund with id {data.to_fund_id}.", f"ไม่พบกองทุน รหัส {data.to_fund_id}")
        )
    return payee.name_th


async def _locked(session: AsyncSession, fund: Fund, disbursement_id: uuid.UUID) -> Disbursement:
    """The disbursement, locked for this transaction: its changes happen one at a time."""
    return await approvals.of_fund(session, DISBURSEMENTS, fund, disbursement_id, lock=True)


async def _publish(session: AsyncSession, event: EventType, fund: Fund, disbursement: Disbursement) -> None:
    data = disbursement.model_dump(exclude=_PERSONAL)
    payee_name = public_name(disbursement.payee_kind, disbursement.payee_name)
    await approvals.publish(session, event, fund, {**data, "payee_name": payee_name})
