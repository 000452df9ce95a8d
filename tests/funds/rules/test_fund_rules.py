"""Opening and changing a fund, on the service itself: who may where, the approval rule against the
committee, edits of an older version, and the events they publish."""

from __future__ import annotations

import uuid

import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from services.common import errors
from services.common.auth import Principal
from services.funds.funds import service as funds
from services.funds.funds.schemas import FundUpdate
from tests.funds.rules.conftest import Cast, events_of, open_fund
from tests.sessions import refused


def ids(*members: Principal) -> list[uuid.UUID]:
    return [uuid.UUID(member.subject) for member in members]


async def test_a_new_fund_holds_nothing_and_shows_its_committee_to_its_opener(
    session: AsyncSession, people: Cast
) -> None:
    fund = await open_fund(session, people.provincial, committee=[people.national, people.regional])

    assert (fund.balance_satang, fund.reserved_satang, fund.available_satang) == (0, 0, 0)
    assert (fund.version, fund.approvals_required, fund.committee_size) == (1, 2, 2)
    assert fund.committee == [people.national.subject, people.regional.subject]
    assert await events_of(session, fund.id) == ["fund.created"]


async def test_a_fund_opened_without_a_committee_needs_two_approvals(
    session: AsyncSession, people: Cast
) -> None:
    fund = await open_fund(session, people.national, area="57")

    assert (fund.committee, fund.committee_size, fund.approvals_required) == ([], 0, 2)


async def test_a_provincial_user_of_18_may_not_open_a_fund_in_93(session: AsyncSession, people: Cast) -> None:
    async with refused(session, errors.OutsideArea) as problem:
        await open_fund(session, people.outsider, area="93")

    assert problem.value.status == 403
    assert problem.value.extensions == {"area_code": "93"}


async def test_a_tambon_user_opens_a_fund_of_their_tambon_but_not_of_their_province(
    session: AsyncSession, people: Cast
) -> None:
    tambon_fund = await open_fund(session, people.tambon, area="930101")

    async with refused(session, errors.OutsideArea):
        await open_fund(session, people.tambon, area="93")

    assert tambon_fund.area_code == "930101"


@pytest.mark.parametrize("who", ["partner", "service"])
async def test_only_the_areas_staff_open_funds(session: AsyncSession, people: Cast, who: str) -> None:
    principal: Principal = getattr(people, who)

    async with refused(session, errors.Forbidden) as problem:
        await open_fund(session, principal)

    assert not isinstance(problem.value, errors.OutsideArea)


async def test_more_approvals_than_committee_members_is_refused_on_opening(
    session: AsyncSession, people: Cast
) -> None:
    async with refused(session, errors.ValidationFailed) as problem:
        await open_fund(session, people.provincial, committee=[people.national], approvals_required=2)

    assert problem.value.status == 422
    [error] = problem.value.extensions["errors"]
    assert error["pointer"] == "/approvals_required"


async def test_shrinking_the_committee_below_the_approval_rule_is_refused_and_changes_nothing(
    session: AsyncSession, people: Cast
) -> None:
    fund = await open_fund(session, people.provincial, committee=[people.national, people.regional])

    async with refused(session, errors.Conflict) as shrunk:
        await funds.update(
            session, people.provincial, fund.id, FundUpdate(committee=ids(people.national)), None
        )
    async with refused(session, errors.ValidationFailed) as both:
        await funds.update(
            session,
            people.provincial,
            fund.id,
            FundUpdate(committee=ids(people.national), approvals_required=2),
            None,
        )
    raised = await funds.update(session, people.provincial, fund.id, FundUpdate(approvals_required=1), None)

    # the fund's own rule is what the smaller committee conflicts with (409); a body at odds with itself, 422
    assert [error["pointer"] for error in shrunk.value.extensions["errors"]] == ["/committee"]
    assert [error["pointer"] for error in both.value.extensions["errors"]] == ["/approvals_required"]
    assert (raised.fund.committee_size, raised.fund.approvals_required, raised.fund.version) == (2, 1, 2)


async def test_an_edit_of_an_older_version_is_refused_as_stale(session: AsyncSession, people: Cast) -> None:
    fund = await open_fund(session, people.provincial)
    await funds.update(session, people.provincial, fund.id, FundUpdate(name_en="Phatthalung fund"), 1)

    async with refused(session, errors.PreconditionFailed) as problem:
        await funds.update(session, people.treasurer, fund.id, FundUpdate(name_en="Another name"), 1)
    current = await funds.update(session, people.treasurer, fund.id, FundUpdate(name_en="Another name"), 2)

    assert problem.value.status == 412
    assert (current.fund.name_en, current.fund.version) == ("Another name", 3)


async def test_an_edit_that_changes_nothing_keeps_the_version_and_publishes_nothing(
    session: AsyncSession, people: Cast
) -> None:
    fund = await open_fund(session, people.provincial)

    same = await funds.update(session, people.provincial, fund.id, FundUpdate(name_th=fund.name_th), 1)

    assert same.fund.version == 1
    assert await events_of(session, fund.id) == ["fund.created"]


async def test_a_change_of_a_fund_is_published_as_fund_updated(session: AsyncSession, people: Cast) -> None:
    fund = await open_fund(session, people.provincial)

    committee = FundUpdate(committee=ids(people.national, people.regional))
    await funds.update(session, people.regional, fund.id, committee, None)

    assert await events_of(session, fund.id) == ["fund.created", "fund.updated"]


async def test_a_committee_member_from_another_province_may_not_change_the_fund(
    session: AsyncSession, people: Cast
) -> None:
    fund = await open_fund(session, people.provincial, committee=[people.national])

    async with refused(session, errors.OutsideArea):
        await funds.update(
            session, people.outsider, fund.id, FundUpdate(committee=ids(people.outsider)), None
        )
    async with refused(session, errors.ValidationFailed):  # nor sit on its committee
        await open_fund(session, people.provincial, committee=[people.outsider])

    assert await events_of(session, fund.id) == ["fund.created"]


async def test_an_unknown_fund_is_not_found(session: AsyncSession, people: Cast) -> None:
    async with refused(session, errors.NotFound):
        await funds.update(session, people.national, uuid.uuid4(), FundUpdate(name_en="x"), None)
