"""The ledger's posting rules, on the service itself: balanced transfers, running balances, no overdraft of
a fund's holdings, reservations set aside and given back."""

from __future__ import annotations

import uuid

import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from services.funds.ledger import service as ledger
from services.funds.ledger.models import AccountPurpose, TransferKind
from services.funds.ledger.service import Leg, UnbalancedTransfer
from services.funds.problems import InsufficientFunds
from tests.funds.rules.conftest import Cast, balance, contribute, open_fund
from tests.sessions import refused

HOLDINGS, PAYOUTS, CONTRIBUTIONS = (
    AccountPurpose.holdings,
    AccountPurpose.payouts,
    AccountPurpose.contributions,
)


def payout(fund_id: uuid.UUID, amount: int, *, reserved: int = 0) -> list[Leg]:
    return [
        Leg(fund_id, HOLDINGS, -amount, "organisation", "สหกรณ์", release_reserved_satang=reserved),
        Leg(fund_id, PAYOUTS, amount, "organisation", "สหกรณ์"),
    ]


async def test_a_contribution_raises_the_balance_and_each_entry_carries_its_running_balance(
    session: AsyncSession, people: Cast
) -> None:
    fund = await open_fund(session, people.provincial)

    first = await contribute(session, fund.id, 100_000)
    second = await contribute(session, fund.id, 25_050)

    assert (first.amount_satang, second.amount_satang) == (100_000, 25_050)
    assert [first.entry(fund.id).balance_after_satang, second.entry(fund.id).balance_after_satang] == [
        100_000,
        125_050,
    ]
    assert second.entry(fund.id, CONTRIBUTIONS).balance_after_satang == -125_050
    assert (second.entry(fund.id).sequence, sum(e.amount_satang for e in second.entries)) == (2, 0)
    now = await balance(session, fund.id)
    assert (now.balance_satang, now.reserved_satang, now.available_satang) == (125_050, 0, 125_050)


@pytest.mark.parametrize(
    "amounts",
    [[100, -99], [100], [100, 0, -100]],
    ids=["not-summing-to-zero", "one-leg", "a-zero-leg"],
)
async def test_a_transfer_that_does_not_balance_is_refused_before_it_reaches_the_database(
    session: AsyncSession, people: Cast, amounts: list[int]
) -> None:
    fund = await open_fund(session, people.provincial)
    purposes = [CONTRIBUTIONS, HOLDINGS, PAYOUTS]
    legs = [Leg(fund.id, purpose, amount) for purpose, amount in zip(purposes, amounts, strict=False)]

    with pytest.raises(UnbalancedTransfer):
        await ledger.post_transfer(session, kind=TransferKind.contribution, legs=legs)

    assert (await balance(session, fund.id)).revision == 0


async def test_an_account_appears_once_in_a_transfer(session: AsyncSession, people: Cast) -> None:
    fund = await open_fund(session, people.provincial)
    legs = [Leg(fund.id, HOLDINGS, 100), Leg(fund.id, HOLDINGS, -100)]

    with pytest.raises(UnbalancedTransfer):
        await ledger.post_transfer(session, kind=TransferKind.contribution, legs=legs)


async def test_a_fund_cannot_pay_out_more_than_it_holds(session: AsyncSession, people: Cast) -> None:
    fund = await open_fund(session, people.provincial)
    await contribute(session, fund.id, 10_000)

    async with refused(session, InsufficientFunds) as problem:
        await ledger.post_transfer(session, kind=TransferKind.disbursement, legs=payout(fund.id, 10_001))

    assert problem.value.status == 409
    assert problem.value.extensions == {
        "fund_id": str(fund.id),
        "available_satang": 10_000,
        "amount_satang": 10_001,
    }
    assert (await balance(session, fund.id)).balance_satang == 10_000


async def test_a_fund_cannot_pay_out_what_is_reserved_for_an_approved_request(
    session: AsyncSession, people: Cast
) -> None:
    fund = await open_fund(session, people.provincial)
    await contribute(session, fund.id, 100_000)
    await ledger.reserve(session, fund.id, 60_000)

    async with refused(session, InsufficientFunds) as problem:
        await ledger.post_transfer(session, kind=TransferKind.disbursement, legs=payout(fund.id, 50_000))
    paid = await ledger.post_transfer(session, kind=TransferKind.disbursement, legs=payout(fund.id, 40_000))

    assert problem.value.extensions["available_satang"] == 40_000
    assert paid.entry(fund.id).balance_after_satang == 60_000
    now = await balance(session, fund.id)
    assert (now.balance_satang, now.reserved_satang, now.available_satang) == (60_000, 60_000, 0)


async def test_a_reservation_that_does_not_fit_is_refused_and_sets_nothing_aside(
    session: AsyncSession, people: Cast
) -> None:
    fund = await open_fund(session, people.provincial)
    await contribute(session, fund.id, 50_000)
    first = await ledger.reserve(session, fund.id, 30_000)

    async with refused(session, InsufficientFunds) as problem:
        await ledger.reserve(session, fund.id, 20_001)

    assert (first.reserved_satang, first.available_satang) == (30_000, 20_000)
    assert problem.value.extensions["available_satang"] == 20_000
    assert (await balance(session, fund.id)).reserved_satang == 30_000


async def test_a_released_reservation_is_available_again(session: AsyncSession, people: Cast) -> None:
    fund = await open_fund(session, people.provincial)
    await contribute(session, fund.id, 50_000)
    await ledger.reserve(session, fund.id, 50_000)

    await ledger.release(session, fund.id, 50_000)

    now = await balance(session, fund.id)
    assert (now.balance_satang, now.reserved_satang, now.available_satang) == (50_000, 0, 50_000)


async def test_a_payment_spends_its_reservation(session: AsyncSession, people: Cast) -> None:
    fund = await open_fund(session, people.provincial)
    await contribute(session, fund.id, 100_000)
    await ledger.reserve(session, fund.id, 60_000)

    await ledger.post_transfer(
        session, kind=TransferKind.disbursement, legs=payout(fund.id, 60_000, reserved=60_000)
    )

    now = await balance(session, fund.id)
    assert (now.balance_satang, now.reserved_satang, now.available_satang) == (40_000, 0, 40_000)


async def test_balances_of_many_funds_are_read_at_once_and_each_change_bumps_a_revision(
    session: AsyncSession, people: Cast
) -> None:
    one, two, empty = [await open_fund(session, people.provincial) for _ in range(3)]
    await contribute(session, one.id, 1_000)
    await contribute(session, two.id, 2_000)
    await ledger.reserve(session, two.id, 500)

    found = await ledger.balances(session, [one.id, two.id, empty.id])

    assert {fund_id: (b.balance_satang, b.available_satang, b.revision) for fund_id, b in found.items()} == {
        one.id: (1_000, 1_000, 1),
        two.id: (2_000, 1_500, 2),
        empty.id: (0, 0, 0),
    }
