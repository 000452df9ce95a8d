"""The service-level tests' session itself: what a test writes is gone after it."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine

from services.funds.ledger import service as ledger
from tests.funds.rules.conftest import FUNDS, Cast, contribute, events_of, open_fund
from tests.sessions import rolled_back_session


async def test_a_fund_opened_in_one_test_is_not_there_in_the_next(
    database_engine: AsyncEngine, people: Cast
) -> None:
    async with rolled_back_session(database_engine, FUNDS) as first:
        fund = await open_fund(first, people.provincial)
        await contribute(first, fund.id, 1_000)
        seen_inside = (await ledger.balances(first, [fund.id]), await events_of(first, fund.id))

    async with rolled_back_session(database_engine, FUNDS) as second:
        seen_after = (await ledger.balances(second, [fund.id]), await events_of(second, fund.id))

    assert (seen_inside[0][fund.id].balance_satang, seen_inside[1]) == (1_000, ["fund.created"])
    assert seen_after == ({}, [])
