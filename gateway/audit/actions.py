"""Which events are audited, and what of them the log keeps: who (the envelope's actor), what (the type),
where (its area), on what (the aggregate) and the figures that say how much (ids, amounts, statuses) —
never names or free text."""

from __future__ import annotations

from typing import Any

from gateway.audit.repository import Fact
from services.common.events.envelope import EventEnvelope

AUDITED = frozenset(
    {
        # accounts and grants
        "user.created",
        "user.updated",
        "user.deactivated",
        "user.reactivated",
        "client.created",
        "client.secret_rotated",
        "client.disabled",
        "client.enabled",
        # money
        "fund.created",
        "fund.updated",
        "fund.contribution.posted",
        "fund.transfer.posted",
        "fund.transfer.reversed",
        "fund.disbursement.requested",
        "fund.disbursement.approval_added",
        "fund.disbursement.rejected",
        "fund.disbursement.cancelled",
        "fund.disbursement.paid",
        "fund.disbursement.reversed",
        "fund.reversal.requested",
        "fund.reversal.approval_added",
        "fund.reversal.approved",
        "fund.reversal.rejected",
        "fund.reversal.cancelled",
        "fund.ledger.exported",
        # verified figures
        "indicator.value.approved",
        "indicator.period.verified",
        "indicator.period.returned",
        "indicator.period.certified",
        "indicator.period.reopened",
        # assessment decisions
        "round.published",
        "assessment.item.reviewed",
        "outcome.published",
    }
)
_KEPT = {"id", "status", "period", "fiscal_year", "format", "active", "grants", "kind", "tambon", "province"}
_KEPT |= {"criterion", "level", "self_level", "team_level"}


def _kept(key: str, value: Any) -> bool:
    if key in _KEPT:
        return True
    scalar = value is None or isinstance(value, (int, str, bool))
    return scalar and key.endswith(("_id", "_satang", "_count", "_required", "_code"))


def fact_of(event: EventEnvelope) -> Fact | None:
    """The audit fact an event makes, or None when its type is not audited."""
    if event.type not in AUDITED:
        return None
    return Fact(
        action=event.type,
        occurred_at=event.occurred_at,
        actor=event.actor,
        area_code=event.area_code,
        source=event.source,
        subject_type=event.aggregate_type,
        subject_id=event.aggregate_id,
        details={key: value for key, value in event.data.items() if _kept(key, value)},
        event_id=event.id,
    )
