"""Links to money: the disbursements the funds paid for a project, learnt from the funds service's events
(`fund.disbursement.paid`, `fund.disbursement.reversed`), never from its tables, and shown on the project."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

import structlog
from pydantic import ValidationError
from sqlmodel.ext.asyncio.session import AsyncSession

from services.common.auth import Principal
from services.common.clock import utcnow
from services.common.events.envelope import EventEnvelope
from services.plans.payments import repository
from services.plans.payments.models import PaymentStatus
from services.plans.payments.schemas import PaidDisbursement, PaymentPublic, ProjectPayments
from services.plans.projects.repository import PROJECTS

STATUS_OF = {
    "fund.disbursement.paid": PaymentStatus.paid,
    "fund.disbursement.reversed": PaymentStatus.reversed,
}
log = structlog.get_logger()


async def record(session: AsyncSession, events: Sequence[EventEnvelope]) -> int:
    """Keep the paid (or reversed) disbursements that name a project; the rest is not ours. Idempotent."""
    rows: dict[uuid.UUID, dict[str, Any]] = {}
    for event in events:
        if event.type not in STATUS_OF or not event.data.get("project_id"):
            continue
        try:
            paid = PaidDisbursement.model_validate(event.data)
        except ValidationError as exc:  # not ours to fix: skipped, so it cannot block the stream
            log.warning("project.payment_event_unreadable", event_id=str(event.id), error=str(exc))
            continue
        kept = rows.get(paid.id)
        if kept is None or kept["disbursement_version"] < paid.version:
            rows[paid.id] = {
                "disbursement_id": paid.id,
                **paid.model_dump(exclude={"id", "version"}),
                "status": STATUS_OF[event.type],
                "disbursement_version": paid.version,
                "updated_at": utcnow(),
            }
    await repository.keep_newest(session, list(rows.values()))
    if rows:
        log.info("project.payments_recorded", payments=len(rows))
    return len(rows)


async def of_project(
    session: AsyncSession, principal: Principal | None, project_id: uuid.UUID
) -> ProjectPayments:
    """A project's payments (public, like the project and the funds' own disbursements)."""
    project = await PROJECTS.visible(session, principal, project_id)
    payments = [PaymentPublic.model_validate(row) for row in await repository.of_project(session, project.id)]
    standing = sum(payment.amount_satang for payment in payments if payment.status is PaymentStatus.paid)
    return ProjectPayments(project_id=project.id, paid_satang=standing, items=payments)
