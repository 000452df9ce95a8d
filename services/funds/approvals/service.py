"""Disbursements and reversals are approval requests on a fund (the kernel's maker-checker rules in
services/common/approvals.py): the area's staff ask, members of the fund's committee approve, and each step is
kept in the fund's history. Only current members' approvals count, and only while their accounts are
active; the approvals of one request are counted one after another (its row is locked first)."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, Generic, Protocol, TypeVar

from sqlmodel.ext.asyncio.session import AsyncSession

from services.common import approvals, inbox
from services.common.auth import Principal
from services.common.events import record_event
from services.common.events.registry import EventType
from services.common.i18n import Text
from services.common.inbox import InboxItem, InboxKind
from services.common.models import Tracked, touch
from services.common.resources import get_or_404
from services.funds.funds.access import FUND_STAFF
from services.funds.funds.models import Fund
from services.funds.history import service as history
from services.funds.history.models import Action, Step, Subject
from services.funds.members import service as members
from services.funds.problems import InsufficientFunds, NotOnCommittee, not_found_in

WAITING = "requested"  # the status of a request, of either kind, that waits on the committee's approvals
# a request's statuses (disbursements and reversals share them) as a Thai reader says them
STATUS_TH = {
    "requested": "รออนุมัติ",
    "approved": "อนุมัติแล้ว",
    "rejected": "ถูกปฏิเสธ",
    "cancelled": "ยกเลิกแล้ว",
    "paid": "จ่ายเงินแล้ว",
    "reversed": "กลับรายการแล้ว",
}
APPROVE, REJECT, CANCEL = Text("approved", "อนุมัติ"), Text("rejected", "ปฏิเสธ"), Text("cancelled", "ยกเลิก")


class ApprovalRequest(Tracked, Protocol):
    id: uuid.UUID
    fund_id: uuid.UUID
    status: Any
    approvals_count: int
    requested_by: str
    decision_reason: str | None
    created_at: datetime


Request = TypeVar("Request", bound=ApprovalRequest)


@dataclass(frozen=True)
class RequestKind(Generic[Request]):
    """What a fund's request is: its table, its history subject, and its name in messages."""

    model: type[Request]
    subject: Subject
    what: Text
    statuses: type[StrEnum]  # its status enum (with at least rejected and cancelled)


def require_committee_member(fund: Fund, principal: Principal) -> None:
    """403 unless the principal is the area's staff and sits on the fund's committee."""
    principal.require(FUND_STAFF, fund.area_code)
    if principal.kind != "user" or principal.subject not in fund.committee:
        raise NotOnCommittee()


def require_requester_or_member(fund: Fund, principal: Principal, requested_by: str) -> None:
    """403 unless the principal made the request or sits on the committee (to withdraw it)."""
    principal.require(FUND_STAFF, fund.area_code)
    if principal.subject != requested_by and principal.subject not in fund.committee:
        raise NotOnCommittee()


def require_status(status: str, allowed: Collection[str], action: Text) -> None:
    approvals.require_status(status, allowed, action, STATUS_TH)


async def of_fund(
    session: AsyncSession,
    kind: RequestKind[Request],
    fund: Fund,
    request_id: uuid.UUID,
    *,
    lock: bool = False,
) -> Request:
    """The fund's request (404 for one of another fund); `lock`: its changes happen one at a time."""
    request = await get_or_404(session, kind.model, request_id, what=kind.what, for_update=lock)  # type: ignore[type-var]
    if request.fund_id != fund.id:
        raise not_found_in(fund.id, kind.what, request_id)
    if lock:  # the committee and rule as they are once the request is ours (a change may commit meanwhile)
        await session.refresh(fund)
    return request


async def approve(
    session: AsyncSession,
    fund: Fund,
    principal: Principal,
    kind: RequestKind[Request],
    request: Request,
    note: str | None,
) -> int:
    """Record the principal's approval of a request (locked, and waiting) and set how many approvals count
    now. 403 for anyone but another committee member, 409 for a second approval — unless the request has
    enough already (given before the rule changed, while the fund was short): then any other member's call
    completes it, and nothing more is recorded than what completing it records."""
    require_committee_member(fund, principal)
    approved = await history.approvers(session, request.id)
    checkers = await members.active(session, fund.committee)
    if approvals.check_approval(
        principal.subject,
        maker=request.requested_by,
        approvers=approved,
        checkers=checkers,
        required=fund.approvals_required,
    ):
        details = {"note": note} if note else {}
        await record_step(session, fund, principal, kind, request, Action.approved, details)
        approved = [*approved, principal.subject]
    request.approvals_count = approvals.counted(checkers, approved)
    return request.approvals_count


async def close(
    session: AsyncSession,
    fund: Fund,
    principal: Principal,
    kind: RequestKind[Request],
    request: Request,
    *,
    rejected: bool,
    reason: str | None,
    allowed: Collection[str],
) -> None:
    """Reject (a committee member) or cancel (the requester or a member) a request still open."""
    if rejected:  # again on the fund as `of_fund` left it: a member removed meanwhile rejects nothing
        require_committee_member(fund, principal)
    require_status(request.status, allowed, REJECT if rejected else CANCEL)
    request.status = kind.statuses("rejected" if rejected else "cancelled")
    request.decision_reason = reason
    touch(request)
    await session.flush()
    action = Action.rejected if rejected else Action.cancelled
    await record_step(session, fund, principal, kind, request, action, {"reason": reason} if reason else {})


async def lock_waiting(
    session: AsyncSession, kind: RequestKind[Request], fund_id: uuid.UUID
) -> Sequence[Request]:
    """A fund's requests of one kind waiting on the committee, locked in the order they were made."""
    return await approvals.lock_waiting(  # type: ignore[type-var]
        session, kind.model, parent="fund_id", parent_id=fund_id, waiting=WAITING
    )


async def settle(
    session: AsyncSession,
    fund: Fund,
    waiting: Sequence[Request],
    complete: Callable[[Request], Awaitable[bool]],
) -> list[Request]:
    """After the fund's committee, its approval rule or a member's account changed: each waiting request
    counts its active members' approvals again, and `complete` (in a savepoint) approves one that now has
    enough — or, when the fund cannot cover it, leaves it waiting (a member's approval completes it later).
    Returns those completed."""
    completed = []
    checkers = await members.active(session, fund.committee)
    for request in waiting:
        count = approvals.counted(checkers, await history.approvers(session, request.id))
        changed, reached = count != request.approvals_count, False
        request.approvals_count = count
        try:
            async with session.begin_nested():
                reached = await complete(request)
        except InsufficientFunds:
            pass
        if changed or reached:
            touch(request)
            await session.flush()
        if reached:
            completed.append(request)
    return completed


async def announce(session: AsyncSession, item: InboxItem) -> None:
    """A new request waits for the fund's active committee members, its maker aside (whom the event, leaving
    Khabuan, does not name: their inboxes show it)."""
    await inbox.announce(session, item)


def inbox_item(
    kind: InboxKind, request: ApprovalRequest, area_code: str, what: str, *parts: str
) -> InboxItem:
    """A request as it waits in a committee member's inbox."""
    return InboxItem(
        kind=kind,
        source="funds",
        subject_type=what,
        subject_id=str(request.id),
        area_code=area_code,
        summary=" · ".join(part[:120] for part in parts),
        waiting_since=request.created_at,
        path=f"/v1/funds/{request.fund_id}/{what}s/{request.id}",
    )


async def record_step(
    session: AsyncSession,
    fund: Fund,
    principal: Principal,
    kind: RequestKind[Request],
    request: Request,
    action: Action,
    details: Mapping[str, Any] | None = None,
) -> None:
    """One step of a request in the fund's history: who did what, when."""
    step = Step(fund.id, kind.subject, request.id, action, principal.subject, dict(details or {}))
    await history.record(session, step)


async def publish(session: AsyncSession, event: EventType, fund: Fund, data: Mapping[str, Any]) -> None:
    """A step of a request as an event on its fund's stream, with the approvals the fund needs."""
    await record_event(
        session,
        event,
        aggregate_id=str(fund.id),
        area_code=fund.area_code,
        data={**data, "approvals_required": fund.approvals_required},
    )
