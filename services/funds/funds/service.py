"""Funds: who may open or change a fund where, how funds are listed, and a fund's balance beside it."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import structlog
from sqlmodel.ext.asyncio.session import AsyncSession

from services.common.auth import Principal
from services.common.events import record_event
from services.common.events.registry import EventType
from services.common.geo import area_level
from services.common.i18n import Text
from services.common.models import ExpectedVersions
from services.common.pagination import PageRequest
from services.common.people import PeopleCheck
from services.common.resources import apply_changes, get_or_404
from services.funds.funds import repository
from services.funds.funds.access import FUND_STAFF, may_see_people
from services.funds.funds.events import FUND_CREATED, FUND_UPDATED
from services.funds.funds.models import KIND_LEVEL, Fund, FundKind
from services.funds.funds.schemas import FundCreate, FundPublic, FundUpdate
from services.funds.history import service as history
from services.funds.history.models import Action, Step, Subject
from services.funds.ledger import service as ledger
from services.funds.ledger.public import FundLedger
from services.funds.ledger.service import Balance
from services.funds.problems import conflicting_field, fund_not_found, invalid_field
from services.funds.reads import Reader

FUND_OPENERS = FUND_STAFF
FUND = Text("fund", "กองทุน")

# fund id → area code, read once per process (FundUpdate has no area: a fund stays where it was opened)
_AREAS: dict[uuid.UUID, str] = {}
_AREAS_KEPT = 10_000

log = structlog.get_logger()


@dataclass(frozen=True)
class FundView:
    """A fund as one caller may see it, with the revision of its balance (the ETag's second part)."""

    fund: FundPublic
    revision: int

    @property
    def version(self) -> str:
        """`<settings version>.<balance revision>`: the ETag's version part."""
        return f"{self.fund.version}.{self.revision}"


async def create(
    session: AsyncSession, principal: Principal, data: FundCreate, people: PeopleCheck
) -> FundView:
    """Open a fund in an area the principal's grants cover, with its ledger accounts at zero; its committee
    are active accounts holding a staff grant covering the area (`people`): those who may approve."""
    principal.require(FUND_OPENERS, data.area_code)
    committee = committee_of(data.committee)
    if misfit := _level_misfit(data.kind, data.area_code):
        raise invalid_field("/area_code", misfit)
    if misfit := _approvals_misfit(data.approvals_required, committee):
        raise invalid_field("/approvals_required", misfit)
    await people(committee, data.area_code, lambda index: f"/committee/{index}", roles=FUND_STAFF)
    fund = Fund.model_validate(data, update={"created_by": principal.subject, "committee": committee})
    session.add(fund)
    await session.flush()
    await ledger.open_accounts(session, fund.id)
    details = {"approvals_required": fund.approvals_required, "changes": {"committee": [[], committee]}}
    await _kept(session, fund, principal, Action.opened, details, FUND_CREATED, fund)
    log.info("fund.created", fund_id=str(fund.id), area_code=fund.area_code, kind=fund.kind)
    return view(fund.model_dump(), Balance(0, 0, 0), principal)


async def get(reader: Reader, principal: Principal | None, fund_id: uuid.UUID) -> FundView:
    """A fund is public, with its balance read in one indexed row; a partner system is confined to the
    areas of its grants."""
    row = await repository.with_balance(reader, fund_id)
    if row is None:
        raise fund_not_found(fund_id)
    if principal is not None:
        principal.confine_reads(row["area_code"])
    return view(row, Balance(row["balance_satang"], row["reserved_satang"], row["revision"]), principal)


async def ledger_of(reader: Reader, principal: Principal | None, fund_id: uuid.UUID) -> FundLedger:
    """Which account holds the fund's public ledger (404 for no fund; partners only inside their grants)."""
    row = await repository.holdings(reader, fund_id)
    if row is None:
        raise fund_not_found(fund_id)
    if principal is not None:
        principal.confine_reads(row["area_code"])
    return FundLedger(**dict(row))


async def update(
    session: AsyncSession,
    principal: Principal,
    fund_id: uuid.UUID,
    data: FundUpdate,
    expected_version: ExpectedVersions,
) -> FundView:
    """Change a fund's names, kind, committee or approval rule; the area's staff may. Each change is kept in
    the fund's history (who, when, old and new) and published as `fund.updated`."""
    fund = await get_or_404(session, Fund, fund_id, what=FUND, for_update=True)
    principal.require(FUND_OPENERS, fund.area_code)
    changes: dict[str, Any] = data.model_dump(exclude_unset=True)
    if "committee" in changes:
        changes["committee"] = committee_of(data.committee or [])
    _check_fit(fund, changes)
    before = {field: getattr(fund, field) for field in changes}
    if apply_changes(fund, changes, expected_version=expected_version):
        changed = {
            field: [before[field], changes[field]] for field in changes if before[field] != changes[field]
        }
        await session.flush()
        details = {"changed_fields": sorted(changed), "changes": changed}
        published = {
            **fund.model_dump(),
            "committee_size": len(fund.committee),
            "changed_fields": sorted(changed),
        }
        await _kept(session, fund, principal, Action.updated, details, FUND_UPDATED, published)
        log.info("fund.updated", fund_id=str(fund.id), version=fund.version, fields=sorted(changed))
    balance = (await ledger.balances(session, [fund.id]))[fund.id]
    return view(fund.model_dump(), balance, principal)


async def list_funds(
    session: AsyncSession,
    principal: Principal | None,
    *,
    area: str | None,
    region: str | None,
    kind: FundKind | None,
    page: PageRequest,
) -> tuple[list[FundPublic], str | None]:
    if principal is not None:
        area = principal.confine_reads(area)
    funds, next_cursor = await repository.page(
        session,
        areas=[code for code in (area, region) if code],
        kind=kind,
        page=page,
    )
    balances = await ledger.balances(session, [fund.id for fund in funds]) if funds else {}
    return [view(fund.model_dump(), balances[fund.id], principal).fund for fund in funds], next_cursor


async def load(session: AsyncSession, fund_id: uuid.UUID) -> Fund:
    """The fund a request is about (404 when there is none)."""
    fund = await find(session, fund_id)
    if fund is None:
        raise fund_not_found(fund_id)
    return fund


async def find(session: AsyncSession, fund_id: uuid.UUID) -> Fund | None:
    """The fund, or None (where a missing fund is a field's error, not a 404)."""
    return await repository.get(session, fund_id)


async def with_members(session: AsyncSession, user_ids: Sequence[str]) -> list[uuid.UUID]:
    """The funds on whose committee any of these people sit (in the order they are locked in)."""
    return await repository.with_members(session, user_ids)


async def area_of(session: AsyncSession, fund_id: uuid.UUID) -> str:
    """The fund's area (404 when there is no such fund); remembered, since a fund's area never changes."""
    area = _AREAS.get(fund_id)
    if area is None:
        area = await repository.area_code(session, fund_id)
        if area is None:
            raise fund_not_found(fund_id)
        if len(_AREAS) >= _AREAS_KEPT:
            _AREAS.clear()
        _AREAS[fund_id] = area
    return area


async def load_for_staff(session: AsyncSession, principal: Principal, fund_id: uuid.UUID) -> Fund:
    """The fund, once the principal is known to be the fund area's staff (403 otherwise)."""
    fund = await load(session, fund_id)
    principal.require(FUND_STAFF, fund.area_code)
    return fund


async def load_for_reading(session: AsyncSession, principal: Principal | None, fund_id: uuid.UUID) -> Fund:
    fund = await load(session, fund_id)
    if principal is not None:
        principal.confine_reads(fund.area_code)
    return fund


def view(fields: Mapping[str, Any], balance: Balance, principal: Principal | None) -> FundView:
    committee: list[str] = list(fields["committee"])
    public = FundPublic.model_validate(
        {
            **fields,
            "committee": committee if may_see_people(principal, fields["area_code"]) else None,
            "committee_size": len(committee),
            "balance_satang": balance.balance_satang,
            "reserved_satang": balance.reserved_satang,
            "available_satang": balance.available_satang,
        }
    )
    return FundView(public, balance.revision)


async def _kept(
    session: AsyncSession,
    fund: Fund,
    principal: Principal,
    action: Action,
    details: Mapping[str, Any],
    event: EventType,
    data: Fund | Mapping[str, Any],
) -> None:
    """A change of the fund itself: kept in its history and published."""
    await history.record(
        session, Step(fund.id, Subject.fund, fund.id, action, principal.subject, dict(details))
    )
    await record_event(session, event, aggregate_id=str(fund.id), area_code=fund.area_code, data=data)


def committee_of(members: Sequence[uuid.UUID]) -> list[str]:
    """User ids as canonical strings, each once, in the order given."""
    return list(dict.fromkeys(str(member) for member in members))


def _approvals_misfit(required: int, committee: Sequence[str]) -> Text | None:
    if committee and required > len(committee):
        return Text(
            f"{required} approvals cannot come from a committee of {len(committee)}.",
            f"คณะกรรมการ {len(committee)} คนให้การอนุมัติ {required} ครั้งไม่ได้",
        )
    return None


def _check_fit(fund: Fund, changes: dict[str, Any]) -> None:
    """An edit fits the fund it changes. A misfit within the body is 422; one with what the fund already is
    (its area, the rule or committee the edit leaves alone) is 409 (RFC 5789 §2.2: conflicting state)."""
    if "kind" in changes and (misfit := _level_misfit(changes["kind"], fund.area_code)):
        raise conflicting_field("/kind", misfit)
    required = changes.get("approvals_required", fund.approvals_required)
    if misfit := _approvals_misfit(required, changes.get("committee", fund.committee)):
        if {"approvals_required", "committee"} <= changes.keys():
            raise invalid_field("/approvals_required", misfit)
        edited = "/approvals_required" if "approvals_required" in changes else "/committee"
        raise conflicting_field(edited, misfit)


_LEVEL_NAMES = {
    "province": Text("province (2 digits)", "จังหวัด (รหัส 2 หลัก)"),
    "tambon": Text("tambon (6 digits)", "ตำบล (รหัส 6 หลัก)"),
}


def _level_misfit(kind: FundKind, area_code: str) -> Text | None:
    """A kind tied to a level (a pooled provincial fund, a tambon fund) serves an area of that level."""
    expected = KIND_LEVEL.get(kind)
    if expected is None or area_level(area_code) == expected:
        return None
    level = _LEVEL_NAMES[expected]
    return Text(
        f"A {kind.value} fund serves a {level.en}: area {area_code} is not one.",
        f"กองทุนประเภท {kind.value} ต้องอยู่ในระดับ{level.th} พื้นที่ {area_code} ไม่ใช่ระดับนี้",
    )
