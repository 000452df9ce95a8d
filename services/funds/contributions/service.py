"""Contributions: the area's staff record money that came into a fund, as one balanced ledger transfer
(the fund's contributions account → its holdings)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date

import structlog
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.common.auth import Principal
from services.common.calendar import bangkok_date
from services.common.clock import utcnow
from services.common.events.outbox import event_row
from services.common.i18n import Text
from services.common.idempotency import StoredResponse, run_once
from services.common.one_statement import OneStatement
from services.common.pagination import paginate
from services.common.resources import get_or_404
from services.funds.contributions.models import JOINT_BUDGET_SOURCES, Contribution, SourceKind
from services.funds.contributions.schemas import ContributionCreate, ContributionPublic
from services.funds.funds import service as funds
from services.funds.funds.access import FUND_STAFF, may_see_people, public_name
from services.funds.funds.models import Fund
from services.funds.ledger.models import AccountPurpose, TransferKind
from services.funds.ledger.receipts import (
    CLAIM_GUARD,
    HOLDINGS_AFTER,
    WRITTEN,
    AlsoInsert,
    Receipt,
    post_receipt,
)
from services.funds.problems import invalid_field

CONTRIBUTION = Text("contribution", "เงินสมทบ")

log = structlog.get_logger()


# the contribution's own row, written by the ledger's receipt statement (one round trip for the whole posting)
_INSERT_CONTRIBUTION_SQL = f"""contribution AS (
    INSERT INTO funds.contributions (id, created_at, updated_at, fund_id, transfer_id, amount_satang,
                source_kind, source_name, is_joint_budget, received_on, reference, recorded_by)
    SELECT CAST(:contribution_id AS uuid), CAST(:posted_at AS timestamptz), CAST(:posted_at AS timestamptz),
           CAST(:owner_id AS uuid), CAST(:transfer_id AS uuid), CAST(:amount AS bigint),
           CAST(:source_kind AS varchar), CAST(:source_name AS varchar), CAST(:is_joint_budget AS boolean),
           CAST(:received_on AS date), CAST(:reference AS varchar), CAST(:recorded_by AS varchar)
     WHERE {WRITTEN}
)"""
# the answer as stored with the Idempotency-Key: the caller's rendering around the balance the statement finds
_ANSWER_SQL = (
    "convert_to(CAST(:answer_head AS text) || CAST(" + HOLDINGS_AFTER + " AS text)"
    " || CAST(:answer_tail AS text), 'UTF8')"
)
_BALANCE_AFTER = '"balance_after_satang":'


async def contribute(
    write: OneStatement, principal: Principal, fund_id: uuid.UUID, data: ContributionCreate
) -> tuple[StoredResponse, bool]:
    """Post a contribution to the fund's ledger: the transfer, the balances, the contribution, its event
    and the answer kept for the Idempotency-Key, in one statement. Returns the answer and whether it is the
    replay of an earlier request's."""
    area_code = await funds.area_of_fund(write.reader, fund_id)
    principal.require(FUND_STAFF, area_code)
    _check(data)
    return await run_once(write.keys, write.key, lambda: _post(write, principal, fund_id, area_code, data))


async def _post(
    write: OneStatement, principal: Principal, fund_id: uuid.UUID, area_code: str, data: ContributionCreate
) -> StoredResponse | None:
    contribution_id = uuid.uuid4()
    receipt = Receipt(
        owner_id=fund_id,
        source=AccountPurpose.contributions,
        amount_satang=data.amount_satang,
        kind=TransferKind.contribution,
        counterparty_kind=data.source_kind.value,
        # the ledger never holds a private person's name (it must stay erasable; the chain is for ever)
        counterparty_name=None if data.source_kind == SourceKind.individual else data.source_name,
        request_type="contribution",
        request_id=contribution_id,
    )
    contribution = ContributionPublic(
        id=contribution_id,
        fund_id=fund_id,
        transfer_id=receipt.transfer_id,
        amount_satang=data.amount_satang,
        source_kind=data.source_kind,
        source_name=data.source_name,
        is_joint_budget=data.source_kind in JOINT_BUDGET_SOURCES,
        received_on=data.received_on,
        reference=data.reference,
        recorded_by=principal.subject,
        balance_after_satang=None,  # known once the statement has locked the fund
        created_at=receipt.posted_at,
    )
    event = event_row(
        write.events,
        type="fund.contribution.posted",
        aggregate_type="fund",
        aggregate_id=str(fund_id),
        area_code=area_code,
        data={
            **contribution.model_dump(),
            "source_name": public_name(data.source_kind, data.source_name),
            "balance_after_satang": 0,
        },
        guard=WRITTEN,
        computed={"balance_after_satang": HOLDINGS_AFTER},
    )
    row = AlsoInsert(
        _INSERT_CONTRIBUTION_SQL,
        {
            "contribution_id": contribution_id,
            "source_kind": data.source_kind.value,
            "source_name": data.source_name,
            "is_joint_budget": contribution.is_joint_budget,
            "received_on": data.received_on,
            "reference": data.reference,
            "recorded_by": principal.subject,
        },
    )
    head, tail = _answer_around_balance(shown(contribution, principal, area_code))
    headers = {
        "content-type": "application/json",
        "location": f"/v1/funds/{fund_id}/contributions/{contribution_id}",
    }
    claim = None
    if write.key is not None and write.keys is not None:
        params = write.keys.claim_params(write.key, status=201, headers=headers)
        claim = AlsoInsert(
            write.keys.claim_cte(guard=CLAIM_GUARD, body_sql=_ANSWER_SQL),
            params | {"answer_head": head, "answer_tail": tail},
        )
    transfer = await post_receipt(
        write.reader, receipt, also=(row, AlsoInsert(event.ctes, event.params)), claim=claim
    )
    if transfer is None:
        return None  # the key was taken: run_once answers as the first request did
    balance_after = transfer.entry(fund_id).balance_after_satang
    log.info(
        "fund.contribution_posted",
        fund_id=str(fund_id),
        transfer_id=str(receipt.transfer_id),
        amount_satang=data.amount_satang,
    )
    return StoredResponse(201, headers, f"{head}{balance_after}{tail}".encode())


def _answer_around_balance(shown: ContributionPublic) -> tuple[str, str]:
    """The answer's JSON split where its balance goes (a key is never found inside a JSON string: its quotes
    would be escaped there)."""
    head, marker, tail = shown.model_dump_json().partition(_BALANCE_AFTER + "null")
    if not marker:
        raise RuntimeError("a contribution's answer has no balance_after_satang")
    return head + _BALANCE_AFTER, tail


async def get(
    session: AsyncSession, principal: Principal | None, fund_id: uuid.UUID, contribution_id: uuid.UUID
) -> ContributionPublic:
    fund = await funds.load_for_reading(session, principal, fund_id)
    contribution = await get_or_404(session, Contribution, contribution_id, what=CONTRIBUTION)
    if contribution.fund_id != fund.id:
        raise funds.not_found_in(fund.id, CONTRIBUTION, contribution_id)
    return public(contribution, fund, principal)


async def list_contributions(
    session: AsyncSession,
    principal: Principal | None,
    fund_id: uuid.UUID,
    *,
    source_kind: SourceKind | None,
    cursor: str | None,
    limit: int,
) -> tuple[list[ContributionPublic], str | None]:
    fund = await funds.load_for_reading(session, principal, fund_id)
    statement = select(Contribution).where(Contribution.fund_id == fund.id)
    if source_kind:
        statement = statement.where(Contribution.source_kind == source_kind)
    rows: Sequence[Contribution]
    rows, next_cursor = await paginate(session, statement, model=Contribution, cursor=cursor, limit=limit)
    return [public(row, fund, principal) for row in rows], next_cursor


def public(contribution: Contribution, fund: Fund, principal: Principal | None) -> ContributionPublic:
    return shown(ContributionPublic.model_validate(contribution.model_dump()), principal, fund.area_code)


def shown(
    contribution: ContributionPublic, principal: Principal | None, area_code: str
) -> ContributionPublic:
    """The contribution as this caller may see it: a private person, the reference and the recorder only
    to the area's staff."""
    if may_see_people(principal, area_code):
        return contribution
    return contribution.model_copy(
        update={
            "source_name": public_name(contribution.source_kind, contribution.source_name),
            "reference": None,
            "recorded_by": None,
        }
    )


def _check(data: ContributionCreate) -> None:
    if data.source_kind != SourceKind.individual and data.source_name is None:
        raise invalid_field(
            "/source_name",
            Text(
                "Name the source (the savings group, fund, partner or agency).",
                "กรุณาระบุชื่อแหล่งเงิน (กลุ่มออมทรัพย์ กองทุน ภาคี หรือหน่วยงาน)",
            ),
        )
    if data.received_on > _today():
        raise invalid_field(
            "/received_on",
            Text("The money cannot arrive in the future.", "วันที่ได้รับเงินต้องไม่เป็นวันในอนาคต"),
        )


def _today() -> date:
    return bangkok_date(utcnow())
