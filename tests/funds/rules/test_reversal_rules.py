"""Reversals, on the service itself: a posted transfer is undone as a whole once the committee approves, at
most once, never when the money is gone, and through the fund the money leaves."""

from __future__ import annotations

import uuid

from sqlmodel.ext.asyncio.session import AsyncSession

from services.common import errors
from services.common.pagination import PageRequest
from services.funds.disbursements import service as disbursements
from services.funds.funds.schemas import FundPublic
from services.funds.problems import InsufficientFunds, NotReversible
from services.funds.reversals import service as reversals
from tests.funds.rules.conftest import Cast, asking, balance, contribute, events_of, open_fund
from tests.sessions import refused

REASON = "บันทึกซ้ำ"


async def one_approval_fund(session: AsyncSession, people: Cast, *, area: str = "93") -> FundPublic:
    """A fund whose committee is the national and regional users; one approval is enough."""
    opener = people.provincial if area == "93" else people.regional
    committee = [people.national, people.regional]
    return await open_fund(session, opener, committee=committee, approvals_required=1, area=area)


async def paid(
    session: AsyncSession, people: Cast, fund: FundPublic, amount: int, *, to: FundPublic | None = None
) -> uuid.UUID:
    """A disbursement of `fund`, approved and paid (to the fund `to`, if given): its payment's transfer."""
    payee = {"payee_kind": "fund", "payee_name": None, "to_fund_id": to.id} if to else {}
    asked = await disbursements.request(session, people.provincial, fund.id, asking(amount, **payee))
    await disbursements.approve(session, people.national, fund.id, asked.id, None)
    payment = await disbursements.pay(session, people.provincial, fund.id, asked.id, "KTB-0001")
    assert payment.transfer_id is not None
    return payment.transfer_id


async def test_a_contribution_recorded_twice_is_undone_once_the_committee_approves(
    session: AsyncSession, people: Cast
) -> None:
    fund = await one_approval_fund(session, people)
    await contribute(session, fund.id, 50_000)
    twice = await contribute(session, fund.id, 50_000)

    asked = await reversals.request(session, people.provincial, fund.id, twice.id, REASON)
    balance_while_waiting = (await balance(session, fund.id)).balance_satang
    approved = await reversals.approve(session, people.national, fund.id, asked.id, None)

    assert (asked.status, balance_while_waiting) == ("requested", 100_000)
    assert (approved.status, approved.reversal_transfer_id is not None) == ("approved", True)
    assert (await balance(session, fund.id)).balance_satang == 50_000
    assert (await events_of(session, fund.id))[-3:] == [
        "fund.transfer.reversed",
        "fund.reversal.approval_added",
        "fund.reversal.approved",
    ]


async def test_a_transfer_is_reversed_at_most_once_and_a_reversal_is_never_reversed(
    session: AsyncSession, people: Cast
) -> None:
    fund = await one_approval_fund(session, people)
    contribution = await contribute(session, fund.id, 50_000)
    asked = await reversals.request(session, people.provincial, fund.id, contribution.id, REASON)
    approved = await reversals.approve(session, people.national, fund.id, asked.id, None)
    assert approved.reversal_transfer_id is not None

    async with refused(session, NotReversible) as again:
        await reversals.request(session, people.provincial, fund.id, contribution.id, REASON)
    async with refused(session, NotReversible) as undo_the_undo:
        await reversals.request(session, people.provincial, fund.id, approved.reversal_transfer_id, REASON)

    assert again.value.extensions == {"reversed_by_transfer_id": str(approved.reversal_transfer_id)}
    assert undo_the_undo.value.status == 409
    assert (await balance(session, fund.id)).balance_satang == 0


async def test_a_second_request_to_undo_a_transfer_waits_for_the_open_one(
    session: AsyncSession, people: Cast
) -> None:
    fund = await one_approval_fund(session, people)
    contribution = await contribute(session, fund.id, 50_000)
    first = await reversals.request(session, people.provincial, fund.id, contribution.id, REASON)

    async with refused(session, NotReversible) as problem:
        await reversals.request(session, people.treasurer, fund.id, contribution.id, REASON)

    assert problem.value.extensions == {"reversal_id": str(first.id)}


async def test_undoing_a_contribution_already_spent_fails_and_the_request_keeps_waiting(
    session: AsyncSession, people: Cast
) -> None:
    fund = await one_approval_fund(session, people)
    contribution = await contribute(session, fund.id, 100_000)
    await paid(session, people, fund, 70_000)
    asked = await reversals.request(session, people.provincial, fund.id, contribution.id, REASON)

    async with refused(session, InsufficientFunds) as problem:
        await reversals.approve(session, people.national, fund.id, asked.id, None)

    assert problem.value.extensions["available_satang"] == 30_000
    detail, _ = await reversals.get(session, people.national, fund.id, asked.id)
    assert (detail.status, detail.approvals_count) == ("requested", 0)
    assert (await balance(session, fund.id)).balance_satang == 30_000


async def test_a_paid_disbursement_undone_returns_the_money_and_reads_reversed(
    session: AsyncSession, people: Cast
) -> None:
    fund = await one_approval_fund(session, people)
    await contribute(session, fund.id, 100_000)
    payment = await paid(session, people, fund, 40_000)

    asked = await reversals.request(session, people.provincial, fund.id, payment, "จ่ายผิดบัญชี")
    await reversals.approve(session, people.regional, fund.id, asked.id, None)

    [disbursement], _ = await disbursements.list_disbursements(
        session, people.national, fund.id, status=None, page=PageRequest(limit=10)
    )
    assert disbursement.status == "reversed"
    assert (await balance(session, fund.id)).balance_satang == 100_000


async def test_a_transfer_between_funds_is_undone_through_the_fund_the_money_leaves(
    session: AsyncSession, people: Cast
) -> None:
    payer, payee = (
        await one_approval_fund(session, people),
        await one_approval_fund(session, people, area="90"),
    )
    await contribute(session, payer.id, 100_000)
    transfer = await paid(session, people, payer, 30_000, to=payee)

    async with refused(session, NotReversible) as wrong_fund:
        await reversals.request(session, people.national, payer.id, transfer, REASON)
    async with refused(session, errors.OutsideArea):
        await reversals.request(session, people.provincial, payee.id, transfer, REASON)
    asked = await reversals.request(session, people.regional, payee.id, transfer, REASON)
    await reversals.approve(session, people.national, payee.id, asked.id, None)

    assert wrong_fund.value.extensions == {"through_fund_id": str(payee.id)}
    assert (await balance(session, payer.id)).balance_satang == 100_000
    assert (await balance(session, payee.id)).balance_satang == 0
