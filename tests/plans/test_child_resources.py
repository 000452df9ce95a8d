"""A child resource (a strategy's goals) is reached only through its own parent, in its parent's area; a
list's filters narrow it only where a value was given. Service-level, on a session rolled back after each
test: the kernel's child verbs (`AreaResource.child`, `children`, `add_child`, `update_child`) and
`where_given`, as the strategies service uses them."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from services.common import errors
from services.common.auth import Grant, Principal, Role
from services.common.events import event_source
from services.common.events.registry import register
from services.common.pagination import PageRequest
from services.plans.events import EVENT_TYPES
from services.plans.strategies import service as strategies
from services.plans.strategies.models import Strategy
from services.plans.strategies.repository import STRATEGIES
from services.plans.strategies.schemas import GoalCreate, GoalUpdate, StrategyCreate
from tests.sessions import refused, rolled_back_session

register(*EVENT_TYPES)


@pytest.fixture
async def session(database_engine: AsyncEngine) -> AsyncIterator[AsyncSession]:
    async with rolled_back_session(database_engine, event_source("plans", "plans")) as session:
        yield session


def author(area: str, role: Role = "provincial") -> Principal:
    return Principal(subject=str(uuid.uuid4()), kind="user", grants=(Grant(role, area),), username="author")


async def two_strategies(session: AsyncSession) -> tuple[uuid.UUID, uuid.UUID]:
    phatthalung = await strategies.create(
        session, author("93"), StrategyCreate(province_code="93", title_th="ก")
    )
    songkhla = await strategies.create(
        session, author("90"), StrategyCreate(province_code="90", title_th="ข")
    )
    return phatthalung.id, songkhla.id


async def test_a_goal_takes_its_strategys_province_and_is_listed_under_it_alone_(
    session: AsyncSession,
) -> None:
    phatthalung, songkhla = await two_strategies(session)
    goal = await strategies.add_goal(session, author("93"), phatthalung, GoalCreate(title_th="บ้านมั่นคง"))
    await strategies.add_goal(session, author("90"), songkhla, GoalCreate(title_th="ธนาคารปู"))

    assert goal.province_code == "93"
    assert goal.strategy_id == phatthalung
    listed = await strategies.list_goals(session, None, phatthalung, page=PageRequest(limit=50))
    assert [g.id for g in listed.items] == [goal.id]
    assert (await strategies.get_goal(session, None, phatthalung, goal.id)).title_th == "บ้านมั่นคง"


async def test_a_goal_reached_through_another_strategy_is_404_naming_both(session: AsyncSession) -> None:
    phatthalung, songkhla = await two_strategies(session)
    goal = await strategies.add_goal(session, author("93"), phatthalung, GoalCreate(title_th="บ้านมั่นคง"))

    async with refused(session, errors.NotFound) as caught:
        await strategies.get_goal(session, None, songkhla, goal.id)
    assert f"Strategy {songkhla} has no goal {goal.id}." == str(caught.value)
    async with refused(session, errors.NotFound):
        await strategies.update_goal(session, author("90"), songkhla, goal.id, GoalUpdate(title_th="x"), None)


async def test_only_the_parents_province_adds_or_edits_its_children(session: AsyncSession) -> None:
    phatthalung, _ = await two_strategies(session)
    goal = await strategies.add_goal(session, author("93"), phatthalung, GoalCreate(title_th="บ้านมั่นคง"))

    async with refused(session, errors.Forbidden):
        await strategies.add_goal(session, author("90"), phatthalung, GoalCreate(title_th="x"))
    async with refused(session, errors.Forbidden):
        await strategies.update_goal(
            session, author("90"), phatthalung, goal.id, GoalUpdate(title_th="x"), None
        )
    async with refused(session, errors.PreconditionFailed):
        edit = GoalUpdate(title_th="x")
        await strategies.update_goal(session, author("93"), phatthalung, goal.id, edit, goal.version + 1)

    edited = await strategies.update_goal(
        session, author("TH", "national"), phatthalung, goal.id, GoalUpdate(title_th="บ้านมั่นคงทั้งจังหวัด"), 1
    )
    assert (edited.title_th, edited.version) == ("บ้านมั่นคงทั้งจังหวัด", 2)


async def test_a_lists_filters_narrow_only_where_a_value_was_given(session: AsyncSession) -> None:
    phatthalung, songkhla = await two_strategies(session)
    ours = col(Strategy.id).in_([phatthalung, songkhla])

    async def found(area: str | None, title: str | None) -> set[uuid.UUID]:
        statement = STRATEGIES.within(area, (Strategy.title_th, title)).where(ours)
        return {row.id for row in (await session.exec(statement)).all()}

    assert await found(None, None) == {phatthalung, songkhla}  # None is no filter, not "IS NULL"
    assert await found("93", None) == {phatthalung}
    assert await found(None, "ข") == {songkhla}
    assert await found("93", "ข") == set()
