"""Maker-checker: the committee's approvals of a request (a disbursement or a reversal).

A request needs the fund's `approvals_required` approvals from committee members other than its requester;
each member's approval counts once, and only while the member is still on the committee. The count is read
under the request's row lock, so concurrent approvals of one request are counted one after another.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Mapping, Sequence
from datetime import datetime
from typing import Any, Protocol, TypeVar

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import SQLModel

from services.common.auth import Principal
from services.common.clock import utcnow
from services.common.i18n import Text
from services.funds.funds.access import FUND_STAFF
from services.funds.funds.models import Fund
from services.funds.history import service as history
from services.funds.history.models import Action, Subject
from services.funds.problems import AlreadyApproved, NotOnCommittee, OwnRequest, WrongStatus

WAITING = "requested"  # the status of a request, of either kind, that waits on the committee's approvals
Request = TypeVar("Request", bound=SQLModel)


class Tracked(Protocol):
    """A request row: versioned, with the time of its last change."""

    version: int
    updated_at: datetime


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


async def approve(
    session: AsyncSession,
    fund: Fund,
    principal: Principal,
    *,
    subject: Subject,
    subject_id: uuid.UUID,
    requested_by: str,
    note: str | None,
) -> int:
    """Record the principal's approval of a request (whose row the caller holds locked) and return how many
    approvals it has now. 403 for anyone but another committee member, 409 for a second approval — unless the
    request has enough already (given before the rule changed, while the fund was short): then any other
    member's call completes it, and nothing more is recorded than what completing it records."""
    require_committee_member(fund, principal)
    if principal.subject == requested_by:
        raise OwnRequest()
    approved = await history.approvers(session, subject_id)
    already = counted(fund, approved)
    if already >= fund.approvals_required:
        return already
    if principal.subject in approved:
        raise AlreadyApproved()
    await history.record(
        session,
        fund_id=fund.id,
        subject=subject,
        subject_id=subject_id,
        action=Action.approved,
        actor=principal.subject,
        details={"note": note} if note else {},
    )
    return counted(fund, [*approved, principal.subject])


def counted(fund: Fund, approvers: Collection[str]) -> int:
    """The approvals that count: only current members' (one given by someone since taken off the committee no
    longer does)."""
    return len([member for member in approvers if member in fund.committee])


async def lock_waiting(session: AsyncSession, model: type[Request], fund_id: uuid.UUID) -> Sequence[Request]:
    """A fund's requests of one kind (disbursements or reversals) waiting on the committee, locked in the
    order they were made: the one order in which a change of the committee or rule takes them."""
    table = model.__table__  # type: ignore[attr-defined]
    rows = await session.scalars(
        select(model)
        .where(table.c.fund_id == fund_id, table.c.status == WAITING)
        .order_by(table.c.created_at, table.c.id)
        .with_for_update()
    )
    return rows.all()


def require_status(status: str, allowed: Collection[str], action: Text) -> None:
    """409 unless the request is in one of the `allowed` statuses for `action`."""
    if status not in allowed:
        raise WrongStatus(status=str(status), action=action)


def touch(request: Tracked) -> None:
    """A request changed: a new version (its ETag) and the time of the change."""
    request.version += 1
    request.updated_at = utcnow()


async def record_step(
    session: AsyncSession,
    fund: Fund,
    principal: Principal,
    *,
    subject: Subject,
    subject_id: uuid.UUID,
    action: Action,
    details: Mapping[str, Any] | None = None,
) -> None:
    """One step of a request in the fund's history: who did what, when."""
    await history.record(
        session,
        fund_id=fund.id,
        subject=subject,
        subject_id=subject_id,
        action=action,
        actor=principal.subject,
        details=details,
    )
