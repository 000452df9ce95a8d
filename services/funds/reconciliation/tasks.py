"""The reconciliation job (arq cron in the funds worker): a fund whose ledger does not add up is announced
as `fund.reconciliation.failed` and counted in Prometheus metrics."""

from __future__ import annotations

from typing import Any

import structlog
from arq import cron
from arq.worker import func
from prometheus_client import Counter, Gauge

from services.common.clock import utcnow
from services.common.events import record_event
from services.common.settings import get_settings
from services.funds.reads import open_reader
from services.funds.reconciliation.events import RECONCILIATION_FAILED
from services.funds.reconciliation.service import Report, reconcile

JOB_TIMEOUT_SECONDS = 3600
MINUTE_OFFSET = 7  # off the hour, away from the outbox pruning
RECONCILIATION_FAILURES = Counter(
    "khabuan_funds_reconciliation_failures_total", "Funds found not to reconcile, summed over runs"
)
FAILING_FUNDS = Gauge(
    "khabuan_funds_reconciliation_failing_funds", "Funds that did not reconcile in the last run"
)
LAST_RUN = Gauge("khabuan_funds_reconciliation_last_run_timestamp_seconds", "When the last run finished")

log = structlog.get_logger()


async def reconcile_ledgers(ctx: dict[str, Any]) -> dict[str, Any]:
    """Audit every fund's ledger; announce and count each fund that does not reconcile."""
    settings = get_settings()
    async with open_reader(
        ctx["engine"], settings, application_name="khabuan-funds-reconciliation"
    ) as reader:
        report = await reconcile(reader)
    if report.failing:
        await _announce(ctx, report)
    RECONCILIATION_FAILURES.inc(len(report.failing))
    FAILING_FUNDS.set(len(report.failing))
    LAST_RUN.set(utcnow().timestamp())
    failing = sorted(str(fund_id) for fund_id in report.failing)
    if failing:
        log.error("fund.reconciliation_failed", failing_funds=failing, funds_checked=report.funds_checked)
    else:
        log.info("fund.reconciliation_passed", funds=report.funds_checked, entries=report.entries_checked)
    return {
        "funds_checked": report.funds_checked,
        "entries_checked": report.entries_checked,
        "failing_funds": failing,
    }


async def _announce(ctx: dict[str, Any], report: Report) -> None:
    checked_at = utcnow()
    async with ctx["sessions"]() as session:
        for fund_id in sorted(report.failing):
            problems = report.failing[fund_id]
            await record_event(
                session,
                RECONCILIATION_FAILED,
                aggregate_id=str(fund_id),
                area_code=report.areas.get(fund_id, "TH"),
                data={
                    "fund_id": fund_id,
                    "problems": [
                        {
                            "account": p.account.value if p.account else None,
                            "problem": p.problem,
                            "sequence": p.sequence,
                            "transfer_id": p.transfer_id,
                            "detail": p.detail,
                        }
                        for p in problems
                    ],
                    "checked_at": checked_at,
                },
            )
        await session.commit()


def reconciliation_jobs() -> tuple[list[Any], list[Any]]:
    """The job as a function (to run on demand) and as a cron schedule (every N minutes, from settings)."""
    every = get_settings().funds_reconciliation_every_minutes
    minutes = set(range(MINUTE_OFFSET % every, 60, every))
    return (
        [func(reconcile_ledgers, timeout=JOB_TIMEOUT_SECONDS)],
        [
            cron(
                reconcile_ledgers, minute=minutes, second=0, timeout=JOB_TIMEOUT_SECONDS, run_at_startup=False
            )
        ],
    )
