"""Service-level tests of the funds rules: the service functions called directly, on a session rolled back
after each test (tests/sessions.py), by people built as their tokens would make them. The user stories
through the gateway are in tests/funds/; these say one rule each, fast."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel.ext.asyncio.session import AsyncSession

from services.common.auth import Grant, Principal, Role
from services.common.events import event_source
from services.common.events.registry import register
from services.common.people import known_people
from services.funds.disbursements.schemas import DisbursementCreate
from services.funds.events import EVENT_TYPES
from services.funds.funds import service as funds
from services.funds.funds.models import FundKind
from services.funds.funds.schemas import FundCreate, FundPublic
from services.funds.ledger import service as ledger
from services.funds.ledger.models import AccountPurpose, TransferKind
from services.funds.ledger.service import Balance, Leg, PostedTransfer
from tests.sessions import rolled_back_session

FUNDS = event_source("funds", "funds")
register(*EVENT_TYPES)  # what the funds app and worker register at start


@pytest.fixture
async def session(database_engine: AsyncEngine) -> AsyncIterator[AsyncSession]:
    """The funds service's request session, its writes rolled back after the test."""
    async with rolled_back_session(database_engine, FUNDS) as session:
        yield session


def user(role: Role, area: str, username: str) -> Principal:
    return Principal(subject=str(uuid.uuid4()), kind="user", grants=(Grant(role, area),), username=username)


@dataclass(frozen=True)
class Cast:
    """People like the demo accounts, with new ids in every test."""

    provincial: Principal  # Phatthalung (93)
    treasurer: Principal  # a second provincial user of 93
    tambon: Principal  # Khuha Sawan (930101), in 93
    national: Principal
    regional: Principal  # the south, which 93 is in
    outsider: Principal  # Chai Nat (18)
    partner: Principal  # a partner system with a grant on 93
    service: Principal  # another Khabuan service


@pytest.fixture
def people() -> Cast:
    return Cast(
        provincial=user("provincial", "93", "demo-provincial-93"),
        treasurer=user("provincial", "93", "treasurer-93"),
        tambon=user("tambon", "930101", "demo-tambon-930101"),
        national=user("national", "TH", "demo-national"),
        regional=user("regional", "south", "demo-regional-south"),
        outsider=user("provincial", "18", "demo-provincial-18"),
        partner=Principal("demo-partner", "client", (Grant("partner", "93"),), "demo-partner"),
        service=Principal("khabuan-plans", "service", (), "khabuan-plans"),
    )


async def open_fund(
    session: AsyncSession,
    opener: Principal,
    *,
    committee: Sequence[Principal] = (),
    approvals_required: int | None = None,
    area: str = "93",
) -> FundPublic:
    """A fund of `area` with this committee; it needs two approvals unless the committee is smaller."""
    data = FundCreate(
        name_th=f"กองทุนทดสอบ {uuid.uuid4().hex[:8]}",
        kind={2: FundKind.pooled_province, 6: FundKind.tambon}.get(len(area), FundKind.project),
        area_code=area,
        approvals_required=approvals_required or min(2, len(committee)) or 2,
        committee=[uuid.UUID(member.subject) for member in committee],
    )
    return (await funds.create(session, opener, data, known_people(committee))).fund


async def contribute(session: AsyncSession, fund_id: uuid.UUID, amount: int) -> PostedTransfer:
    """Money in, posted as a contribution is: the fund's contributions account → its holdings."""
    source = ("savings_group", "กลุ่มออมทรัพย์")
    return await ledger.post_transfer(
        session,
        kind=TransferKind.contribution,
        legs=[
            Leg(fund_id, AccountPurpose.contributions, -amount, *source),
            Leg(fund_id, AccountPurpose.holdings, amount, *source),
        ],
    )


async def balance(session: AsyncSession, fund_id: uuid.UUID) -> Balance:
    return (await ledger.balances(session, [fund_id]))[fund_id]


def asking(amount: int, **payee: object) -> DisbursementCreate:
    """A disbursement request's body (an organisation is paid unless `payee` says otherwise)."""
    body = {"payee_kind": "organisation", "payee_name": "สหกรณ์บ้านมั่นคง", **payee}
    return DisbursementCreate.model_validate({"amount_satang": amount, "purpose": "ค่าวัสดุโครงการ", **body})


async def events_of(session: AsyncSession, fund_id: uuid.UUID) -> list[str]:
    """The types of the events recorded about the fund so far, in order (what the relay would publish)."""
    outbox = FUNDS.outbox
    rows = await session.execute(
        select(outbox.c.type).where(outbox.c.aggregate_id == str(fund_id)).order_by(outbox.c.position)
    )
    return list(rows.scalars())
