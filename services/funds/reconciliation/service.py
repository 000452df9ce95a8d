"""Reconciliation: every fund's ledger audited end to end (the checks of the verify endpoint: each transfer
sums to zero, each stored balance equals its entries, each chain recomputes) plus each fund's reserved
amount against its approved, unpaid disbursements."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

from services.funds.ledger.audit import Problem, verify_owner
from services.funds.ledger.models import AccountPurpose
from services.funds.reads import Reader
from services.funds.reconciliation import repository

FUND_BATCH = 500


@dataclass
class Report:
    funds_checked: int = 0
    entries_checked: int = 0
    failing: dict[uuid.UUID, list[Problem]] = field(default_factory=dict)
    areas: dict[uuid.UUID, str] = field(default_factory=dict)


async def reconcile(reader: Reader) -> Report:
    """Audit every fund; the report lists the funds whose ledger does not add up, with their problems."""
    report = Report()
    async for fund_id in _every_fund(reader):
        verification = await verify_owner(reader, fund_id)
        report.funds_checked += 1
        report.entries_checked += verification.entries_checked
        if verification.problems:
            report.failing[fund_id] = list(verification.problems)
    for row in await repository.reservation_mismatches(reader):
        detail = (
            f"reserved {row['reserved_satang']} ≠ approved, unpaid disbursements {row['approved_satang']}"
        )
        problem = Problem(AccountPurpose.holdings, "reservation_mismatch", None, None, detail)
        report.failing.setdefault(row["owner_id"], []).append(problem)
    if report.failing:
        report.areas = await repository.areas_of(reader, list(report.failing))
    return report


async def _every_fund(reader: Reader) -> AsyncIterator[uuid.UUID]:
    after = uuid.UUID(int=0)
    while True:
        fund_ids = await repository.fund_ids(reader, after=after, limit=FUND_BATCH)
        for fund_id in fund_ids:
            yield fund_id
        if len(fund_ids) < FUND_BATCH:
            return
        after = fund_ids[-1]
