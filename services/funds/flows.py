"""Work that spans the funds sub-domains (Dispatch's flows).

Changing a fund's committee or approval rule settles the requests waiting on the committee: their
approvals are counted again under the new rule, and those that now have enough are approved (a disbursement's
amount reserved, a reversal posted) in the same transaction as the change. A committee member's account
deactivated (or reactivated) at the gateway has the requests waiting on their committees counted again."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlmodel.ext.asyncio.session import AsyncSession

from services.common.auth import Principal
from services.common.events.envelope import EventEnvelope
from services.common.models import ExpectedVersions
from services.common.people import PeopleCheck
from services.funds.approvals import service as approvals
from services.funds.disbursements import service as disbursements
from services.funds.funds import service as funds
from services.funds.funds.access import FUND_STAFF
from services.funds.funds.schemas import FundUpdate
from services.funds.funds.service import FundView
from services.funds.ledger import service as ledger
from services.funds.members import service as members
from services.funds.reversals import service as reversals

RULES = frozenset({"committee", "approvals_required"})


async def update_fund(
    session: AsyncSession,
    principal: Principal,
    fund_id: uuid.UUID,
    data: FundUpdate,
    expected_version: ExpectedVersions,
    people: PeopleCheck,
) -> FundView:
    """PATCH a fund; when its committee or approval rule is among the changes, settle what waits on them.

    Locks are taken in the order every money path takes them — the requests, then the accounts (by id), then
    the fund's row and its event sequence — so a PATCH never deadlocks with an approval, a payment or a
    contribution on the same fund; the accounts are locked even for a change of names, since a posting
    touches the fund's row (its updated_at) after them."""
    if data.committee is not None:  # who may is checked first, then the gateway asked, before any lock
        area = await funds.area_of(session, fund_id)
        principal.require(funds.FUND_OPENERS, area)
        committee = funds.committee_of(data.committee)
        await people(committee, area, lambda index: f"/committee/{index}", roles=FUND_STAFF)
    rules = bool(RULES & data.model_fields_set)
    waiting = await approvals.lock_waiting(session, disbursements.DISBURSEMENTS, fund_id) if rules else []
    waiting_reversals = await approvals.lock_waiting(session, reversals.REVERSALS, fund_id) if rules else []
    owners = {fund_id}
    for reversal in waiting_reversals:
        owners |= await ledger.owners_of(session, reversal.transfer_id)
    await ledger.lock_accounts(session, owners)
    view = await funds.update(session, principal, fund_id, data, expected_version)
    if not rules:
        return view
    fund = await funds.load(session, fund_id)
    settled = await disbursements.settle_waiting(session, principal, fund, waiting)
    settled += await reversals.settle_waiting(session, principal, fund, waiting_reversals)
    if not settled:
        return view
    balance = (await ledger.balances(session, [fund.id]))[fund.id]
    return funds.view(fund.model_dump(), balance, principal)


async def follow_accounts(session: AsyncSession, events: Sequence[EventEnvelope]) -> None:
    """The funds worker's reader of the gateway's account events: a member deactivated stops counting
    toward the requests waiting on their committees (and counts again once reactivated). Nothing is
    approved by it: a request that now has enough is completed by the next member's approval."""
    changed = await members.record(session, events)
    for fund_id in await funds.with_members(session, changed):
        waiting = await approvals.lock_waiting(session, disbursements.DISBURSEMENTS, fund_id)
        waiting_reversals = await approvals.lock_waiting(session, reversals.REVERSALS, fund_id)
        fund = await funds.load(session, fund_id)
        await approvals.settle(session, fund, waiting, _left_waiting)
        await approvals.settle(session, fund, waiting_reversals, _left_waiting)


async def _left_waiting(request: object) -> bool:
    return False
