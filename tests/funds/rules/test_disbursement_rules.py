"""Disbursements under maker-checker, on the service itself: requested by the area's staff, approved by
other committee members, reserved on the last approval needed, paid once; rejecting gives the money back."""

from __future__ import annotations

import uuid

import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from services.common import errors
from services.common.approvals import AlreadyApproved, OwnRequest, WrongStatus
from services.common.auth import Principal
from services.funds.disbursements import service as disbursements
from services.funds.funds.schemas import FundPublic
from services.funds.problems import InsufficientFunds, NotOnCommittee
from tests.funds.rules.conftest import Cast, asking, balance, contribute, events_of, open_fund
from tests.sessions import refused


async def committee_fund(
    session: AsyncSession, people: Cast, *, holding: int = 100_000, approvals_required: int = 2
) -> FundPublic:
    """A fund of 93 whose committee is the national and regional users and its provincial requester."""
    committee = [people.national, people.regional, people.provincial]
    fund = await open_fund(
        session, people.provincial, committee=committee, approvals_required=approvals_required
    )
    if holding:
        await contribute(session, fund.id, holding)
    return fund


async def approve(session: AsyncSession, who: Principal, fund: FundPublic, disbursement_id: uuid.UUID) -> str:
    return (await disbursements.approve(session, who, fund.id, disbursement_id, None)).status


async def test_a_disbursement_is_reserved_on_its_last_approval_not_before(
    session: AsyncSession, people: Cast
) -> None:
    fund = await committee_fund(session, people)
    asked = await disbursements.request(session, people.provincial, fund.id, asking(60_000))

    one = await disbursements.approve(session, people.national, fund.id, asked.id, "ok")
    reserved_after_one = (await balance(session, fund.id)).reserved_satang
    two = await disbursements.approve(session, people.regional, fund.id, asked.id, None)

    assert (asked.status, asked.approvals_count, asked.approvals_required) == ("requested", 0, 2)
    assert (one.status, one.approvals_count, reserved_after_one) == ("requested", 1, 0)
    assert (two.status, two.approvals_count) == ("approved", 2)
    now = await balance(session, fund.id)
    assert (now.balance_satang, now.reserved_satang, now.available_satang) == (100_000, 60_000, 40_000)
    assert await events_of(session, fund.id) == [
        "fund.created",
        "fund.disbursement.requested",
        "fund.disbursement.approval_added",  # each member's approval is an event (audited) …
        "fund.disbursement.approval_added",
        "fund.disbursement.approved",  # … and the last one needed reserves the amount
    ]


async def test_only_the_areas_staff_request_a_disbursement(session: AsyncSession, people: Cast) -> None:
    fund = await committee_fund(session, people)

    async with refused(session, errors.OutsideArea):
        await disbursements.request(session, people.outsider, fund.id, asking(1_000))
    async with refused(session, errors.Forbidden):
        await disbursements.request(session, people.partner, fund.id, asking(1_000))

    assert await events_of(session, fund.id) == ["fund.created"]


async def test_the_requester_cannot_approve_their_own_disbursement(
    session: AsyncSession, people: Cast
) -> None:
    fund = await committee_fund(session, people)
    asked = await disbursements.request(session, people.provincial, fund.id, asking(1_000))

    async with refused(session, OwnRequest) as problem:
        await approve(session, people.provincial, fund, asked.id)

    assert problem.value.status == 403


async def test_only_committee_members_of_the_area_approve(session: AsyncSession, people: Cast) -> None:
    fund = await committee_fund(session, people)
    asked = await disbursements.request(session, people.provincial, fund.id, asking(1_000))

    async with refused(session, NotOnCommittee):
        await approve(session, people.treasurer, fund, asked.id)
    async with refused(session, errors.OutsideArea):
        await approve(session, people.tambon, fund, asked.id)
    async with refused(session, errors.OutsideArea):
        await approve(session, people.outsider, fund, asked.id)
    async with refused(session, errors.Forbidden):
        await approve(session, people.service, fund, asked.id)

    detail, _ = await disbursements.get(session, people.national, fund.id, asked.id)
    assert (detail.status, detail.approvals_count) == ("requested", 0)


async def test_a_members_second_approval_is_refused_as_already_given(
    session: AsyncSession, people: Cast
) -> None:
    fund = await committee_fund(session, people)
    asked = await disbursements.request(session, people.provincial, fund.id, asking(1_000))
    await approve(session, people.national, fund, asked.id)

    async with refused(session, AlreadyApproved) as problem:
        await approve(session, people.national, fund, asked.id)

    assert problem.value.status == 409
    detail, _ = await disbursements.get(session, people.national, fund.id, asked.id)
    assert detail.approvals_count == 1


async def test_the_last_approval_fails_when_the_fund_cannot_cover_it_and_the_request_keeps_waiting(
    session: AsyncSession, people: Cast
) -> None:
    fund = await committee_fund(session, people, holding=10_000, approvals_required=1)
    asked = await disbursements.request(session, people.provincial, fund.id, asking(60_000))

    async with refused(session, InsufficientFunds) as problem:
        await approve(session, people.national, fund, asked.id)
    detail, _ = await disbursements.get(session, people.national, fund.id, asked.id)
    await contribute(session, fund.id, 50_000)
    status = await approve(session, people.national, fund, asked.id)

    assert problem.value.extensions["available_satang"] == 10_000
    assert (detail.status, detail.approvals_count) == ("requested", 0)
    assert [step.action for step in detail.history] == ["requested"]
    assert status == "approved"
    assert (await balance(session, fund.id)).available_satang == 0


async def test_an_approved_disbursement_is_not_approved_again(session: AsyncSession, people: Cast) -> None:
    fund = await committee_fund(session, people, approvals_required=1)
    asked = await disbursements.request(session, people.provincial, fund.id, asking(1_000))
    await approve(session, people.national, fund, asked.id)

    async with refused(session, WrongStatus) as problem:
        await approve(session, people.regional, fund, asked.id)

    assert problem.value.extensions == {"current_status": "approved"}
    assert (await balance(session, fund.id)).reserved_satang == 1_000


async def test_an_approved_disbursement_is_paid_once_from_its_reservation(
    session: AsyncSession, people: Cast
) -> None:
    fund = await committee_fund(session, people)
    asked = await disbursements.request(session, people.provincial, fund.id, asking(60_000))
    await approve(session, people.national, fund, asked.id)
    await approve(session, people.regional, fund, asked.id)

    paid = await disbursements.pay(session, people.treasurer, fund.id, asked.id, "KTB-0001")
    async with refused(session, WrongStatus):
        await disbursements.pay(session, people.treasurer, fund.id, asked.id, "KTB-0002")

    assert (paid.status, paid.payment_reference, paid.transfer_id is not None) == ("paid", "KTB-0001", True)
    now = await balance(session, fund.id)
    assert (now.balance_satang, now.reserved_satang, now.available_satang) == (40_000, 0, 40_000)
    assert (await events_of(session, fund.id))[-1] == "fund.disbursement.paid"


async def test_a_disbursement_still_waiting_for_approval_cannot_be_paid(
    session: AsyncSession, people: Cast
) -> None:
    fund = await committee_fund(session, people)
    asked = await disbursements.request(session, people.provincial, fund.id, asking(1_000))

    async with refused(session, WrongStatus) as problem:
        await disbursements.pay(session, people.provincial, fund.id, asked.id, "KTB-0001")

    assert problem.value.extensions == {"current_status": "requested"}
    assert (await balance(session, fund.id)).balance_satang == 100_000


@pytest.mark.parametrize("how", ["rejected", "cancelled"])
async def test_rejecting_or_cancelling_an_approved_disbursement_releases_its_reservation(
    session: AsyncSession, people: Cast, how: str
) -> None:
    fund = await committee_fund(session, people, approvals_required=1)
    asked = await disbursements.request(session, people.provincial, fund.id, asking(70_000))
    await approve(session, people.national, fund, asked.id)
    reserved = (await balance(session, fund.id)).reserved_satang

    if how == "rejected":
        closed = await disbursements.reject(session, people.regional, fund.id, asked.id, "ซ้ำซ้อน")
    else:
        closed = await disbursements.cancel(session, people.provincial, fund.id, asked.id, None)
    async with refused(session, WrongStatus):
        await approve(session, people.regional, fund, asked.id)

    assert (reserved, closed.status) == (70_000, how)
    assert (await balance(session, fund.id)).available_satang == 100_000
    assert (await events_of(session, fund.id))[-1] == f"fund.disbursement.{how}"


async def test_a_disbursement_to_a_fund_moves_the_money_into_that_fund(
    session: AsyncSession, people: Cast
) -> None:
    payer = await committee_fund(session, people, approvals_required=1)
    payee = await open_fund(session, people.regional, area="90")
    asked = await disbursements.request(
        session,
        people.provincial,
        payer.id,
        asking(30_000, payee_kind="fund", payee_name=None, to_fund_id=payee.id),
    )
    await approve(session, people.national, payer, asked.id)

    await disbursements.pay(session, people.provincial, payer.id, asked.id, "KTB-0003")

    assert asked.payee_name == payee.name_th
    assert (await balance(session, payer.id)).balance_satang == 70_000
    assert (await balance(session, payee.id)).balance_satang == 30_000
    assert (await events_of(session, payer.id))[-2:] == ["fund.disbursement.paid", "fund.transfer.posted"]


async def test_a_fund_cannot_pay_itself(session: AsyncSession, people: Cast) -> None:
    fund = await committee_fund(session, people)

    async with refused(session, errors.ValidationFailed) as problem:
        body = asking(1_000, payee_kind="fund", payee_name=None, to_fund_id=fund.id)
        await disbursements.request(session, people.provincial, fund.id, body)

    [error] = problem.value.extensions["errors"]
    assert error["pointer"] == "/to_fund_id"


async def test_the_public_sees_an_individual_payee_and_not_who_asked(
    session: AsyncSession, people: Cast
) -> None:
    fund = await committee_fund(session, people)
    asked = await disbursements.request(
        session, people.provincial, fund.id, asking(1_000, payee_kind="individual", payee_name="นางสมศรี ใจดี")
    )

    public, _ = await disbursements.get(session, None, fund.id, asked.id)
    staff, _ = await disbursements.get(session, people.treasurer, fund.id, asked.id)

    assert (public.payee_name, public.requested_by) == ("individual", None)
    assert [step.actor for step in public.history] == [None]
    assert (staff.payee_name, staff.requested_by) == ("นางสมศรี ใจดี", people.provincial.subject)
