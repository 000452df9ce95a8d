"""Reversals: the area's staff ask for a posted transfer to be undone as a whole; the committee approves it
like a disbursement, and the last approval needed posts the opposite transfer (409 insufficient-funds when
the money has been spent meanwhile, and nothing changes)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import structlog
from sqlalchemy.exc import IntegrityError
from sqlmodel.ext.asyncio.session import AsyncSession

from services.common.auth import Principal
from services.common.events.registry import EventType
from services.common.i18n import Text
from services.common.inbox import InboxItem
from services.common.models import touch
from services.common.pagination import PageRequest
from services.funds.approvals import service as approvals
from services.funds.disbursements import service as disbursements
from services.funds.funds import service as funds
from services.funds.funds.access import FUND_STAFF, may_see_people
from services.funds.funds.models import Fund
from services.funds.history import service as history
from services.funds.history.models import Action, Subject
from services.funds.ledger import service as ledger
from services.funds.ledger.events import TRANSFER_REVERSED, publish_transfer
from services.funds.ledger.models import TransferKind
from services.funds.problems import NotReversible, not_found_in
from services.funds.reversals import repository
from services.funds.reversals.events import (
    REVERSAL_APPROVAL_ADDED,
    REVERSAL_APPROVED,
    REVERSAL_CANCELLED,
    REVERSAL_REJECTED,
    REVERSAL_REQUESTED,
)
from services.funds.reversals.models import Reversal, ReversalStatus
from services.funds.reversals.schemas import ReversalDetail, ReversalPublic

REVERSAL = Text("reversal request", "คำขอกลับรายการ")
TRANSFER = Text("transfer", "รายการโอน")
REVERSALS = approvals.RequestKind(Reversal, Subject.reversal, REVERSAL, ReversalStatus)

log = structlog.get_logger()


async def request(
    session: AsyncSession, principal: Principal, fund_id: uuid.UUID, transfer_id: uuid.UUID, reason: str
) -> ReversalPublic:
    """Ask the committee to undo a transfer of this fund's ledger."""
    fund = await funds.load_for_staff(session, principal, fund_id)
    owners = await ledger.owners_of(session, transfer_id)
    if fund.id not in owners:
        raise not_found_in(fund.id, TRANSFER, transfer_id)
    await _require_staff_of_every_fund(session, principal, owners)
    await ledger.reversal_legs(session, transfer_id)  # refuses a reversal or an already reversed transfer
    receivers = await ledger.receivers_of(session, transfer_id)
    if fund.id not in receivers:  # maker-checker: the committee of the fund money leaves approves it
        raise NotReversible.through(min(receivers))
    pending = await repository.open_for(session, transfer_id)
    if pending is not None:
        raise NotReversible.pending(pending)
    reversal = Reversal(
        fund_id=fund.id, transfer_id=transfer_id, reason=reason, requested_by=principal.subject
    )
    try:  # in a savepoint: a request made at the same moment holds the transfer's one open reversal
        async with session.begin_nested():
            session.add(reversal)
            await session.flush()
    except IntegrityError:
        if (pending := await repository.open_for(session, transfer_id)) is None:
            raise
        raise NotReversible.pending(pending) from None
    await approvals.record_step(
        session, fund, principal, REVERSALS, reversal, Action.requested, {"transfer_id": str(transfer_id)}
    )
    await _publish(session, REVERSAL_REQUESTED, fund, reversal)
    await approvals.announce(session, inbox_item(reversal, fund.area_code, fund.name_th))
    log.info("fund.reversal_requested", fund_id=str(fund.id), transfer_id=str(transfer_id))
    return public(reversal, fund, principal)


def inbox_item(reversal: Reversal, area_code: str, fund_name: str) -> InboxItem:
    return approvals.inbox_item(
        "reversal_approval", reversal, area_code, "reversal", reversal.reason, fund_name
    )


async def approve(
    session: AsyncSession, principal: Principal, fund_id: uuid.UUID, reversal_id: uuid.UUID, note: str | None
) -> ReversalPublic:
    """One committee member's approval; the last one needed posts the opposite transfer."""
    fund = await funds.load(session, fund_id)
    approvals.require_committee_member(fund, principal)
    reversal = await approvals.of_fund(session, REVERSALS, fund, reversal_id, lock=True)
    approvals.require_status(reversal.status, (ReversalStatus.requested,), approvals.APPROVE)
    await _require_staff_of_every_fund(
        session, principal, await ledger.owners_of(session, reversal.transfer_id)
    )
    count = await approvals.approve(session, fund, principal, REVERSALS, reversal, note)
    if count >= fund.approvals_required:
        await _post(session, fund, reversal, principal)
    touch(reversal)
    await session.flush()
    await _publish(session, REVERSAL_APPROVAL_ADDED, fund, reversal)
    if reversal.status == ReversalStatus.approved:
        await _publish(session, REVERSAL_APPROVED, fund, reversal)
    return public(reversal, fund, principal)


async def settle_waiting(
    session: AsyncSession, principal: Principal, fund: Fund, waiting: Sequence[Reversal]
) -> int:
    """After the fund's committee or approval rule changed: each waiting reversal (`approvals.lock_waiting`)
    counts its current members' approvals again, and one that now has enough is posted — unless the fund
    cannot cover it, or the person who changed the rule is not staff of every fund the transfer touched (then
    a member's approval completes it later). Returns how many were posted."""

    async def post(reversal: Reversal) -> bool:
        owners = await ledger.owners_of(session, reversal.transfer_id)
        enough = reversal.approvals_count >= fund.approvals_required
        if not enough or not await _staff_of_every_fund(session, principal, owners):
            return False
        await _post(session, fund, reversal, principal)
        return True

    posted = await approvals.settle(session, fund, waiting, post)
    for reversal in posted:
        await _publish(session, REVERSAL_APPROVED, fund, reversal)
    return len(posted)


async def _staff_of_every_fund(session: AsyncSession, principal: Principal, fund_ids: set[uuid.UUID]) -> bool:
    return all([principal.may(FUND_STAFF, await funds.area_of(session, fund_id)) for fund_id in fund_ids])


async def _require_staff_of_every_fund(
    session: AsyncSession, principal: Principal, fund_ids: set[uuid.UUID]
) -> None:
    """Undoing a transfer between funds takes money back out of the other fund too: whoever asks for it or
    approves it must be staff of every fund the transfer touched, not only of the one in the path."""
    for fund_id in sorted(fund_ids):
        principal.require(FUND_STAFF, await funds.area_of(session, fund_id))


async def reject(
    session: AsyncSession, principal: Principal, fund_id: uuid.UUID, reversal_id: uuid.UUID, reason: str
) -> ReversalPublic:
    fund = await funds.load(session, fund_id)
    approvals.require_committee_member(fund, principal)
    reversal = await approvals.of_fund(session, REVERSALS, fund, reversal_id, lock=True)
    return await _close(session, fund, reversal, principal, ReversalStatus.rejected, reason)


async def cancel(
    session: AsyncSession,
    principal: Principal,
    fund_id: uuid.UUID,
    reversal_id: uuid.UUID,
    reason: str | None,
) -> ReversalPublic:
    fund = await funds.load(session, fund_id)
    reversal = await approvals.of_fund(session, REVERSALS, fund, reversal_id, lock=True)
    approvals.require_requester_or_member(fund, principal, reversal.requested_by)
    return await _close(session, fund, reversal, principal, ReversalStatus.cancelled, reason)


async def get(
    session: AsyncSession, principal: Principal | None, fund_id: uuid.UUID, reversal_id: uuid.UUID
) -> tuple[ReversalDetail, int]:
    fund = await funds.load_for_reading(session, principal, fund_id)
    reversal = await approvals.of_fund(session, REVERSALS, fund, reversal_id)
    steps = await history.of_subject(session, reversal.id, people=may_see_people(principal, fund.area_code))
    return ReversalDetail(**public(reversal, fund, principal).model_dump(), history=steps), reversal.version


async def list_reversals(
    session: AsyncSession,
    principal: Principal | None,
    fund_id: uuid.UUID,
    *,
    page: PageRequest,
) -> tuple[list[ReversalPublic], str | None]:
    fund = await funds.load_for_reading(session, principal, fund_id)
    rows, next_cursor = await repository.page(session, fund.id, page=page)
    return [public(row, fund, principal) for row in rows], next_cursor


def public(reversal: Reversal, fund: Fund, principal: Principal | None) -> ReversalPublic:
    people = may_see_people(principal, fund.area_code)
    return ReversalPublic(
        **reversal.model_dump(exclude={"requested_by"}),
        requested_by=reversal.requested_by if people else None,
        approvals_required=fund.approvals_required,
    )


async def _post(session: AsyncSession, fund: Fund, reversal: Reversal, principal: Principal) -> None:
    """Post the opposite of every entry of the transfer, as one transfer, and publish it to each fund."""
    legs = await ledger.reversal_legs(session, reversal.transfer_id)
    transfer = await ledger.post_transfer(
        session,
        kind=TransferKind.reversal,
        legs=legs,
        memo=reversal.reason,
        request_type=Subject.reversal.value,
        request_id=reversal.id,
        reverses_transfer_id=reversal.transfer_id,
    )
    reversal.status = ReversalStatus.approved
    reversal.reversal_transfer_id = transfer.id
    details = {"transfer_id": str(reversal.transfer_id), "reversal_transfer_id": str(transfer.id)}
    await approvals.record_step(session, fund, principal, REVERSALS, reversal, Action.reversed, details)
    areas = {fund.id: fund.area_code}
    for owner_id in {leg.owner_id for leg in legs} - {fund.id}:
        other = await funds.find(session, owner_id)
        if other is not None:
            areas[owner_id] = other.area_code
    await publish_transfer(
        session,
        TRANSFER_REVERSED,
        transfer,
        areas=areas,
        memo=reversal.reason,
        reverses_transfer_id=reversal.transfer_id,
    )
    request_type, request_id = await ledger.requested_by(session, reversal.transfer_id)
    if request_type == Subject.disbursement.value and request_id is not None:
        await disbursements.payment_reversed(session, principal, request_id, reversal.id)
    log.info(
        "fund.transfer_reversed", transfer_id=str(reversal.transfer_id), reversal_transfer_id=str(transfer.id)
    )


async def _close(
    session: AsyncSession,
    fund: Fund,
    reversal: Reversal,
    principal: Principal,
    status: ReversalStatus,
    reason: str | None,
) -> ReversalPublic:
    rejected = status == ReversalStatus.rejected
    allowed = (ReversalStatus.requested,)
    await approvals.close(
        session, fund, principal, REVERSALS, reversal, rejected=rejected, reason=reason, allowed=allowed
    )
    await _publish(session, REVERSAL_REJECTED if rejected else REVERSAL_CANCELLED, fund, reversal)
    return public(reversal, fund, principal)


async def _publish(session: AsyncSession, event: EventType, fund: Fund, reversal: Reversal) -> None:
    await approvals.publish(session, event, fund, reversal.model_dump(exclude={"requested_by"}))
