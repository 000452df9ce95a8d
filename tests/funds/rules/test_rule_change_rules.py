"""Changing a fund's committee or approval rule counts the waiting requests' approvals again, on the service
itself (the PATCH of a fund)."""

from __future__ import annotations

import uuid

from sqlmodel.ext.asyncio.session import AsyncSession

from services.common.people import known_people
from services.funds.disbursements import service as disbursements
from services.funds.flows import update_fund
from services.funds.funds.schemas import FundUpdate
from tests.funds.rules.conftest import Cast, asking, balance, contribute, open_fund


async def test_lowering_the_rule_approves_a_waiting_request_that_now_has_its_approvals(
    session: AsyncSession, people: Cast
) -> None:
    committee = [people.national, people.regional, people.provincial]
    fund = await open_fund(session, people.provincial, committee=committee, approvals_required=2)
    await contribute(session, fund.id, 100_000)
    asked = await disbursements.request(session, people.provincial, fund.id, asking(60_000))
    await disbursements.approve(session, people.national, fund.id, asked.id, None)

    changed = await update_fund(
        session, people.treasurer, fund.id, FundUpdate(approvals_required=1), None, known_people(committee)
    )

    detail, _ = await disbursements.get(session, people.national, fund.id, asked.id)
    assert (detail.status, detail.approvals_count) == ("approved", 1)
    assert (changed.fund.approvals_required, changed.fund.reserved_satang) == (1, 60_000)


async def test_a_member_taken_off_the_committee_no_longer_counts_on_a_waiting_request(
    session: AsyncSession, people: Cast
) -> None:
    committee = [people.national, people.regional, people.provincial]
    fund = await open_fund(session, people.provincial, committee=committee, approvals_required=2)
    await contribute(session, fund.id, 100_000)
    asked = await disbursements.request(session, people.provincial, fund.id, asking(60_000))
    await disbursements.approve(session, people.national, fund.id, asked.id, None)

    remaining = [uuid.UUID(member.subject) for member in (people.regional, people.provincial)]
    await update_fund(
        session, people.provincial, fund.id, FundUpdate(committee=remaining), None, known_people(committee)
    )
    still_waiting, _ = await disbursements.get(session, people.regional, fund.id, asked.id)
    approved = await disbursements.approve(session, people.regional, fund.id, asked.id, None)

    assert (still_waiting.status, still_waiting.approvals_count) == ("requested", 0)
    assert (approved.status, approved.approvals_count) == ("requested", 1)
    assert (await balance(session, fund.id)).reserved_satang == 0
