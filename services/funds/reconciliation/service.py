"""Reconciliation: every fund's ledger audited end to end (the checks of the verify endpoint: each transfer
sums to zero, each stored balance equals its entries, each chain recomputes) plus each fund's reserved
amount against its approved, unpaid disbursements."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

from services.common.reads import Reader
from services.funds.ledger.audit import Problem, verify_owner
from services.funds.ledger.models import AccountPurpose

FUND_BATCH = 500
_FUNDS_SQL = "SELECT id FROM funds.funds WHERE id > $1 ORDER BY id LIMIT $2"
_AREAS_SQL = "SELECT id, area_code FROM funds.funds WHERE id = ANY($1::uuid[])"
# one statement, one snapshot: an approval committing meanwhile is wholly in it or wholly out of it
_RESERVATIONS_SQL = (
    "SELECT a.owner_id, a.reserved_satang, coalesce(d.total, 0)::bigint AS approved_satang"
    " FROM funds.ledger_accounts a LEFT JOIN (SELECT fund_id, sum(amount_satang) AS total"
    " FROM funds.disbursements WHERE status = 'approved' GROUP BY fund_id) d ON d.fund_id = a.owner_id"
    " WHERE a.purpose = 'holdings' AND a.reserved_satang <> coalesce(d.total, 0)"
)


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
    for row in await reader.fetch(_RESERVATIONS_SQL):
        detail = (
            f"reserved {row['reserved_satang']} ≠ approved, unpaid disbursements {row['approved_satang']}"
        )
        problem = Problem(AccountPurpose.holdings, "reservation_mismatch", None, None, detail)
        report.failing.setdefault(row["owner_id"], []).append(problem)
    if report.failing:
        rows = await reader.fetch(_AREAS_SQL, list(report.failing))
        report.areas = {row["id"]: row["area_code"] for row in rows}
    return report


async def _every_fund(reader: Reader) -> AsyncIterator[uuid.UUID]:
    after = uuid.UUID(int=0)
    while True:
        rows = await reader.fetch(_FUNDS_SQL, after, FUND_BATCH)
        for row in rows:
            yield row["id"]
        if len(rows) < FUND_BATCH:
            return
        after = rows[-1]["id"]
